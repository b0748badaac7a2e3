import { childLogger } from "@/lib/log/logger";
import { Gauge, type Registry } from "prom-client";
import { bookingStatus, notificationStatus } from "@/db/schema";
import type { MetricsSnapshot } from "./read-metrics-snapshot";

const log = childLogger("metrics");

type Load = () => Promise<MetricsSnapshot>;

/**
 * The gauges read from Postgres when Prometheus scrapes. prom-client calls every gauge's
 * collect() at once, so they share one in-flight snapshot: one scrape costs the snapshot's two
 * statements, not one per gauge. When the database does not answer, the scrape still succeeds
 * with `holdfast_metrics_database_up 0` and no database figures (rather than stale ones).
 */
export function registerDatabaseGauges(registry: Registry, load: Load) {
  let inflight: Promise<MetricsSnapshot | undefined> | undefined;
  const snapshot = () =>
    // Through then(): a load that throws at once (no DATABASE_URL) is a failed read like any other.
    (inflight ??= Promise.resolve()
      .then(load)
      .catch((err: unknown) => {
        log.error({ err }, "reading the database for the metrics failed");
        return undefined;
      })
      .finally(() => {
        inflight = undefined;
      }));

  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, s: MetricsSnapshot) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        // Reset first: a label that is gone from the database (a drained job kind, a cleared incident) must vanish, not keep its last value.
        this.reset();
        if (s) fill(this, s);
      },
    });

  const counts = <L extends string>(g: Gauge<L>, label: L, values: Record<string, number>, known: readonly string[] = []) => {
    for (const key of new Set([...known, ...Object.keys(values)])) g.set({ [label]: key } as Partial<Record<L, string>>, values[key] ?? 0);
  };

  new Gauge({
    name: "holdfast_metrics_database_up",
    help: "1 when this scrape could read the database, 0 when it could not (the database figures are then missing)",
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  gauge("holdfast_bookings_by_status", "Bookings in the database by status", ["status"], (g, s) =>
    counts(g, "status", s.bookingsByStatus, bookingStatus.enumValues),
  );
  gauge("holdfast_emails_by_status", "Emails (notification rows) by delivery status", ["status"], (g, s) =>
    counts(g, "status", s.emailsByStatus, notificationStatus.enumValues),
  );
  gauge("holdfast_job_queue_depth", "Jobs in the queue per kind: due (should run now), scheduled (later) or running", ["kind", "state"], (g, s) => {
    for (const j of s.jobs) {
      g.set({ kind: j.task, state: "due" }, j.due);
      g.set({ kind: j.task, state: "scheduled" }, j.scheduled);
      g.set({ kind: j.task, state: "running" }, j.running);
    }
  });
  gauge("holdfast_job_oldest_due_age_seconds", "Per kind: how long the oldest due, waiting job has been due (0 when none waits)", ["kind"], (g, s) => {
    for (const j of s.jobs) g.set({ kind: j.task }, j.oldestDueSeconds);
  });
  gauge(
    "holdfast_job_failures",
    "Failed jobs per kind: retrying (failed, will run again) or dead (out of attempts, waits for an admin's retry)",
    ["kind", "state"],
    (g, s) => {
      for (const j of s.jobs) {
        g.set({ kind: j.task, state: "retrying" }, j.retrying);
        g.set({ kind: j.task, state: "dead" }, j.dead);
      }
    },
  );
  gauge("holdfast_calendars_active", "Linked calendars that are pulled", [], (g, s) => g.set(s.calendarsActive));
  gauge("holdfast_calendars_failing", "Active calendars whose last pull failed (consecutive_failures > 0)", [], (g, s) => g.set(s.calendarsFailing));
  gauge(
    "holdfast_calendar_last_success_age_seconds",
    "Per active calendar: seconds since its last successful pull (since it was linked, if none)",
    ["calendar_id"],
    (g, s) => {
      for (const c of s.calendarSuccessAges) g.set({ calendar_id: c.calendarId }, c.seconds);
    },
  );
  gauge(
    "holdfast_calendar_sync_runs_last_hour",
    "Calendar pulls logged in the last hour by kind and status (idle incremental pulls are not logged)",
    ["kind", "status"],
    (g, s) => {
      for (const r of s.syncRunsLastHour) g.set({ kind: r.kind, status: r.status }, r.runs);
    },
  );
  gauge("holdfast_calendar_sync_last_hour_bytes", "Bytes sent and received by the calendar pulls logged in the last hour", ["kind", "status"], (g, s) => {
    for (const r of s.syncRunsLastHour) g.set({ kind: r.kind, status: r.status }, r.bytes);
  });
  gauge("holdfast_calendar_sync_last_hour_duration_seconds", "Summed duration of the calendar pulls logged in the last hour", ["kind", "status"], (g, s) => {
    for (const r of s.syncRunsLastHour) g.set({ kind: r.kind, status: r.status }, r.seconds);
  });
  gauge("holdfast_incidents_open", "Open watchdog incidents (alerts) by kind", ["kind"], (g, s) => counts(g, "kind", s.openIncidentsByKind));
  gauge(
    "holdfast_worker_heartbeat_age_seconds",
    "Seconds since the freshest job worker heartbeat of any instance (+Inf when no worker has ever reported)",
    [],
    (g, s) => g.set(s.heartbeatAgeSeconds ?? Number.POSITIVE_INFINITY),
  );
  gauge("holdfast_workers_alive", "Job worker pools whose heartbeat is fresh", [], (g, s) => g.set(s.workersAlive));
}
