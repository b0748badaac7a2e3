import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { addJob } from "./add-job";

/** How often a message is tried (with graphile-worker's backoff) before it is marked failed and waits for an admin's retry. */
export const NOTIFICATION_MAX_ATTEMPTS = 12;

const JOB_KEY_PREFIX = "notification:";
const JOB_KEY_RE = /^notification:([0-9a-f-]{36})$/i;

/**
 * One delivery job per notification: re-queuing replaces the job instead of adding a second one,
 * so two workers never send the same row at once (see deliver-notification.ts).
 */
export function notificationJobKey(notificationId: string) {
  return `${JOB_KEY_PREFIX}${notificationId}`;
}

/** The same key built in SQL from a notification id column, for set-based statements. */
export function notificationJobKeySql(notificationIdColumn: SQL) {
  return sql`(${JOB_KEY_PREFIX}::text || (${notificationIdColumn})::text)`;
}

/** The notification a delivery job's key belongs to, or undefined for any other job. */
export function notificationIdOfJobKey(key: string | null | undefined): string | undefined {
  return JOB_KEY_RE.exec(key ?? "")?.[1];
}

/**
 * Queues the delivery of notification rows on the caller's executor, so inside a transaction the
 * jobs commit or roll back with the rows (transactional outbox).
 */
export async function queueNotificationDelivery(db: Executor, notificationIds: string | readonly string[], opts: { runAt?: Date } = {}) {
  for (const id of typeof notificationIds === "string" ? [notificationIds] : notificationIds) {
    await addJob(
      db,
      "deliver_notification",
      { notificationId: id },
      { jobKey: notificationJobKey(id), maxAttempts: NOTIFICATION_MAX_ATTEMPTS, runAt: opts.runAt },
    );
  }
}

/**
 * Takes back the delivery jobs of notifications that must not go out any more (a cancelled
 * booking's reminders), in the caller's transaction. A job that is running right now cannot be
 * removed; graphile-worker then only stops it being retried, and the delivery itself refuses a
 * row that is no longer due (see deliver-notification.ts), so nothing is sent either way.
 */
export async function withdrawNotificationDeliveries(db: Executor, notificationIds: readonly string[]) {
  if (notificationIds.length === 0) return;
  await db.execute(sql`select graphile_worker.remove_job(k) from unnest(${sql.param(notificationIds.map(notificationJobKey))}::text[]) as k`);
}

/**
 * Gives every queued notification that has no delivery job (kept while SMTP was missing) one
 * again, and every scheduled reminder that lost its job one at its time, in one statement; the
 * job key makes it safe to run on every start. Returns how many.
 */
export async function queueMissingNotificationDeliveries(db: Executor): Promise<number> {
  const key = notificationJobKeySql(sql`n.id`);
  const result = await db.execute(sql`
    select graphile_worker.add_job('deliver_notification', json_build_object('notificationId', n.id),
      max_attempts => ${NOTIFICATION_MAX_ATTEMPTS}::int, job_key => ${key},
      run_at => case when n.status = 'scheduled' then n.scheduled_for end)
    from notifications n where (n.status = 'queued' or (n.status = 'scheduled' and n.scheduled_for is not null))
      and not exists (select 1 from graphile_worker.jobs j where j.key = ${key})`);
  return result.rowCount ?? 0;
}
