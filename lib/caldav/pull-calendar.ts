/**
 * Nextcloud → Holdfast. For each due calendar (claimed with FOR UPDATE SKIP LOCKED plus a lease,
 * so several app instances share the work and never pull one calendar twice at once):
 * sync-collection from the stored token, a multiget of the objects whose ETag changed, expansion
 * over a rolling horizon, and one transaction that replaces the busy blocks of exactly those
 * objects together with calendar_objects and the new token. Holdfast's own events never become
 * busy blocks (they are bookings already); changes the artist made to them go through the
 * studio's policy. An object that cannot be read is skipped and shown, never fatal to the pull.
 * Every run leaves a calendar_sync_runs row; failures leave the mirror as it was.
 *
 * The steps live in ./pull/: claim-calendar, read-changes, plan-changes, commit-changes,
 * record-failure.
 */
import { eq, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { artists, calendars, calendarSyncRuns, type Calendar } from "@/db/schema";
import { readEnv } from "@/lib/env";
import { childLogger } from "@/lib/log/logger";
import { defaultStudioZone } from "@/lib/studio/studio-settings";
import { applyArtistEdits } from "./apply-artist-edits";
import { hrefKey, type CalDavStats } from "./caldav-client";
import { clientForCalendar } from "./client-for-calendar";
import { claimCalendar } from "./pull/claim-calendar";
import { commitPlan } from "./pull/commit-changes";
import { planChanges } from "./pull/plan-changes";
import { readChanges, type PullKind } from "./pull/read-changes";
import { recordFailure } from "./pull/record-failure";

export { ALERT_AFTER_FAILURES } from "./pull/record-failure";

const log = childLogger("caldav.pull");
export type { PullKind } from "./pull/read-changes";

/** CALDAV_HORIZON_DAYS's default, from the schema (the benchmark sizes its data by it). */
export const DEFAULT_HORIZON_DAYS = readEnv(["CALDAV_HORIZON_DAYS"], {}).CALDAV_HORIZON_DAYS;

export type PullStatus = "success" | "partial" | "failed" | "busy" | "missing";

export type PullSummary = {
  calendarId: string;
  status: PullStatus;
  kind: PullKind | null;
  objectsChanged: number;
  objectsDeleted: number;
  objectsSkipped: number;
  blocksWritten: number;
  requests: number;
  bytes: number;
  durationMs: number;
  error: string | null;
  errorCode: string | null;
};

export type PullOptions = { now?: Date; horizonDays?: number };

// readEnv, not getEnv: the CalDAV benchmark pulls with its own database handle and no DATABASE_URL.
function horizonDays(opts: PullOptions): number {
  return opts.horizonDays ?? readEnv(["CALDAV_HORIZON_DAYS"]).CALDAV_HORIZON_DAYS;
}

function syncWindow(opts: PullOptions) {
  const now = opts.now ?? new Date();
  return { now, from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + horizonDays(opts) * 86_400_000) };
}

async function runPull(db: Database, calendar: Calendar, opts: PullOptions): Promise<PullSummary> {
  const result = await runPullOnce(db, calendar, opts);
  const line = {
    calendarId: result.calendarId,
    outcome: result.status,
    kind: result.kind,
    objectsChanged: result.objectsChanged,
    objectsDeleted: result.objectsDeleted,
    objectsSkipped: result.objectsSkipped,
    requests: result.requests,
    bytes: result.bytes,
    durationMs: result.durationMs,
  };
  // A failure's error was logged where it was recorded (pull/record-failure.ts); this is the run's summary.
  log.info(result.status === "failed" ? { ...line, errorCode: result.errorCode } : line, "calendar pull finished");
  return result;
}

async function runPullOnce(db: Database, calendar: Calendar, opts: PullOptions): Promise<PullSummary> {
  const startedAt = new Date();
  const stats: CalDavStats = { requests: 0, bytesSent: 0, bytesReceived: 0 };
  const summary = (status: PullStatus, rest: Partial<PullSummary> = {}): PullSummary => ({
    calendarId: calendar.id,
    status,
    kind: null,
    objectsChanged: 0,
    objectsDeleted: 0,
    objectsSkipped: 0,
    blocksWritten: 0,
    requests: stats.requests,
    bytes: stats.bytesSent + stats.bytesReceived,
    durationMs: Date.now() - startedAt.getTime(),
    error: null,
    errorCode: null,
    ...rest,
  });
  let kind: PullKind = calendar.syncToken ? "incremental" : "initial";
  try {
    const window = syncWindow(opts);
    const [artist] = await db.select({ timezone: artists.timezone }).from(artists).where(eq(artists.id, calendar.artistId));
    const timezone = artist?.timezone ?? defaultStudioZone();
    const client = clientForCalendar(calendar, { stats });
    const listing = await readChanges(db, client, calendar);
    const known = listing.known;
    // One spelling per object: the one already stored, whatever encoding the server used this time.
    const canonical = (href: string) => known.get(hrefKey(href))?.href ?? href;
    kind = listing.kind;
    const toFetch = [...listing.changed.map((c) => canonical(c.href)), ...listing.verify];
    const fetched = toFetch.length ? await client.fetchObjects(calendar.calendarUrl, toFetch) : { found: [], missing: [] };
    const verifyOnly = new Set(listing.verify.map(hrefKey));
    // Still there and unchanged since we wrote it: nothing to do (but it counts as seen).
    const unchanged = (f: { href: string; etag: string | null }) =>
      verifyOnly.has(hrefKey(f.href)) && f.etag !== null && known.get(hrefKey(f.href))?.etag === f.etag;
    const canonicalFound = fetched.found.map((f) => ({ ...f, href: canonical(f.href) }));
    const found = canonicalFound.filter((f) => !unchanged(f));
    const seen = [...(listing.seen ?? []), ...canonicalFound.filter(unchanged).map((f) => ({ href: f.href, etag: f.etag }))];
    const deleted = [...new Set([...listing.deleted, ...fetched.missing.filter((href) => known.has(hrefKey(href)))].map(canonical))];
    const plan = await planChanges(db, calendar, found, deleted, known, timezone, window);
    // Quoted fragments of the object stay out of the log (a botched copy of Holdfast's own event
    // could quote a customer's name); the admin page shows the full reason.
    for (const s of plan.skipped) log.warn({ calendarId: calendar.id, href: s.href, reason: s.reason.replace(/"[^"]*"/g, '"…"') }, "calendar object skipped");
    for (const w of plan.warnings) log.warn({ calendarId: calendar.id, warning: w.replace(/"[^"]*"/g, '"…"') }, "calendar object warning");

    const committed = await commitPlan(db, calendar, { ...listing, seen }, plan, window, stats, startedAt);
    if (!committed) return summary("missing", { kind });
    // Policy "auto": apply the artist's edits through the booking transitions, now that the
    // mirror is committed (each transition is its own transaction and queues its own push).
    for (const edit of committed.deferredEdits) await applyArtistEdits(db, edit);
    return summary(plan.skipped.length ? "partial" : "success", {
      kind,
      objectsChanged: plan.foreign.length + plan.own.length,
      objectsDeleted: deleted.length,
      objectsSkipped: plan.skipped.length,
      blocksWritten: committed.blocksWritten,
    });
  } catch (err) {
    const failure = await recordFailure(db, calendar, kind, err, stats, startedAt);
    return summary("failed", { kind, error: failure.message, errorCode: failure.code });
  }
}

/**
 * Pulls one calendar now, whether or not it is due (a webhook, "sync now", tests). Answers
 * `busy` when another instance is pulling it at this moment.
 */
export async function pullCalendarChanges(db: Database, calendarId: string, opts: PullOptions = {}): Promise<PullSummary> {
  const calendar = await claimCalendar(db, calendarId);
  if (!calendar) {
    const [exists] = await db.select({ id: calendars.id, active: calendars.active }).from(calendars).where(eq(calendars.id, calendarId));
    return {
      calendarId,
      status: exists?.active ? "busy" : "missing",
      kind: null,
      objectsChanged: 0,
      objectsDeleted: 0,
      objectsSkipped: 0,
      blocksWritten: 0,
      requests: 0,
      bytes: 0,
      durationMs: 0,
      error: null,
      errorCode: null,
    };
  }
  return runPull(db, calendar, opts);
}

/**
 * Pulls every due calendar, `concurrency` at a time (the server's latency dominates, so a few in
 * parallel keep Holdfast's own overhead small). Each worker claims its next calendar itself, so
 * any number of instances can run this at once.
 */
export async function pullDueCalendars(
  db: Database,
  opts: PullOptions & { concurrency?: number; limit?: number } = {},
): Promise<{ pulled: number; failed: number; results: PullSummary[] }> {
  const results: PullSummary[] = [];
  // Only what was due when this round began: a long round must not start pulling its first
  // calendars a second time.
  const dueBy = new Date();
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  let claimed = 0;
  const worker = async () => {
    while (claimed < limit) {
      claimed += 1;
      const calendar = await claimCalendar(db, null, dueBy);
      if (!calendar) return;
      results.push(await runPull(db, calendar, opts));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return { pulled: results.length, failed: results.filter((r) => r.status === "failed").length, results };
}

/** Sync-run log retention: rows older than `days` (default 90) go. */
export async function pruneSyncRuns(db: Database, days = 90): Promise<number> {
  const deleted = await db
    .delete(calendarSyncRuns)
    .where(lt(calendarSyncRuns.startedAt, sql`now() - make_interval(days => ${days})`))
    .returning({ id: calendarSyncRuns.id });
  return deleted.length;
}
