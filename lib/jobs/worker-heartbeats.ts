import { randomUUID } from "node:crypto";
import { readlinkSync } from "node:fs";
import os from "node:os";
import { sql } from "drizzle-orm";
import type { WorkerEvents } from "graphile-worker";
import type { Database } from "@/db/client";
import { workerHeartbeats } from "@/db/schema";
import { isProcessRunning } from "@/lib/os/is-process-running";
import { childLogger } from "@/lib/log/logger";

/** How often every running worker pool refreshes its row in worker_heartbeats. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A worker pool whose row is older than this (4+ missed heartbeats) is taken for dead. */
export const WORKER_STALE_AFTER_SECONDS = 45;

type ProcessIdentity = { instanceId: string; hostKey: string; pid: number };

/**
 * Who this process is. The instance id lives on globalThis because the Next server bundle and
 * the tsx-loaded scripts each get their own copy of this module inside one process.
 * The host key is the host name plus, on Linux, the PID namespace: two containers sharing a host
 * name (host networking) have separate PID spaces, and "pid N is not running" proves nothing about
 * a process in another one.
 */
export function processIdentity(): ProcessIdentity {
  const holder = globalThis as { __holdfastProcessIdentity?: ProcessIdentity };
  if (!holder.__holdfastProcessIdentity) {
    let pidNamespace = "";
    try {
      pidNamespace = readlinkSync("/proc/self/ns/pid");
    } catch {
      // Not Linux: the host name alone identifies the machine.
    }
    holder.__holdfastProcessIdentity = {
      instanceId: randomUUID(),
      hostKey: pidNamespace ? `${os.hostname()} ${pidNamespace}` : os.hostname(),
      pid: process.pid,
    };
  }
  return holder.__holdfastProcessIdentity;
}

const log = childLogger("jobs");

function logFailure(what: string) {
  return (err: unknown) => log.error({ err }, `${what} failed`);
}

/**
 * Keeps one worker_heartbeats row per graphile-worker pool of `events`, from "pool:create" until
 * "pool:release" (a clean stop deletes it). graphile-worker 0.17 locks jobs with the POOL's id
 * (`locked_by = workerPool.id`, not the id of the worker inside it), so that is the id recorded.
 */
export function trackWorkerHeartbeats(db: Database, events: WorkerEvents) {
  const identity = processIdentity();
  const live = new Set<string>();
  // Writes for one pool are chained so a delete never overtakes its insert.
  const chains = new Map<string, Promise<void>>();
  const enqueue = (poolId: string, write: () => Promise<unknown>) => {
    const next = (chains.get(poolId) ?? Promise.resolve()).then(write).then(() => undefined, logFailure(`heartbeat of ${poolId}`));
    chains.set(poolId, next);
    return next;
  };
  const beat = (poolId: string) =>
    enqueue(poolId, () =>
      db
        .insert(workerHeartbeats)
        .values({ workerId: poolId, instanceId: identity.instanceId, hostname: identity.hostKey, pid: identity.pid })
        .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { heartbeatAt: sql`now()` } }),
    );

  events.on("pool:create", ({ workerPool }) => {
    live.add(workerPool.id);
    void beat(workerPool.id);
  });
  events.on("pool:release", ({ workerPool }) => {
    live.delete(workerPool.id);
    void enqueue(workerPool.id, () => db.execute(sql`delete from worker_heartbeats where worker_id = ${workerPool.id}`)).then(() =>
      chains.delete(workerPool.id),
    );
  });
  // The jobs this process's pools are running now, and when each of the others last finished here:
  // a job our live pool still holds in the database without running it is an orphan (below).
  const running = new Set<string>();
  const finishedAt = new Map<string, number>();
  events.on("job:start", ({ job }) => {
    running.add(job.id);
  });
  events.on("job:complete", ({ job }) => {
    running.delete(job.id);
    finishedAt.set(job.id, Date.now());
  });
  events.on("worker:fatalError", ({ worker }) => {
    // The worker died with its job (it could not record the outcome): an orphan from now on.
    const job = worker.getActiveJob();
    if (job) running.delete(job.id);
  });
  const timer = setInterval(() => {
    for (const poolId of live) void beat(poolId);
    const forgetBefore = Date.now() - 10 * ORPHAN_GRACE_MS;
    for (const [id, at] of finishedAt) if (at < forgetBefore) finishedAt.delete(id);
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();

  return {
    /** The pools of `events` that are running now. */
    livePools: () => [...live],
    /**
     * Gives back the jobs (and job queues) our own live pools hold in the database but do not run.
     * That happens when Postgres restarts under a running worker: the job's handler finished, its
     * "complete" or "fail" write hit the dead connection and was lost, and the pool, alive and
     * beating, keeps the lock until graphile's 4-hour lock timeout; the dead-worker sweep cannot
     * tell (the heartbeat is fresh). A job that finished moments ago is left alone while its
     * completion may still be on its way.
     */
    unlockOrphanedJobs: async (): Promise<number> => {
      const pools = [...live];
      if (pools.length === 0) return 0;
      const finishedRecently = [...finishedAt].filter(([, at]) => at > Date.now() - ORPHAN_GRACE_MS).map(([id]) => id);
      const keep = [...running, ...finishedRecently];
      return db.transaction(async (tx) => {
        const jobs = await tx.execute<{ id: string }>(sql`
          update graphile_worker._private_jobs set locked_by = null, locked_at = null
          where locked_by = any(${sql.param(pools)}::text[]) and locked_at < now() - make_interval(secs => ${ORPHAN_GRACE_MS / 1000})
            and not (id = any(${sql.param(keep)}::bigint[]))
          returning id`);
        // A queue stays locked by the pool that ran its last job; free those whose job nobody here runs.
        await tx.execute(sql`
          update graphile_worker._private_job_queues q set locked_by = null, locked_at = null
          where q.locked_by = any(${sql.param(pools)}::text[]) and q.locked_at < now() - make_interval(secs => ${ORPHAN_GRACE_MS / 1000})
            and not exists (select 1 from graphile_worker._private_jobs j
              where j.job_queue_id = q.id and j.locked_by = q.locked_by and j.id = any(${sql.param(keep)}::bigint[]))`);
        if (jobs.rows.length > 0) log.warn({ jobIds: jobs.rows.map((r) => String(r.id)) }, "unlocked jobs this process held but was not running");
        return jobs.rows.length;
      });
    },
    /** Stops beating; waits for the writes in flight (the rows themselves go on pool:release). */
    stop: async () => {
      clearInterval(timer);
      await Promise.all(chains.values());
    },
  };
}

/** How long a job may stay locked after it started or finished here before it counts as orphaned. */
export const ORPHAN_GRACE_MS = 15_000;

/**
 * Frees every job and queue locked by pools of this process that have exited (a runner that died
 * on a lost connection): nobody will ever complete them, so they run again at once elsewhere.
 */
export async function unlockJobsOfExitedPools(db: Database, poolIds: string[]): Promise<void> {
  if (poolIds.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select graphile_worker.force_unlock_workers(${sql.param(poolIds)}::text[])`);
    await tx.execute(sql`delete from worker_heartbeats where worker_id = any(${sql.param(poolIds)}::text[])`);
  });
}

/**
 * Gives the jobs of dead workers back to the queue, so a crash delays them by seconds instead of
 * graphile-worker's 4-hour lock timeout. Dead means: its heartbeat is older than 45 s; or it ran
 * on this host (same PID namespace) under a pid that no longer runs, which is certain at once
 * (the usual restart after a crash); or it holds a lock for 45 s without ever having written a
 * heartbeat. Unlocked jobs keep their attempt count and run again at once; every handler is
 * idempotent (see deliver-notification.ts and push-booking.ts), so a job that had half run is
 * harmless to run again. Returns how many jobs were unlocked.
 */
export async function recoverJobsOfDeadWorkers(db: Database): Promise<{ deadWorkers: string[]; jobsUnlocked: number }> {
  const identity = processIdentity();
  const local = await db.execute<{ worker_id: string; pid: number; instance_id: string }>(
    sql`select worker_id, pid, instance_id from worker_heartbeats where hostname = ${identity.hostKey}`,
  );
  // (A row under our own pid may be another thread of this process: only staleness decides those.)
  const deadHere = local.rows
    .filter((r) => r.instance_id !== identity.instanceId && r.pid !== identity.pid && !isProcessRunning(r.pid))
    .map((r) => r.worker_id);

  return db.transaction(async (tx) => {
    const found = await tx.execute<{ worker_id: string }>(sql`
      select worker_id from worker_heartbeats
        where heartbeat_at < now() - make_interval(secs => ${WORKER_STALE_AFTER_SECONDS})
           or worker_id = any(${sql.param(deadHere)}::text[])
      union
      select locked_by from graphile_worker._private_jobs j
        where locked_by is not null and locked_at < now() - make_interval(secs => ${WORKER_STALE_AFTER_SECONDS})
          and not exists (select 1 from worker_heartbeats h where h.worker_id = j.locked_by)
      union
      select locked_by from graphile_worker._private_job_queues q
        where locked_by is not null and locked_at < now() - make_interval(secs => ${WORKER_STALE_AFTER_SECONDS})
          and not exists (select 1 from worker_heartbeats h where h.worker_id = q.locked_by)`);
    const deadWorkers = found.rows.map((r) => r.worker_id);
    if (deadWorkers.length === 0) return { deadWorkers, jobsUnlocked: 0 };
    const locked = await tx.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker._private_jobs where locked_by = any(${sql.param(deadWorkers)}::text[])`,
    );
    await tx.execute(sql`select graphile_worker.force_unlock_workers(${sql.param(deadWorkers)}::text[])`);
    await tx.execute(sql`delete from worker_heartbeats where worker_id = any(${sql.param(deadWorkers)}::text[])`);
    const jobsUnlocked = locked.rows[0]?.n ?? 0;
    if (jobsUnlocked > 0) log.warn({ jobsUnlocked, deadWorkers }, "unlocked the jobs of dead workers");
    return { deadWorkers, jobsUnlocked };
  });
}
