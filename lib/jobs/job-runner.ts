import { EventEmitter } from "node:events";
import { Logger, run, runOnce, type TaskList, type WorkerEvents } from "graphile-worker";
import type { Database } from "@/db/client";
import { createCalendarTaskList, createEmailTaskList, type TaskListOptions } from "./task-list";
import { HEARTBEAT_INTERVAL_MS, recoverJobsOfDeadWorkers, trackWorkerHeartbeats } from "./worker-heartbeats";

const logger = new Logger((scope) => (level, message) => {
  if (level === "error") console.error(`[jobs] ${message}`, scope.taskIdentifier ? `(${scope.taskIdentifier})` : "");
  else if (level === "warning") console.warn(`[jobs] ${message}`);
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
    sweeping = recoverJobsOfDeadWorkers(db).catch((err) => console.error("[jobs] dead-worker sweep failed:", err instanceof Error ? err.message : err));
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
