import { EventEmitter } from "node:events";
import { Logger, run, runOnce, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import type { Database } from "@/db/client";
import { createCalendarTaskList, createEmailTaskList, createPaymentTaskList, createWebhookTaskList, type TaskListOptions } from "./task-list";
import { HEARTBEAT_INTERVAL_MS, recoverJobsOfDeadWorkers, trackWorkerHeartbeats, unlockJobsOfExitedPools } from "./worker-heartbeats";
import { childLogger, scrubAddresses } from "@/lib/log/logger";

const jobsLog = childLogger("jobs");

/**
 * graphile-worker's own log, as JSON lines. A job's start/end line carries its id, name, attempt,
 * duration and the booking (or notification) it is about, from its payload; never the payload itself.
 */
const logger = new Logger((scope) => (level, message, meta) => {
  const job = (meta as { job?: { id: string; task_identifier: string; attempts: number; max_attempts: number; payload: unknown } } | undefined)?.job;
  const ids = job?.payload && typeof job.payload === "object" ? (job.payload as Record<string, unknown>) : {};
  const line = {
    jobId: job?.id ?? scope.jobId,
    jobName: job?.task_identifier ?? scope.taskIdentifier,
    ...(typeof ids.bookingId === "string" ? { bookingId: ids.bookingId } : {}),
    ...(typeof ids.notificationId === "string" ? { notificationId: ids.notificationId } : {}),
    ...(job ? { attempt: job.attempts, maxAttempts: job.max_attempts } : {}),
    ...(typeof meta?.duration === "number" ? { durationMs: Math.round(meta.duration) } : {}),
    ...(meta?.error !== undefined ? { err: meta.error } : {}),
  };
  // The failure's message and stack are in `err`; graphile's own text repeats them.
  const text = job ? (meta?.failure ? "job failed" : meta?.success ? "job done" : message) : scrubAddresses(message);
  if (level === "error") jobsLog.error(line, text);
  else if (level === "warning") jobsLog.warn(line, text);
  else if (level === "info") jobsLog.info(line, text);
  else jobsLog.debug(line, text);
});

/**
 * The job kinds run in separate groups, each with its own worker pool and concurrency budget.
 * graphile-worker has no per-queue concurrency, but a pool only ever fetches jobs of the tasks in
 * its own task list, so two pools with disjoint task lists cannot take each other's slots: four
 * mails stuck on a stalled SMTP server leave every calendar slot free, and the reverse.
 */
const JOB_GROUPS = [
  { name: "email", concurrency: 4, taskList: createEmailTaskList },
  { name: "calendar", concurrency: 4, taskList: createCalendarTaskList },
  { name: "payments", concurrency: 2, taskList: createPaymentTaskList },
  { name: "webhooks", concurrency: 4, taskList: createWebhookTaskList },
] as const satisfies readonly { name: string; concurrency: number; taskList: (db: Database, opts?: TaskListOptions) => TaskList }[];

export type JobWorker = { stop: () => Promise<void> };

/** How long a job group waits before starting a new runner after its runner exited. */
const RUNNER_RESTART_DELAY_MS = 2_000;

/**
 * The resident worker of `npm start`: one pool per job group, picking jobs up as they are added
 * (LISTEN/NOTIFY), each pool keeping its heartbeat row; every heartbeat also sweeps for jobs of
 * dead workers (here or on another instance), so they run again within a minute.
 *
 * A Postgres restart can kill a pool (graphile shuts it down when it cannot record a job's
 * outcome) or leave it alive holding jobs it no longer runs. So a group whose runner exits while
 * we are not stopping frees its old pool's jobs and starts a new runner, retrying until the
 * database answers; and every heartbeat frees the jobs our live pools hold without running them.
 */
export async function startJobWorker(db: Database): Promise<JobWorker> {
  const events = new EventEmitter() as WorkerEvents;
  const heartbeats = trackWorkerHeartbeats(db, events);
  let stopped = false;
  const current = new Map<string, Runner>();

  const startGroup = async (group: (typeof JOB_GROUPS)[number]): Promise<Runner> => {
    const before = new Set(heartbeats.livePools());
    const runner = await run({
      pgPool: db.$client,
      taskList: group.taskList(db),
      concurrency: group.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger,
      events,
    });
    // Pools are created synchronously inside run(): the new one is the pool that was not live before.
    const poolIds = heartbeats.livePools().filter((id) => !before.has(id));
    current.set(group.name, runner);
    runner.promise.then(
      () => onExit(group, poolIds, undefined),
      (err: unknown) => onExit(group, poolIds, err),
    );
    return runner;
  };

  const onExit = (group: (typeof JOB_GROUPS)[number], poolIds: string[], err: unknown) => {
    if (stopped) return;
    jobsLog.error({ err, group: group.name, poolIds }, "job runner exited; starting a new one");
    void (async () => {
      for (let attempt = 0; !stopped; attempt++) {
        await sleep(Math.min(RUNNER_RESTART_DELAY_MS * 2 ** attempt, 30_000));
        if (stopped) return;
        try {
          await unlockJobsOfExitedPools(db, poolIds);
          await startGroup(group);
          jobsLog.warn({ group: group.name }, "job runner restarted");
          return;
        } catch (restartErr) {
          jobsLog.error({ err: restartErr, group: group.name }, "job runner restart failed; trying again");
        }
      }
    })();
  };

  // Sequential so each new pool id is attributed to its own group.
  for (const group of JOB_GROUPS) await startGroup(group);

  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = setInterval(() => {
    sweeping = Promise.all([
      recoverJobsOfDeadWorkers(db).catch((err) => jobsLog.error({ err }, "dead-worker sweep failed")),
      heartbeats.unlockOrphanedJobs().catch((err) => jobsLog.error({ err }, "orphaned-job sweep failed")),
    ]);
  }, HEARTBEAT_INTERVAL_MS);
  sweep.unref();
  let stopping: Promise<void> | undefined;
  return {
    // Stopping twice (a signal handler and the shutdown path) waits for the first stop instead of
    // failing with "Runner is already stopped".
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        clearInterval(sweep);
        await sweeping;
        // A clean stop finishes the running jobs and deletes the pools' heartbeat rows.
        await Promise.all([...current.values()].map((r) => r.stop().catch((err) => jobsLog.warn({ err }, "job runner stop failed"))));
        await heartbeats.stop();
      })()),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs every job that is due now and returns; for the cron route and for tests. The groups drain
 * side by side, so a stalled SMTP server does not hold up calendar jobs here either. Tests pass
 * `now` to run the jobs' own time checks (is this reminder due?) on a clock they control.
 */
export async function runDueJobs(db: Database, opts: TaskListOptions = {}) {
  const before = await countJobs(db);
  const events = new EventEmitter() as WorkerEvents;
  const heartbeats = trackWorkerHeartbeats(db, events);
  try {
    await Promise.all(
      JOB_GROUPS.map((group) =>
        runOnce({ pgPool: db.$client, taskList: group.taskList(db, opts), concurrency: group.concurrency, noHandleSignals: true, logger, events }),
      ),
    );
  } finally {
    await heartbeats.stop();
  }
  const after = await countJobs(db);
  return { jobsBefore: before, jobsAfter: after };
}

async function countJobs(db: Database) {
  const result = await db.$client.query<{ waiting: number }>(
    "select count(*)::int as waiting from graphile_worker.jobs where locked_at is null and run_at <= now() and attempts < max_attempts",
  );
  return result.rows[0]?.waiting ?? 0;
}
