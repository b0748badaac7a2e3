import { Logger, run, runOnce, type Runner } from "graphile-worker";
import type { Database } from "@/db/client";
import { createTaskList } from "./task-list";

const logger = new Logger((scope) => (level, message) => {
  if (level === "error") console.error(`[jobs] ${message}`, scope.taskIdentifier ? `(${scope.taskIdentifier})` : "");
  else if (level === "warning") console.warn(`[jobs] ${message}`);
});

/** The resident worker of `npm start`: picks jobs up as they are added (LISTEN/NOTIFY). */
export async function startJobWorker(db: Database, opts: { concurrency?: number } = {}): Promise<Runner> {
  return run({
    pgPool: db.$client,
    taskList: createTaskList(db),
    concurrency: opts.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    logger,
  });
}

/** Runs every job that is due now and returns; for the cron route and for tests. */
export async function runDueJobs(db: Database) {
  const before = await countJobs(db);
  await runOnce({ pgPool: db.$client, taskList: createTaskList(db), noHandleSignals: true, logger });
  const after = await countJobs(db);
  return { jobsBefore: before, jobsAfter: after };
}

async function countJobs(db: Database) {
  const result = await db.$client.query<{ waiting: number }>("select count(*)::int as waiting from graphile_worker.jobs where locked_at is null and run_at <= now() and attempts < max_attempts");
  return result.rows[0]?.waiting ?? 0;
}
