import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { readEnv } from "@/lib/env";
import { deadJobCountSql } from "@/lib/jobs/job-queries";
import { INCIDENT_KIND_INFO, WORKER_SILENT_AFTER_SECONDS, isIncidentKind, type HealthPart } from "./incident-kinds";
import { listOpenIncidents } from "./list-incidents";
import type { HealthCheckName, HealthResponse } from "./response-schemas";

type Check = HealthResponse["checks"][HealthCheckName];

/**
 * GET /api/health's answer: the database answered (else the route answers for it), and each part
 * is ok unless the watchdog holds an open incident for it. The lines name kinds and counts only:
 * whoever asks may be a stranger, so no calendar, artist or customer, no error text.
 */
export async function getHealthReport(db: Executor): Promise<HealthResponse> {
  const [counts, open] = await Promise.all([
    db.execute<{ dead: number; queued: number; workers: number; calendars: number }>(sql`select
      ${deadJobCountSql()} as dead,
      (select count(*)::int from notifications where status = 'queued') as queued,
      (select count(*)::int from worker_heartbeats where heartbeat_at >= now() - make_interval(secs => ${WORKER_SILENT_AFTER_SECONDS})) as workers,
      (select count(*)::int from calendars where active) as calendars`),
    listOpenIncidents(db),
  ]);
  const c = counts.rows[0]!;
  const failing = (part: HealthPart, okDetail: string): Check => {
    const mine = open.filter((i) => isIncidentKind(i.kind) && INCIDENT_KIND_INFO[i.kind].part === part);
    if (mine.length === 0) return { ok: true, detail: okDetail };
    const titles = [...new Set(mine.map((i) => i.title))];
    return { ok: false, detail: `${titles.join("; ")} (since ${mine[0]!.beganAt})` };
  };
  const smtpConfigured = !!readEnv(["SMTP_URL"]).SMTP_URL;
  const checks: HealthResponse["checks"] = {
    database: { ok: true, detail: "answered" },
    worker: failing("worker", c.workers > 0 ? `${c.workers} worker pool(s) reporting` : "no resident worker reporting; jobs run from the tick"),
    mail: failing("mail", smtpConfigured ? `${c.queued} queued` : "SMTP not configured; messages are kept"),
    calendars: failing("calendars", `${c.calendars} active`),
    jobs: failing("jobs", `${c.dead} permanently failed`),
    alerts:
      open.length === 0
        ? { ok: true, detail: "no open alerts" }
        : { ok: false, detail: `${open.length} open: ${[...new Set(open.map((i) => i.kind))].join(", ")}` },
  };
  // An incident of a kind this version does not know still fails the alerts check above.
  const healthy = Object.values(checks).every((check) => check.ok);
  return { status: healthy ? "ok" : "unavailable", checks };
}

/** The answer when the database did not answer: every other part is unknown, so none is called ok. */
export function databaseDownReport(reference: string): HealthResponse {
  const unknown: Check = { ok: false, detail: "not checked: the database did not answer" };
  return {
    status: "unavailable",
    checks: {
      database: { ok: false, detail: `The database did not answer (reference ${reference})` },
      worker: unknown,
      mail: unknown,
      calendars: unknown,
      jobs: unknown,
      alerts: unknown,
    },
  };
}
