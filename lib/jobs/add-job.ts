import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

export type JobName =
  "deliver_notification" | "push_booking_to_calendar" | "push_time_off_to_calendar" | "pull_calendars" | "deliver_webhook" | "refund_deposit";

/**
 * Adds a job with SQL on the caller's connection, so inside a booking transaction the job
 * commits or rolls back with the booking (transactional outbox). graphile-worker retries failed
 * jobs with exponential backoff (exp(min(attempts, 10)) seconds) up to `maxAttempts`; after that
 * the job stays in its table as permanently failed until an admin retries it.
 */
export async function addJob(
  db: Executor,
  name: JobName,
  payload: Record<string, unknown>,
  opts: { jobKey?: string; maxAttempts?: number; runAt?: Date; queueName?: string } = {},
) {
  await db.execute(sql`select id from graphile_worker.add_job(
    identifier => ${name}::text,
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queueName ?? null}::text,
    run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? 12}::int,
    job_key => ${opts.jobKey ?? null}::text
  )`);
}
