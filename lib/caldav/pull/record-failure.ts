/**
 * A pull that failed as a whole (the server, the network, the credentials — never one object's
 * content): counted, backed off, logged, and after a few in a row an alert for the admins.
 * The mirror stays as it was.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { artists, calendars, calendarSyncRuns, type Calendar } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { alertAdmins } from "../alert-admins";
import { CalDavError, type CalDavStats } from "../caldav-client";
import type { PullKind } from "./read-changes";
import { childLogger } from "@/lib/log/logger";

const log = childLogger("caldav.pull");

export const ALERT_AFTER_FAILURES = 3;

function failureBackoffSeconds(failures: number, err: unknown): number {
  const base = Math.min(60 * 2 ** Math.max(0, failures - 1), 3600);
  if (err instanceof CalDavError && err.retryAfterMs !== undefined) return Math.max(base, Math.ceil(err.retryAfterMs / 1000));
  // Every refused login counts towards Nextcloud's brute-force lock: do not hammer it.
  if (err instanceof CalDavError && err.kind === "unauthorized") return Math.max(base, 900);
  return base;
}

function describeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof CalDavError) {
    const hint =
      err.kind === "unauthorized"
        ? " — the app password may have been revoked: create a new one in Nextcloud and link the calendar again"
        : err.kind === "rate_limited"
          ? " — Nextcloud is throttling logins from this server (brute-force protection)"
          : "";
    return { code: err.kind, message: `${err.message}${hint}` };
  }
  if (err instanceof HoldfastError) return { code: err.code, message: err.message };
  return { code: "internal", message: err instanceof Error ? err.message : String(err) };
}

export async function recordFailure(
  db: Database,
  calendar: Calendar,
  kind: PullKind,
  err: unknown,
  stats: CalDavStats,
  startedAt: Date,
): Promise<{ code: string; message: string }> {
  const failure = describeFailure(err);
  log.error({ calendarId: calendar.id, kind, errorCode: failure.code, err }, "calendar pull failed");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(calendars)
      .set({
        consecutiveFailures: sql`${calendars.consecutiveFailures} + 1`,
        lastError: failure.message,
        lastErrorCode: failure.code,
        lastSyncAt: new Date(),
        syncLockedUntil: null,
      })
      .where(eq(calendars.id, calendar.id))
      .returning({ failures: calendars.consecutiveFailures, name: calendars.displayName, url: calendars.calendarUrl, artistId: calendars.artistId });
    if (!row) return;
    const backoff = failureBackoffSeconds(row.failures, err);
    await tx
      .update(calendars)
      .set({ nextSyncAt: sql`now() + make_interval(secs => ${backoff})` })
      .where(eq(calendars.id, calendar.id));
    await tx.insert(calendarSyncRuns).values({
      calendarId: calendar.id,
      kind,
      status: "failed",
      startedAt,
      finishedAt: new Date(),
      requests: stats.requests,
      bytes: stats.bytesSent + stats.bytesReceived,
      error: `${failure.code}: ${failure.message}`.slice(0, 2000),
    });
    if (row.failures === ALERT_AFTER_FAILURES) {
      const [artist] = await tx.select({ name: artists.name }).from(artists).where(eq(artists.id, row.artistId));
      const label = `${row.name ?? row.url}${artist ? ` (${artist.name})` : ""}`;
      await alertAdmins(tx, {
        kind: "calendar_sync_failing",
        severity: "error",
        calendarId: calendar.id,
        message: `Calendar ${label} failed to sync ${row.failures} times in a row. Nothing was deleted; Holdfast keeps retrying. Last error: ${failure.message}`,
        email: { subject: `Calendar sync failing: ${label}` },
      });
    }
  });
  return failure;
}
