import type { Database } from "@/db/client";
import { expireStaleHolds } from "@/lib/bookings/transitions";
import { pruneSyncRuns, pullDueCalendars } from "@/lib/caldav/pull-calendar";
import { runDueJobs } from "./job-runner";
import { recoverJobsOfDeadWorkers } from "./worker-heartbeats";

/** How often `npm start` runs the tick itself; a scheduler calling the cron route does it every minute. */
export const IN_PROCESS_TICK_MS = 30_000;

/**
 * The periodic work (every 30 s in-process, every minute from a scheduler): give the jobs of dead
 * workers back to the queue, expire stale holds, pull the artists' calendars that are due, and
 * drain due jobs (after the pull, so pushes queued by applied calendar edits go out at once).
 * Shared by the cron route and the in-process timer of `npm start`, so both deployments do
 * exactly the same thing.
 */
export async function runScheduledTick(db: Database, opts: { runJobs?: boolean } = {}) {
  const startedAt = Date.now();
  const recovered = await recoverJobsOfDeadWorkers(db);
  const holdsExpired = await expireStaleHolds(db);
  const calendars = await pullDueCalendars(db, { concurrency: 4 });
  const syncRunsPruned = await pruneSyncRuns(db, 90);
  const jobs = opts.runJobs === false ? null : await runDueJobs(db);
  return {
    holdsExpired,
    jobsOfDeadWorkersUnlocked: recovered.jobsUnlocked,
    jobsDueBefore: jobs?.jobsBefore ?? null,
    jobsDueAfter: jobs?.jobsAfter ?? null,
    calendarsPulled: calendars.pulled,
    calendarsFailed: calendars.failed,
    syncRunsPruned,
    durationMs: Date.now() - startedAt,
  };
}
