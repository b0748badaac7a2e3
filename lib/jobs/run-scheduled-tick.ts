import type { Database } from "@/db/client";
import { expireStaleHolds } from "@/lib/bookings/transitions";
import { runDueJobs } from "./job-runner";

/**
 * The once-a-minute work: expire stale holds and drain due jobs. Shared by the cron route and
 * the in-process timer of `npm start`, so both deployments do exactly the same thing.
 */
export async function runScheduledTick(db: Database, opts: { runJobs?: boolean } = {}) {
  const startedAt = Date.now();
  const holdsExpired = await expireStaleHolds(db);
  const jobs = opts.runJobs === false ? null : await runDueJobs(db);
  return { holdsExpired, jobsDueBefore: jobs?.jobsBefore ?? null, jobsDueAfter: jobs?.jobsAfter ?? null, calendarsPulled: 0, durationMs: Date.now() - startedAt };
}
