import { childLogger, scrubAddresses } from "@/lib/log/logger";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { incidents, workerHeartbeats, type Incident } from "@/db/schema";
import { readEnv } from "@/lib/env";
import { processIdentity } from "@/lib/jobs/worker-heartbeats";
import { announceIncident, announceRecovery } from "./announce-incident";
import { runChecks, type CheckContext, type Finding } from "./checks";
import { UNCONFIRMED_WORKER_INCIDENT_CLEARS_AFTER_SECONDS, type IncidentKind } from "./incident-kinds";

const log = childLogger("watchdog");

export type WatchdogOptions = {
  now: Date;
  /**
   * The caller says a resident job worker of this process drains the jobs (npm start's tick). The
   * worker is then judged once this process has been seen running one (a heartbeat row of its
   * own), so a caller that merely leaves the jobs alone is not taken for one. The cron route alone
   * has no resident worker, and then the worker is not judged at all.
   */
  residentWorker?: boolean;
  /** Judge the worker (or not) regardless of the above. */
  workerExpected?: boolean;
  /** Defaults to whether SMTP_URL is set. */
  smtpConfigured?: boolean;
};

export type WatchdogResult = { opened: Incident[]; cleared: Incident[]; open: number };

/**
 * Whether a worker of this process has ever written its heartbeat. Remembered on globalThis (like
 * processIdentity), because a dead worker's row is deleted by the next tick's sweep, and from then
 * on only this memory says a worker is missing.
 */
async function thisProcessRunsAWorker(db: Executor): Promise<boolean> {
  const holder = globalThis as { __holdfastWorkerSeen?: boolean };
  if (holder.__holdfastWorkerSeen) return true;
  const [own] = await db
    .select({ id: workerHeartbeats.workerId })
    .from(workerHeartbeats)
    .where(eq(workerHeartbeats.instanceId, processIdentity().instanceId))
    .limit(1);
  holder.__holdfastWorkerSeen = !!own;
  return !!own;
}

/**
 * Opens the incident of a cause, or refreshes it if it is open. The partial unique index (one open
 * row per kind and subject) decides between several instances running this at once: exactly one
 * insert wins, and only the winner announces it, in the same transaction.
 */
async function openOrRefresh(db: Executor, f: Finding, now: Date): Promise<Incident | null> {
  return db.transaction(async (tx) => {
    const [opened] = await tx
      .insert(incidents)
      .values({ kind: f.kind, subject: f.subject, severity: f.severity, message: f.message, bookingIds: f.bookingIds, beganAt: now, lastSeenAt: now })
      .onConflictDoNothing({ target: [incidents.kind, incidents.subject], where: isNull(incidents.clearedAt) })
      .returning();
    if (opened) {
      await announceIncident(tx, opened);
      await tx.update(incidents).set({ notifiedAt: now }).where(eq(incidents.id, opened.id));
      return { ...opened, notifiedAt: now };
    }
    await tx
      .update(incidents)
      .set({
        lastSeenAt: sql`greatest(${incidents.lastSeenAt}, ${now.toISOString()}::timestamptz)`,
        message: f.message,
        bookingIds: f.bookingIds,
        severity: f.severity,
      })
      .where(and(eq(incidents.kind, f.kind), eq(incidents.subject, f.subject), isNull(incidents.clearedAt)));
    return null;
  });
}

/** For causes found outside a watchdog round (a webhook endpoint disabled by its delivery job): opened at once, in the caller's transaction. */
export const openOrRefreshIncident = openOrRefresh;

/** Clears one open incident (if nobody else just did) and writes its "recovered" line. */
async function clear(db: Executor, id: string, now: Date): Promise<Incident | null> {
  return db.transaction(async (tx) => {
    const [cleared] = await tx
      .update(incidents)
      .set({ clearedAt: now })
      .where(and(eq(incidents.id, id), isNull(incidents.clearedAt)))
      .returning();
    if (cleared) await announceRecovery(tx, cleared);
    return cleared ?? null;
  });
}

/**
 * One round of the watchdog (run by every tick): each check's causes open or refresh one incident
 * each, and the open incidents of a checked kind whose cause is gone are cleared. Safe to run from
 * several app instances at once. Each incident is written in its own short transaction, so a
 * round never holds locks on more than one incident.
 */
export async function runWatchdog(db: Executor, opts: WatchdogOptions): Promise<WatchdogResult> {
  const now = opts.now;
  const ctx: CheckContext = {
    now,
    smtpConfigured: opts.smtpConfigured ?? !!readEnv(["SMTP_URL"]).SMTP_URL,
    workerExpected: opts.workerExpected ?? (opts.residentWorker === true && (await thisProcessRunsAWorker(db))),
  };
  const results = await runChecks(db, ctx);
  const opened: Incident[] = [];
  const cleared: Incident[] = [];

  for (const result of results) {
    let candidates: { id: string }[];
    if ("skipped" in result) {
      candidates = await db
        .select({ id: incidents.id })
        .from(incidents)
        .where(
          and(
            eq(incidents.kind, result.kind),
            isNull(incidents.clearedAt),
            lt(incidents.lastSeenAt, new Date(now.getTime() - UNCONFIRMED_WORKER_INCIDENT_CLEARS_AFTER_SECONDS * 1000)),
          ),
        );
    } else {
      for (const f of result.findings) {
        const incident = await openOrRefresh(db, f, now);
        if (incident) opened.push(incident);
      }
      candidates = await openIncidentsOfKindExcept(
        db,
        result.kind,
        result.findings.map((f) => f.subject),
      );
    }
    for (const { id } of candidates) {
      const incident = await clear(db, id, now);
      if (incident) cleared.push(incident);
    }
  }

  for (const i of opened)
    log.warn({ incidentId: i.id, kind: i.kind, subject: i.subject, bookingIds: i.bookingIds, detail: scrubAddresses(i.message) }, "alert opened");
  for (const i of cleared) log.info({ incidentId: i.id, kind: i.kind, subject: i.subject }, "alert cleared");
  const [{ n } = { n: 0 }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(isNull(incidents.clearedAt));
  return { opened, cleared, open: n };
}

async function openIncidentsOfKindExcept(db: Executor, kind: IncidentKind, subjects: string[]) {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.kind, kind), isNull(incidents.clearedAt), sql`not (${incidents.subject} = any(${sql.param(subjects)}::text[]))`));
}
