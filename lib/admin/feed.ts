import { desc, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { adminAlerts } from "@/db/schema";
import { listDeadJobs } from "@/lib/jobs/job-queries";

export type FeedItem = {
  id: string;
  at: string;
  kind: "new_request" | "auto_confirmed" | "cancellation" | "alert" | "notification_failed" | "job_failed";
  severity: "info" | "warning" | "error";
  title: string;
  detail: string | null;
  href: string | null;
  unread: boolean;
};

/**
 * The admins' in-app feed, newest first: alerts written by the system (calendar sync, conflicts),
 * new requests and cancellations from the audit trail, notifications that could not be delivered
 * and jobs that ran out of attempts. Email is never the only way an admin hears about these.
 */
export async function getAdminFeed(db: Executor, opts: { limit?: number } = {}): Promise<FeedItem[]> {
  const limit = opts.limit ?? 30;
  const [alerts, events, failedMessages, deadJobs] = await Promise.all([
    db.select().from(adminAlerts).orderBy(desc(adminAlerts.createdAt)).limit(limit),
    db.execute<{
      id: number;
      booking_id: string;
      old_status: string | null;
      new_status: string;
      actor_kind: string;
      reason: string | null;
      occurred_at: Date;
      customer_name: string | null;
      starts_at: Date | null;
      artist_name: string | null;
      service_name: string | null;
    }>(sql`
      select e.id, e.booking_id, e.old_status, e.new_status, e.actor_kind, e.reason, e.occurred_at,
             b.customer_name, b.starts_at, a.name as artist_name, s.name as service_name
      from (
        select * from booking_events
        where (new_status = 'pending' and old_status is distinct from 'pending')
           or (new_status = 'confirmed' and old_status = 'hold')
           or (new_status = 'cancelled' and old_status is distinct from 'cancelled')
        order by id desc limit ${limit}
      ) e
      left join bookings b on b.id = e.booking_id
      left join artists a on a.id = b.artist_id
      left join services s on s.id = b.service_id
      order by e.id desc`),
    db.execute<{ id: string; recipient: string; subject: string; last_error: string | null; updated_at: Date; booking_id: string | null }>(sql`
      select id, recipient, subject, last_error, updated_at, booking_id from notifications
      where status = 'failed' order by created_at desc limit ${limit}`),
    listDeadJobs(db, limit),
  ]);

  const items: FeedItem[] = [];
  for (const a of alerts) {
    items.push({
      id: `alert:${a.id}`,
      at: a.createdAt.toISOString(),
      kind: "alert",
      severity: a.severity === "error" || a.severity === "warning" ? a.severity : "info",
      title: a.message,
      detail: a.kind.replace(/_/g, " "),
      href: a.bookingId ? `/admin/bookings/${a.bookingId}` : a.calendarId ? "/admin/calendars" : null,
      unread: a.readAt === null,
    });
  }
  for (const e of events.rows) {
    const who = e.customer_name ?? "A customer";
    const what = [e.service_name, e.artist_name ? `with ${e.artist_name}` : null].filter(Boolean).join(" ");
    const kind: FeedItem["kind"] = e.new_status === "cancelled" ? "cancellation" : e.new_status === "confirmed" ? "auto_confirmed" : "new_request";
    const title =
      kind === "cancellation"
        ? `${who}'s booking was cancelled${e.actor_kind === "customer" ? " by the customer" : ""}`
        : kind === "auto_confirmed"
          ? `${who} booked ${what || "a session"} (confirmed automatically)`
          : `New request from ${who}${what ? `: ${what}` : ""}`;
    items.push({
      id: `event:${e.id}`,
      at: new Date(e.occurred_at).toISOString(),
      kind,
      severity: kind === "cancellation" ? "warning" : "info",
      title,
      detail: e.reason,
      href: `/admin/bookings/${e.booking_id}`,
      unread: false,
    });
  }
  for (const n of failedMessages.rows) {
    items.push({
      id: `notification:${n.id}`,
      at: new Date(n.updated_at).toISOString(),
      kind: "notification_failed",
      severity: "error",
      title: `Email to ${n.recipient} could not be delivered: ${n.subject}`,
      detail: n.last_error,
      href: `/admin/outbox?status=failed`,
      unread: false,
    });
  }
  for (const j of deadJobs) {
    items.push({
      id: `job:${j.id}`,
      at: j.updatedAt.toISOString(),
      kind: "job_failed",
      severity: "error",
      title: `Background job ${j.task} gave up after ${j.attempts} attempts`,
      detail: j.lastError,
      href: "/admin/outbox#jobs",
      unread: false,
    });
  }
  return items.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
