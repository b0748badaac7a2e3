import http from "node:http";
import next from "next";
import { closeDb, getDb, type Database } from "@/db/client";
import { getEnv } from "@/lib/env";
import { CLIENT_IP_HEADER } from "@/lib/http/client-info";
import { startJobWorker, type JobWorker } from "@/lib/jobs/job-runner";
import { IN_PROCESS_TICK_MS, runScheduledTick } from "@/lib/jobs/run-scheduled-tick";
import { recoverJobsOfDeadWorkers } from "@/lib/jobs/worker-heartbeats";
import { requeueUndeliveredNotifications } from "@/lib/notifications/deliver-notification";

export type RunningServer = { url: string; stop: () => Promise<void> };
export type BackgroundWork = { stop: () => Promise<void> };

/**
 * The resident job worker (HOLDFAST_WORKER=on) and the tick (every 30 s: unlock the jobs of dead
 * workers, expire holds, pull the artists' calendars, so an artist's new event blocks its slot
 * within ~45 s). Before the worker starts, jobs a crashed earlier process had locked are given
 * back, so they run again at once instead of after graphile-worker's 4-hour lock timeout.
 */
export async function startBackgroundWork(db: Database, opts: { tickMs?: number } = {}): Promise<BackgroundWork> {
  const env = getEnv();
  await recoverJobsOfDeadWorkers(db);
  let worker: JobWorker | undefined;
  if (env.HOLDFAST_WORKER === "on") {
    worker = await startJobWorker(db);
    if (env.SMTP_URL) await requeueUndeliveredNotifications(db);
  }
  let ticking: Promise<unknown> = Promise.resolve();
  const tick = setInterval(() => {
    ticking = runScheduledTick(db, { runJobs: !worker }).catch((err) => console.error("[tick] failed:", err));
  }, opts.tickMs ?? IN_PROCESS_TICK_MS);
  return {
    stop: async () => {
      clearInterval(tick);
      await ticking;
      await worker?.stop();
    },
  };
}

/**
 * The web app plus the background work in this process. Used by `npm start` and by the e2e
 * server, so tests exercise exactly what users run.
 */
export async function serve(opts: { dev?: boolean; tickMs?: number } = {}): Promise<RunningServer> {
  const env = getEnv();
  const db = getDb();
  const app = next({ dev: opts.dev ?? false, dir: process.cwd(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // The client address comes from the socket, never from a header the client could send.
    delete req.headers[CLIENT_IP_HEADER];
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const background = await startBackgroundWork(db, { tickMs: opts.tickMs });

  return {
    url: env.APP_URL,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await background.stop().catch((err) => console.error("[jobs] stopping the worker failed:", err));
      await closeDb().catch(() => undefined);
    },
  };
}
