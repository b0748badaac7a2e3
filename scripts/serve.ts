import http from "node:http";
import next from "next";
import type { Runner } from "graphile-worker";
import { closeDb, getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { CLIENT_IP_HEADER } from "@/lib/http/client-info";
import { startJobWorker } from "@/lib/jobs/job-runner";
import { IN_PROCESS_TICK_MS, runScheduledTick } from "@/lib/jobs/run-scheduled-tick";
import { requeueUndeliveredNotifications } from "@/lib/notifications/deliver-notification";

export type RunningServer = { url: string; stop: () => Promise<void> };

/**
 * The web app, the resident job worker and the tick (every 30 s: expire holds, pull the artists'
 * calendars, so an artist's new event blocks its slot within ~45 s) in this process.
 * Used by `npm start` and by the e2e server, so tests exercise exactly what users run.
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

  let worker: Runner | undefined;
  if (env.HOLDFAST_WORKER === "on") {
    worker = await startJobWorker(db);
    if (env.SMTP_URL) await requeueUndeliveredNotifications(db);
  }
  const tick = setInterval(() => {
    runScheduledTick(db, { runJobs: !worker }).catch((err) => console.error("[tick] failed:", err));
  }, opts.tickMs ?? IN_PROCESS_TICK_MS);

  return {
    url: env.APP_URL,
    stop: async () => {
      clearInterval(tick);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker?.stop().catch(() => undefined);
      await closeDb().catch(() => undefined);
    },
  };
}
