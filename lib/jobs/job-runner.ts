import { EventEmitter } from "node:events";
import { Logger, run, runOnce, type TaskList, type WorkerEvents } from "graphile-worker";
import type { Database } from "@/db/client";
import { createCalendarTaskList, createEmailTaskList, createPaymentTaskList, createWebhookTaskList, type TaskListOptions } from "./task-list";
import { HEARTBEAT_INTERVAL_MS, recoverJobsOfDeadWorkers, trackWorkerHeartbeats } from "./worker-heartbeats";
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

/**
 * The resident worker of `npm start`: one pool per job group, picking jobs up as they are added
 * (LISTEN/NOTIFY), each pool keeping its heartbeat row; every heartbeat also sweeps for jobs of
 * dead workers (here or on another instance), so they run again within a minute.
 */
export async function startJobWorker(db: Database): Promise<JobWorker> {
  const events = new EventEmitter() as WorkerEvents;
  const heartbeats = trackWorkerHeartbeats(db, events);
  const runners = await Promise.all(
    JOB_GROUPS.map((group) =>
      run({ pgPool: db.$client, taskList: group.taskList(db), concurrency: group.concurrency, noHandleSignals: true, pollInterval: 1000, logger, events }),
    ),
  );
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = setInterval(() => {
    sweeping = recoverJobsOfDeadWorkers(db).catch((err) => jobsLog.error({ err }, "dead-worker sweep failed"));
  }, HEARTBEAT_INTERVAL_MS);
  sweep.unref();
  return {
    stop: async () => {
      clearInterval(sweep);
      await sweeping;
      // A clean stop finishes the running jobs and deletes the pools' heartbeat rows.
      await Promise.all(runners.map((r) => r.stop()));
      await heartbeats.stop();
    },
  };
}

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
