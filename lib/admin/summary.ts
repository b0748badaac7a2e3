import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { adminAlerts, bookings, calendarConflicts, notifications } from "@/db/schema";
import { deadJobCountSql } from "@/lib/jobs/job-queries";
import { loadAdminBookingRows, type AdminBookingRow } from "./list-bookings";

export type AdminSummary = {
  pendingCount: number;
  oldestPendingAt: string | null;
  unreadAlerts: number;
  failedNotifications: number;
  deadJobs: number;
  /** Calendar conflicts waiting for an admin (the "Calendar sync" badge). */
  openConflicts: number;
  /** Changes whenever any booking changes: the landing page refreshes its list when it moves. */
  latestEventId: number;
  at: string;
};

/**
 * The numbers the dashboard polls every few seconds (the pending badge, the feed's dot). Each is
 * one small indexed query, so polling stays cheap however many bookings there are.
 */
export async function getAdminSummary(db: Executor): Promise<AdminSummary> {
  const result = await db.execute<{
    pending: number;
    oldest: Date | null;
    unread: number;
    failed: number;
    dead: number;
    conflicts: number;
    latest: number | null;
  }>(sql`
    select
      (select count(*)::int from ${bookings} where status = 'pending') as pending,
      (select min(coalesce(submitted_at, created_at)) from ${bookings} where status = 'pending') as oldest,
      (select count(*)::int from ${adminAlerts} where read_at is null) as unread,
      (select count(*)::int from ${notifications} where status = 'failed') as failed,
      ${deadJobCountSql()} as dead,
      (select count(*)::int from ${calendarConflicts} where status = 'open') as conflicts,
      (select max(id) from booking_events) as latest`);
  const row = result.rows[0]!;
  return {
    pendingCount: row.pending,
    oldestPendingAt: row.oldest ? new Date(row.oldest).toISOString() : null,
    unreadAlerts: row.unread,
    failedNotifications: row.failed,
    deadJobs: row.dead,
    openConflicts: row.conflicts,
    latestEventId: Number(row.latest ?? 0),
    at: new Date().toISOString(),
  };
}

/** Requests waiting for a decision, the longest-waiting first. */
export async function listPendingRequests(db: Executor, opts: { limit?: number } = {}): Promise<AdminBookingRow[]> {
  const ids = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(eq(bookings.status, "pending"))
    .orderBy(asc(sql`coalesce(${bookings.submittedAt}, ${bookings.createdAt})`), asc(bookings.startsAt))
    .limit(opts.limit ?? 100);
  return loadAdminBookingRows(
    db,
    ids.map((r) => r.id),
  );
}

/** Marks every unread feed alert as read (or only some). */
export async function markAlertsRead(db: Executor, ids?: string[]) {
  const valid = ids?.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (ids && valid!.length === 0) return 0;
  const condition = valid?.length ? and(isNull(adminAlerts.readAt), sql`${adminAlerts.id} = any(${sql.param(valid)}::uuid[])`) : isNull(adminAlerts.readAt);
  const updated = await db
    .update(adminAlerts)
    .set({ readAt: sql`now()` })
    .where(condition)
    .returning({ id: adminAlerts.id });
  return updated.length;
}
