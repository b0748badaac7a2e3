/** Claiming a calendar to pull: one instance at a time, without a transaction held over HTTP. */
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { calendars, type Calendar } from "@/db/schema";

/** How long a claim protects a calendar from other instances if this one dies mid-pull. */
const LEASE_SECONDS = 600;

/**
 * Takes one calendar (a given one, or the most overdue) for this instance: the row lock with
 * SKIP LOCKED makes two instances pick different rows, and the lease written in the same
 * statement keeps others away for the whole pull without holding a transaction open over HTTP.
 */
export async function claimCalendar(db: Database, calendarId: string | null, dueBy?: Date): Promise<Calendar | null> {
  const which = calendarId ? sql`id = ${calendarId}` : sql`next_sync_at <= ${(dueBy ?? new Date()).toISOString()}::timestamptz`;
  const claimed = await db.execute<{ id: string }>(sql`
    update calendars set sync_locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
    where id = (
      select id from calendars
      where active and (sync_locked_until is null or sync_locked_until < now()) and ${which}
      order by next_sync_at
      limit 1
      for update skip locked
    )
    returning id`);
  const id = claimed.rows[0]?.id;
  if (!id) return null;
  const [calendar] = await db.select().from(calendars).where(eq(calendars.id, id));
  return calendar ?? null;
}
