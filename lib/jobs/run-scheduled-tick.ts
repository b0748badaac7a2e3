import type { Database } from "@/db/client";
import { expireStaleHolds } from "@/lib/bookings/transitions";
import { expireUnpaidCheckouts } from "@/lib/payments/expire-unpaid-checkouts";
import { pruneSyncRuns, pullDueCalendars } from "@/lib/caldav/pull-calendar";
import { runWatchdog } from "@/lib/watchdog/run-watchdog";
import { deleteUnsentReferenceImages } from "@/lib/media/reference-images";
import { runDueJobs } from "./job-runner";
import { recoverJobsOfDeadWorkers } from "./worker-heartbeats";

/** How often `npm start` runs the tick itself; a scheduler calling the cron route does it every minute. */
export const IN_PROCESS_TICK_MS = 30_000;

/**
 * The periodic work (every 30 s in-process, every minute from a scheduler): give the jobs of dead
 * workers back to the queue, expire stale holds, pull the artists' calendars that are due, and
 * drain due jobs (after the pull, so pushes queued by applied calendar edits go out at once), then
 * let the watchdog judge what is still late or failing. `runJobs: false` means a resident worker
 * drains the jobs (npm start), so the watchdog also judges its heartbeat; the cron route alone
 * drains them itself and has no worker to judge.
 * Shared by the cron route and the in-process timer of `npm start`, so both deployments do
 * exactly the same thing.
 */
export async function runScheduledTick(db: Database, opts: { runJobs?: boolean } = {}) {
  const startedAt = Date.now();
  const recovered = await recoverJobsOfDeadWorkers(db);
  const holdsExpired = await expireStaleHolds(db);
  // Unpaid Stripe checkouts past the payment window: expired at Stripe first, then the slot is freed.
  const checkouts = await expireUnpaidCheckouts(db);
  const calendars = await pullDueCalendars(db, { concurrency: 4 });
  const syncRunsPruned = await pruneSyncRuns(db, 90);
  // Customers' photos of holds that were never sent, a day after the hold ran out (the booking row itself stays, expired).
  const referenceImagesDeleted = await deleteUnsentReferenceImages(db, new Date());
  const jobs = opts.runJobs === false ? null : await runDueJobs(db);
  const watchdog = await runWatchdog(db, { now: new Date(), residentWorker: opts.runJobs === false });
  return {
    holdsExpired,
    checkoutsExpired: checkouts.expired,
    jobsOfDeadWorkersUnlocked: recovered.jobsUnlocked,
    jobsDueBefore: jobs?.jobsBefore ?? null,
    jobsDueAfter: jobs?.jobsAfter ?? null,
    calendarsPulled: calendars.pulled,
    calendarsFailed: calendars.failed,
    syncRunsPruned,
    referenceImagesDeleted,
    watchdog: { incidentsOpen: watchdog.open, incidentsOpened: watchdog.opened.length, incidentsCleared: watchdog.cleared.length },
    durationMs: Date.now() - startedAt,
  };
}
