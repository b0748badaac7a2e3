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
  const timer = setInterval(() => {
    for (const poolId of live) void beat(poolId);
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();

  return {
    /** Stops beating; waits for the writes in flight (the rows themselves go on pool:release). */
    stop: async () => {
      clearInterval(timer);
      await Promise.all(chains.values());
    },
  };
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
