/**
 * Read models of the job queue for the admin pages and the health check. Only lib/jobs knows
 * graphile-worker's tables; everything else asks here.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { notificationJobKeySql } from "./queue-notification-delivery";

/** Out of attempts: graphile-worker keeps it, but it will not run again until an admin retries it. */
const DEAD = sql`attempts >= max_attempts`;

/** One job as the admin pages show it. */
export type JobRecord = {
  id: string;
  task: string;
  key: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: Date;
  updatedAt: Date;
  lockedAt: Date | null;
};

type JobRow = {
  id: string;
  task_identifier: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: Date | string;
  updated_at: Date | string;
  locked_at: Date | string | null;
};

async function selectJobs(db: Executor, where: SQL, orderAndLimit: SQL): Promise<JobRecord[]> {
  const result = await db.execute<JobRow>(sql`
    select id::text as id, task_identifier, key, attempts, max_attempts, last_error, run_at, updated_at, locked_at
    from graphile_worker.jobs where (${where}) ${orderAndLimit}`);
  return result.rows.map((j) => ({
    id: j.id,
    task: j.task_identifier,
    key: j.key,
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
    lastError: j.last_error,
    runAt: new Date(j.run_at),
    updatedAt: new Date(j.updated_at),
    lockedAt: j.locked_at === null ? null : new Date(j.locked_at),
  }));
}

/**
 * A scalar subquery counting the dead jobs, for the polled summaries that read several counts in
 * one statement (the dashboard badge, the health check).
 */
export function deadJobCountSql(): SQL {
  return sql`(select count(*)::int from graphile_worker.jobs where ${DEAD})`;
}

/** Jobs out of attempts, the most recently failed first. */
export function listDeadJobs(db: Executor, limit: number) {
  return selectJobs(db, DEAD, sql`order by updated_at desc limit ${limit}`);
}

/** Jobs that failed at least once (retrying or dead), the dead ones first, then the most recent. */
export function listFailingJobs(db: Executor, limit: number) {
  return selectJobs(db, sql`last_error is not null`, sql`order by ${DEAD} desc, updated_at desc limit ${limit}`);
}

/** A booking's jobs, oldest first: the delivery of each of its notifications and its calendar push. */
export function listJobsOfBooking(db: Executor, bookingId: string) {
  return selectJobs(
    db,
    sql`key = any(select ${notificationJobKeySql(sql`n.id`)} from notifications n where n.booking_id = ${bookingId})
         or key like ${`%:${bookingId}`}`,
    sql`order by created_at`,
  );
}

export type JobQueueLine = { task: string; waiting: number; due: number; running: number; retrying: number; dead: number; oldestWaitingSeconds: number | null };

/** Per kind of job: how many wait (and how long the oldest has waited), are due, run, retry or are dead. */
export async function listJobQueueLines(db: Executor): Promise<JobQueueLine[]> {
  const lines = await db.execute<{ task: string; waiting: number; due: number; running: number; retrying: number; dead: number; oldest: number | null }>(sql`
    select task_identifier as task,
      count(*) filter (where attempts < max_attempts and locked_at is null)::int as waiting,
      count(*) filter (where attempts < max_attempts and locked_at is null and run_at <= now())::int as due,
      count(*) filter (where locked_at is not null)::int as running,
      count(*) filter (where attempts > 0 and attempts < max_attempts)::int as retrying,
      count(*) filter (where ${DEAD})::int as dead,
      extract(epoch from now() - min(created_at) filter (where attempts < max_attempts and locked_at is null))::float8 as oldest
    from graphile_worker.jobs group by task_identifier order by task_identifier`);
  return lines.rows.map((l) => ({
    task: l.task,
    waiting: l.waiting,
    due: l.due,
    running: l.running,
    retrying: l.retrying,
    dead: l.dead,
    oldestWaitingSeconds: l.oldest === null ? null : Math.max(0, Math.round(Number(l.oldest))),
  }));
}
