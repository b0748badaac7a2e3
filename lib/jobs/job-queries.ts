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

export type JobMetricLine = { task: string; due: number; scheduled: number; running: number; retrying: number; dead: number; oldestDueSeconds: number };

/**
 * Per kind of job, for GET /api/metrics: states that do not overlap (so a sum is the queue),
 * failures, and how overdue the oldest due job is. Unlike listJobQueueLines, age counts from
 * `run_at`: a reminder queued a week ahead is not late, one due a minute ago and still waiting is.
 * A locked job is running even on its last attempt (graphile-worker counts the attempt on lock).
 */
export async function listJobMetricLines(db: Executor): Promise<JobMetricLine[]> {
  const waiting = sql`locked_at is null and not (${DEAD})`;
  const lines = await db.execute<{
    task: string;
    due: number;
    scheduled: number;
    running: number;
    retrying: number;
    dead: number;
    oldest_due: number | null;
  }>(sql`
    select task_identifier as task,
      count(*) filter (where ${waiting} and run_at <= now())::int as due,
      count(*) filter (where ${waiting} and run_at > now())::int as scheduled,
      count(*) filter (where locked_at is not null)::int as running,
      count(*) filter (where ${waiting} and last_error is not null)::int as retrying,
      count(*) filter (where locked_at is null and ${DEAD})::int as dead,
      extract(epoch from now() - min(run_at) filter (where ${waiting} and run_at <= now()))::float8 as oldest_due
    from graphile_worker.jobs group by task_identifier order by task_identifier`);
  return lines.rows.map((l) => ({
    task: l.task,
    due: l.due,
    scheduled: l.scheduled,
    running: l.running,
    retrying: l.retrying,
    dead: l.dead,
    oldestDueSeconds: l.oldest_due === null ? 0 : Math.max(0, Number(l.oldest_due)),
  }));
}

/** The booking a job belongs to, from its key (a calendar push, or a notification's delivery), as a SQL uuid or null. */
function bookingIdOfJobSql(): SQL {
  return sql`(case
    when j.key ~ '^caldav-push:[0-9a-fA-F-]{36}$' then substr(j.key, 13)::uuid
    when j.key ~ '^notification:[0-9a-fA-F-]{36}$' then (select n.booking_id from notifications n where n.id = substr(j.key, 14)::uuid)
  end)`;
}

export type LateCalendarPush = { bookingId: string; calendarId: string; attempts: number };

/**
 * Booking pushes that should have reached the artist's calendar by `now`: due more than
 * `lateAfterSeconds` ago, or failing at least once since a change that is that old (a failed push
 * waits out its backoff with a later run_at; a push put off by a 429 is a new job with a later
 * run_at and no attempts, so its payload's deferral count marks it). Only while the artist has an active calendar that
 * receives bookings; a push of a booking the artist's calendar never held is not late.
 */
export async function listLateCalendarPushes(db: Executor, opts: { now: Date; lateAfterSeconds: number }): Promise<LateCalendarPush[]> {
  const cutoff = new Date(opts.now.getTime() - opts.lateAfterSeconds * 1000).toISOString();
  const result = await db.execute<{ booking_id: string; calendar_id: string; attempts: number }>(sql`
    select b.id as booking_id, c.id as calendar_id, j.attempts
    from graphile_worker.jobs j
    join bookings b on b.id = (case when j.key ~ '^caldav-push:[0-9a-fA-F-]{36}$' then substr(j.key, 13)::uuid end)
    join calendars c on c.artist_id = b.artist_id and c.role = 'write' and c.active
    where j.task_identifier = 'push_booking_to_calendar'
      and (j.run_at < ${cutoff}::timestamptz
        or ((j.attempts > 0 or coalesce((select (pj.payload->>'rateLimitedTimes')::int from graphile_worker._private_jobs pj where pj.id = j.id), 0) > 0) and b.updated_at < ${cutoff}::timestamptz))
    order by b.id`);
  return result.rows.map((r) => ({ bookingId: r.booking_id, calendarId: r.calendar_id, attempts: r.attempts }));
}

export type JobGroup = { task: string; count: number; bookingIds: string[] };

async function groupJobs(db: Executor, where: SQL): Promise<JobGroup[]> {
  const result = await db.execute<{ task: string; n: number; booking_ids: string[] | null }>(sql`
    select j.task_identifier as task, count(*)::int as n,
      (array_agg(distinct ${bookingIdOfJobSql()}) filter (where ${bookingIdOfJobSql()} is not null))[1:100]::text[] as booking_ids
    from graphile_worker.jobs j where (${where})
    group by j.task_identifier order by j.task_identifier`);
  return result.rows.map((r) => ({ task: r.task, count: r.n, bookingIds: r.booking_ids ?? [] }));
}

/** Dead jobs (out of attempts) per kind, with the bookings they belong to (at most 100 per kind). */
export function listDeadJobGroups(db: Executor): Promise<JobGroup[]> {
  return groupJobs(db, sql`j.attempts >= j.max_attempts`);
}

/**
 * Jobs per kind that nobody has picked up more than `overdueAfterSeconds` after they became due:
 * not running, not out of attempts, and not waiting out a retry's backoff (that moves run_at on).
 */
export function listOverdueJobGroups(db: Executor, opts: { now: Date; overdueAfterSeconds: number }): Promise<JobGroup[]> {
  const cutoff = new Date(opts.now.getTime() - opts.overdueAfterSeconds * 1000).toISOString();
  return groupJobs(db, sql`j.attempts < j.max_attempts and j.locked_at is null and j.run_at < ${cutoff}::timestamptz`);
}
