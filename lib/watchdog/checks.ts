/**
 * The watchdog's checks. Each looks at the database as of `now` and answers the causes it finds
 * (one per broken part), or that it cannot judge this time (skipped: its open incidents are left
 * as they are rather than cleared by a run that did not look).
 */
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { listDeadJobGroups, listLateCalendarPushes, listOverdueJobGroups } from "@/lib/jobs/job-queries";
import { checkDisabledWebhookEndpoints } from "@/lib/outgoing-webhooks/disable-failing-endpoint";
import {
  CALENDAR_FAILURES_IN_A_ROW,
  CALENDAR_PUSH_FAILURES_IN_A_ROW,
  CALENDAR_STALE_AFTER_SECONDS,
  EMAIL_LATE_AFTER_SECONDS,
  INCIDENT_KIND_INFO,
  MAX_BOOKING_IDS,
  PUSH_LATE_AFTER_SECONDS,
  QUEUE_OVERDUE_AFTER_SECONDS,
  SMTP_FAILED_ATTEMPTS_IN_A_ROW,
  WORKER_SILENT_AFTER_SECONDS,
  type IncidentKind,
} from "./incident-kinds";

export type Finding = { kind: IncidentKind; subject: string; severity: "warning" | "error"; message: string; bookingIds: string[] };
export type CheckResult = { kind: IncidentKind; findings: Finding[] } | { kind: IncidentKind; skipped: true };

export type CheckContext = { now: Date; smtpConfigured: boolean; workerExpected: boolean };

const secondsBefore = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const distinct = (ids: (string | null | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))].sort().slice(0, MAX_BOOKING_IDS);

function finding(kind: IncidentKind, subject: string, message: string, bookingIds: (string | null)[] = []): Finding {
  return { kind, subject, severity: INCIDENT_KIND_INFO[kind].severity, message, bookingIds: distinct(bookingIds) };
}

/** Error texts can carry addresses (a refused recipient) and hosts; the incident keeps only a short, address-free gist. */
export function scrubError(text: string | null | undefined): string {
  if (!text) return "no error text";
  return text
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, "<address>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 160);
}

type CalendarRow = { id: string; name: string; failures: number; code: string | null; last_sync_at: Date | string | null };

async function activeCalendars(db: Executor): Promise<CalendarRow[]> {
  const result = await db.execute<CalendarRow>(sql`
    select c.id, coalesce(c.display_name, 'a calendar') || ' of ' || a.name as name, c.consecutive_failures as failures,
      c.last_error_code as code, coalesce(c.last_sync_at, c.created_at) as last_sync_at
    from calendars c join artists a on a.id = c.artist_id where c.active order by c.id`);
  return result.rows;
}

async function calendarNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db.execute<{ id: string; name: string }>(sql`
    select c.id, coalesce(c.display_name, 'the calendar') || ' of ' || a.name as name
    from calendars c join artists a on a.id = c.artist_id where c.id = any(${sql.param(ids)}::uuid[])`);
  return new Map(result.rows.map((r) => [r.id, r.name]));
}

async function checkCalendarPushes(db: Executor, ctx: CheckContext): Promise<CheckResult> {
  const late = await listLateCalendarPushes(db, { now: ctx.now, lateAfterSeconds: PUSH_LATE_AFTER_SECONDS });
  const byCalendar = new Map<string, typeof late>();
  for (const push of late) byCalendar.set(push.calendarId, [...(byCalendar.get(push.calendarId) ?? []), push]);
  const names = await calendarNames(db, [...byCalendar.keys()]);
  const findings = [...byCalendar].map(([calendarId, pushes]) => {
    const failing = pushes.filter((p) => p.attempts > 0).length;
    return finding(
      "calendar_push_late",
      `calendar:${calendarId}`,
      `${plural(pushes.length, "booking")} not written to ${names.get(calendarId) ?? "the artist's calendar"} within ${PUSH_LATE_AFTER_SECONDS} s` +
        (failing ? ` (${failing} failing)` : ""),
      pushes.map((p) => p.bookingId),
    );
  });
  return { kind: "calendar_push_late", findings };
}

type FailingPushRow = { calendar_id: string; failures: number; booking_ids: string[]; last_error: string | null };

/**
 * A calendar's pushes are failing when, since the last booking written to it, its push jobs have
 * failed `CALENDAR_PUSH_FAILURES_IN_A_ROW` times (a 429 deferral counts as a failure: it re-queues
 * the push as a new job, so its payload keeps the count). This alerts seconds into an outage,
 * where "late" needs a minute; it clears with the first write that succeeds.
 */
async function checkFailingCalendarPushes(db: Executor): Promise<CheckResult> {
  // A running job's attempts include the run in progress, which has not failed (yet).
  const result = await db.execute<FailingPushRow>(sql`
    with pushes as (
      select c.id as calendar_id, b.id as booking_id, j.updated_at, j.last_error,
        (case when j.last_error is not null then j.attempts - (case when j.locked_at is not null then 1 else 0 end) else 0 end)
          + coalesce((select (pj.payload->>'rateLimitedTimes')::int from graphile_worker._private_jobs pj where pj.id = j.id), 0) as failures
      from graphile_worker.jobs j
      join bookings b on b.id = (case when j.key ~ '^caldav-push:[0-9a-fA-F-]{36}$' then substr(j.key, 13)::uuid end)
      join calendars c on c.artist_id = b.artist_id and c.role = 'write' and c.active
      where j.task_identifier = 'push_booking_to_calendar'
    ), last_written as (
      select c.id as calendar_id, max(b.caldav_written_at) as at
      from calendars c join bookings b on b.artist_id = c.artist_id
      where c.role = 'write' and c.active group by c.id
    )
    select p.calendar_id, sum(p.failures)::int as failures,
      (array_agg(distinct p.booking_id::text))[1:${sql.raw(String(MAX_BOOKING_IDS))}]::text[] as booking_ids,
      (array_agg(p.last_error order by p.updated_at desc) filter (where p.last_error is not null))[1] as last_error
    from pushes p left join last_written w on w.calendar_id = p.calendar_id
    where p.failures > 0 and (w.at is null or p.updated_at > w.at)
    group by p.calendar_id
    having sum(p.failures) >= ${CALENDAR_PUSH_FAILURES_IN_A_ROW}
    order by p.calendar_id`);
  const names = await calendarNames(
    db,
    result.rows.map((r) => r.calendar_id),
  );
  return {
    kind: "calendar_push_failing",
    findings: result.rows.map((r) =>
      finding(
        "calendar_push_failing",
        `calendar:${r.calendar_id}`,
        `Writing to ${names.get(r.calendar_id) ?? "the artist's calendar"} failed ${r.failures} times in a row (last error: ${r.last_error ? scrubError(r.last_error) : "rate limited (429)"})`,
        r.booking_ids,
      ),
    ),
  };
}

async function checkUnsentEmails(db: Executor, ctx: CheckContext): Promise<CheckResult> {
  // Without SMTP, mails are kept on purpose (the dashboard shows them): nothing is late.
  if (!ctx.smtpConfigured) return { kind: "email_unsent", findings: [] };
  const cutoff = secondsBefore(ctx.now, EMAIL_LATE_AFTER_SECONDS);
  // A reminder stays `scheduled` until it is sent, so a due one counts from its time.
  const result = await db.execute<{ n: number; booking_ids: string[] | null; oldest: Date | string | null }>(sql`
    select count(*)::int as n, min(coalesce(scheduled_for, created_at)) as oldest,
      (array_agg(distinct booking_id) filter (where booking_id is not null))[1:${sql.raw(String(MAX_BOOKING_IDS))}]::text[] as booking_ids
    from notifications
    where (status = 'queued' and coalesce(scheduled_for, created_at) < ${cutoff}::timestamptz)
       or (status = 'scheduled' and scheduled_for < ${cutoff}::timestamptz)`);
  const row = result.rows[0];
  if (!row || row.n === 0) return { kind: "email_unsent", findings: [] };
  const waited = Math.round((ctx.now.getTime() - new Date(row.oldest!).getTime()) / 1000);
  return {
    kind: "email_unsent",
    findings: [
      finding(
        "email_unsent",
        "mail",
        `${plural(row.n, "email")} not sent within ${EMAIL_LATE_AFTER_SECONDS} s (the oldest waits ${waited} s)`,
        row.booking_ids ?? [],
      ),
    ],
  };
}

type AttemptRow = { status: string; attempts: number; last_error: string | null; created_at: Date | string; updated_at: Date | string };

/**
 * SMTP is failing when the last `SMTP_FAILED_ATTEMPTS_IN_A_ROW` attempts, over all mails, failed.
 * Each row keeps only its latest outcome, so: the two most recently tried mails both failed, or
 * the latest one failed twice and the one before it was last tried before it even existed (so
 * nothing succeeded between its two attempts). One refused recipient among working deliveries is
 * not SMTP failing.
 */
async function checkSmtp(db: Executor, ctx: CheckContext): Promise<CheckResult> {
  if (!ctx.smtpConfigured) return { kind: "smtp_failing", findings: [] };
  const result = await db.execute<AttemptRow>(sql`
    select status, attempts, last_error, created_at, updated_at from notifications
    where attempts > 0 and sending_started_at is null and status in ('queued', 'failed', 'sent', 'scheduled')
    order by updated_at desc limit 2`);
  const [latest, before] = result.rows;
  const failed = (r: AttemptRow | undefined) => !!r && r.status !== "sent";
  const latestFailedTwice =
    !!latest && latest.attempts >= SMTP_FAILED_ATTEMPTS_IN_A_ROW && (!before || new Date(before.updated_at).getTime() < new Date(latest.created_at).getTime());
  if (!failed(latest) || !(failed(before) || latestFailedTwice)) return { kind: "smtp_failing", findings: [] };
  const affected = await db.execute<{ booking_id: string | null }>(sql`
    select distinct booking_id from notifications where status in ('queued', 'failed') and attempts > 0 and booking_id is not null
      and updated_at >= ${secondsBefore(ctx.now, 86_400)}::timestamptz limit ${MAX_BOOKING_IDS}`);
  return {
    kind: "smtp_failing",
    findings: [
      finding(
        "smtp_failing",
        "smtp",
        `The last ${SMTP_FAILED_ATTEMPTS_IN_A_ROW} delivery attempts to the SMTP server failed (last error: ${scrubError(latest!.last_error)})`,
        affected.rows.map((r) => r.booking_id),
      ),
    ],
  };
}

async function checkCalendarPulls(db: Executor, ctx: CheckContext): Promise<CheckResult[]> {
  const rows = await activeCalendars(db);
  const staleBefore = ctx.now.getTime() - CALENDAR_STALE_AFTER_SECONDS * 1000;
  const failing = rows.filter((c) => c.failures >= CALENDAR_FAILURES_IN_A_ROW);
  // A failing calendar is one cause, reported once: as failing, not also as stale.
  const stale = rows.filter((c) => c.failures < CALENDAR_FAILURES_IN_A_ROW && c.last_sync_at !== null && new Date(c.last_sync_at).getTime() < staleBefore);
  return [
    {
      kind: "calendar_pull_failing",
      findings: failing.map((c) =>
        finding("calendar_pull_failing", `calendar:${c.id}`, `Reading ${c.name} failed ${c.failures} times in a row (${c.code ?? "error"})`),
      ),
    },
    {
      kind: "calendar_pull_stale",
      findings: stale.map((c) =>
        finding(
          "calendar_pull_stale",
          `calendar:${c.id}`,
          `${c.name} has not been read for ${Math.round((ctx.now.getTime() - new Date(c.last_sync_at!).getTime()) / 60_000)} min`,
        ),
      ),
    },
  ];
}

async function checkDeadJobs(db: Executor): Promise<CheckResult> {
  const groups = await listDeadJobGroups(db);
  return {
    kind: "job_dead",
    findings: groups.map((g) => finding("job_dead", `job:${g.task}`, `${plural(g.count, `${g.task} job`)} ran out of attempts`, g.bookingIds)),
  };
}

async function checkQueue(db: Executor, ctx: CheckContext): Promise<CheckResult> {
  const groups = await listOverdueJobGroups(db, { now: ctx.now, overdueAfterSeconds: QUEUE_OVERDUE_AFTER_SECONDS });
  if (groups.length === 0) return { kind: "queue_overdue", findings: [] };
  const total = groups.reduce((n, g) => n + g.count, 0);
  return {
    kind: "queue_overdue",
    findings: [
      finding(
        "queue_overdue",
        "queue",
        `${plural(total, "job")} overdue by more than ${QUEUE_OVERDUE_AFTER_SECONDS} s (${groups.map((g) => `${g.task}: ${g.count}`).join(", ")})`,
        groups.flatMap((g) => g.bookingIds),
      ),
    ],
  };
}

async function checkWorker(db: Executor, ctx: CheckContext): Promise<CheckResult> {
  if (!ctx.workerExpected) return { kind: "worker_silent", skipped: true };
  const result = await db.execute<{ last: Date | string | null }>(sql`select max(heartbeat_at) as last from worker_heartbeats`);
  const last = result.rows[0]?.last ? new Date(result.rows[0].last) : null;
  if (last && last.getTime() >= ctx.now.getTime() - WORKER_SILENT_AFTER_SECONDS * 1000) return { kind: "worker_silent", findings: [] };
  const since = last ? `for ${Math.round((ctx.now.getTime() - last.getTime()) / 1000)} s` : "at all";
  return { kind: "worker_silent", findings: [finding("worker_silent", "worker", `No job worker has reported ${since} (expected one every 10 s)`)] };
}

/** Every check, in a fixed order (the order incidents are opened and announced in). */
export async function runChecks(db: Executor, ctx: CheckContext): Promise<CheckResult[]> {
  return [
    await checkCalendarPushes(db, ctx),
    await checkFailingCalendarPushes(db),
    await checkUnsentEmails(db, ctx),
    await checkSmtp(db, ctx),
    ...(await checkCalendarPulls(db, ctx)),
    await checkDeadJobs(db),
    await checkWorker(db, ctx),
    await checkQueue(db, ctx),
    await checkDisabledWebhookEndpoints(db),
  ];
}
