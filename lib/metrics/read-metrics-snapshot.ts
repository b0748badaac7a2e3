import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { listJobMetricLines, type JobMetricLine } from "@/lib/jobs/job-queries";
import { WORKER_STALE_AFTER_SECONDS } from "@/lib/jobs/worker-heartbeats";

export type SyncRunLine = { kind: string; status: string; runs: number; bytes: number; seconds: number };

/** What GET /api/metrics reports from the database, read at scrape time. */
export type MetricsSnapshot = {
  bookingsByStatus: Record<string, number>;
  emailsByStatus: Record<string, number>;
  calendarsActive: number;
  calendarsFailing: number;
  /** Active calendars: seconds since the last successful pull (since linking, if there was none). */
  calendarSuccessAges: { calendarId: string; seconds: number }[];
  syncRunsLastHour: SyncRunLine[];
  openIncidentsByKind: Record<string, number>;
  /** Seconds since the freshest worker heartbeat; null when no worker has a row. */
  heartbeatAgeSeconds: number | null;
  workersAlive: number;
  jobs: JobMetricLine[];
};

type SnapshotRow = {
  bookings: Record<string, number>;
  emails: Record<string, number>;
  calendars_active: number;
  calendars_failing: number;
  calendar_ages: { id: string; age: number }[];
  sync_runs: { kind: string; status: string; runs: number; bytes: number | null; seconds: number | null }[];
  incidents: Record<string, number>;
  heartbeat_age: number | null;
  workers_alive: number;
};

/**
 * Two statements per scrape: one of aggregates over Holdfast's own tables (each an index or a
 * small table), one over the job queue through lib/jobs. Sync runs count only the last hour, so
 * the figures are rates a dashboard can graph; an idle incremental pull leaves no run row.
 */
export async function readMetricsSnapshot(db: Executor): Promise<MetricsSnapshot> {
  const result = await db.execute<SnapshotRow>(sql`select
    (select coalesce(json_object_agg(status, n), '{}'::json) from (select status, count(*)::int as n from bookings group by status) b) as bookings,
    (select coalesce(json_object_agg(status, n), '{}'::json) from (select status, count(*)::int as n from notifications group by status) m) as emails,
    (select count(*)::int from calendars where active) as calendars_active,
    (select count(*)::int from calendars where active and consecutive_failures > 0) as calendars_failing,
    (select coalesce(json_agg(json_build_object('id', id, 'age', extract(epoch from now() - coalesce(last_success_at, created_at))::float8)), '[]'::json)
       from calendars where active) as calendar_ages,
    (select coalesce(json_agg(json_build_object('kind', kind, 'status', status, 'runs', runs, 'bytes', bytes, 'seconds', seconds)), '[]'::json)
       from (select kind, status, count(*)::int as runs, sum(bytes)::float8 as bytes,
                    sum(extract(epoch from coalesce(finished_at, now()) - started_at))::float8 as seconds
             from calendar_sync_runs where started_at > now() - interval '1 hour' group by kind, status) r) as sync_runs,
    (select coalesce(json_object_agg(kind, n), '{}'::json) from (select kind, count(*)::int as n from incidents where cleared_at is null group by kind) i) as incidents,
    (select extract(epoch from now() - max(heartbeat_at))::float8 from worker_heartbeats) as heartbeat_age,
    (select count(*)::int from worker_heartbeats where heartbeat_at > now() - make_interval(secs => ${WORKER_STALE_AFTER_SECONDS})) as workers_alive`);
  const row = result.rows[0]!;
  return {
    bookingsByStatus: row.bookings,
    emailsByStatus: row.emails,
    calendarsActive: row.calendars_active,
    calendarsFailing: row.calendars_failing,
    calendarSuccessAges: row.calendar_ages.map((c) => ({ calendarId: c.id, seconds: Math.max(0, Number(c.age)) })),
    syncRunsLastHour: row.sync_runs.map((r) => ({
      kind: r.kind,
      status: r.status,
      runs: r.runs,
      bytes: Number(r.bytes ?? 0),
      seconds: Math.max(0, Number(r.seconds ?? 0)),
    })),
    openIncidentsByKind: row.incidents,
    heartbeatAgeSeconds: row.heartbeat_age === null ? null : Math.max(0, Number(row.heartbeat_age)),
    workersAlive: row.workers_alive,
    jobs: await listJobMetricLines(db),
  };
}
