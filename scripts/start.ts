/**
 * `npm start`: one process with everything a studio needs — Postgres (embedded unless
 * DATABASE_URL is set), migrations, the demo seed, the web app, the job worker and the
 * once-a-minute tick.
 */
process.env.TZ = "UTC";
process.env.NEXT_TELEMETRY_DISABLED = "1";

import http from "node:http";
import next from "next";
import { closeDb, getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { CLIENT_IP_HEADER } from "@/lib/http/client-info";
import { startJobWorker } from "@/lib/jobs/job-runner";
import { runScheduledTick } from "@/lib/jobs/run-scheduled-tick";
import { requeueUndeliveredNotifications } from "@/lib/notifications/deliver-notification";
import { ensureBuild } from "./ensure-build";
import { prepareRuntime } from "./prepare-runtime";

const dev = process.argv.includes("--dev");

async function main() {
  if (!dev && process.env.HOLDFAST_SKIP_BUILD !== "1") ensureBuild();
  const runtime = await prepareRuntime({ fastDatabase: process.env.HOLDFAST_FAST_DB === "1" });
  const env = getEnv();
  const db = getDb();

  const app = next({ dev, dir: process.cwd(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // The client address comes from the socket, never from a header the client could send.
    delete req.headers[CLIENT_IP_HEADER];
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));

  const worker = env.HOLDFAST_WORKER === "on" ? await startJobWorker(db) : undefined;
  if (worker && env.SMTP_URL) await requeueUndeliveredNotifications(db);
  const tick = setInterval(() => {
    runScheduledTick(db, { runJobs: !worker }).catch((err) => console.error("[tick] failed:", err));
  }, 60_000);

  const url = env.APP_URL;
  console.log(`\nHoldfast is running at ${url}  (listening on ${env.HOST}:${env.PORT})`);
  if (runtime.seeded) console.log("Seeded the demo studio: 3 artists (Berlin and Denver), 6 services, weekly hours.");
  if (runtime.adminLogin) console.log(`Admin login: ${runtime.adminLogin.email} / ${runtime.adminLogin.password}`);
  if (!env.SMTP_URL) console.log("SMTP_URL is not set: emails are kept in the outbox (notifications table) until it is.");
  console.log("Press Ctrl+C to stop.\n");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping …`);
    clearInterval(tick);
    server.close();
    await worker?.stop().catch(() => undefined);
    await closeDb().catch(() => undefined);
    await runtime.embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
