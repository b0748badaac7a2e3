import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notificationIdOfJobKey, notificationJobKey, queueNotificationDelivery } from "./queue-notification-delivery";

/**
 * Gives failed or dead jobs a fresh start: due now, attempts back to 0 (graphile-worker's
 * reschedule_jobs; a job a worker is running right now is left alone). A notification whose
 * delivery job is retried goes back to `queued`, so the outbox shows it waiting again.
 */
export async function retryJobs(db: Database, jobIds: string[]): Promise<{ retried: string[]; skipped: string[] }> {
  const ids = [...new Set(jobIds.filter((id) => /^\d{1,19}$/.test(id)))];
  if (ids.length === 0) return { retried: [], skipped: jobIds };
  return db.transaction(async (tx) => {
    const result = await tx.execute<{ id: string; key: string | null }>(
      sql`select id::text as id, key from graphile_worker.reschedule_jobs(${sql.param(ids)}::bigint[], run_at => now(), attempts => 0)`,
    );
    const notificationIds = result.rows.map((r) => notificationIdOfJobKey(r.key)).filter((id): id is string => !!id);
    if (notificationIds.length) {
      await tx.execute(
        sql`update notifications set status = 'queued', updated_at = now() where id = any(${sql.param(notificationIds)}::uuid[]) and status = 'failed'`,
      );
    }
    const retried = result.rows.map((r) => r.id);
    return { retried, skipped: jobIds.filter((id) => !retried.includes(id)) };
  });
}

/**
 * Sends a notification again that is not sent yet (failed, or kept while SMTP was missing): its
 * delivery job is rescheduled, or re-added when it is gone.
 */
export async function retryNotification(db: Database, notificationId: string): Promise<"requeued" | "already_sent" | "missing"> {
  return db.transaction(async (tx) => {
    const found = await tx.execute<{ status: string }>(sql`select status from notifications where id = ${notificationId}::uuid for update`);
    const status = found.rows[0]?.status;
    if (!status) return "missing";
    if (status === "sent") return "already_sent";
    await tx.execute(sql`update notifications set status = 'queued', updated_at = now() where id = ${notificationId}::uuid`);
    const key = notificationJobKey(notificationId);
    const rescheduled = await tx.execute<{ id: string }>(sql`
      select id::text as id from graphile_worker.reschedule_jobs(
        array(select id from graphile_worker.jobs where key = ${key}), run_at => now(), attempts => 0)`);
    if (rescheduled.rows.length === 0) await queueNotificationDelivery(tx, notificationId);
    return "requeued";
  });
}
