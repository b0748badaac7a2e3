/**
 * `npm start`: one process with everything a studio needs — Postgres (embedded unless
 * DATABASE_URL is set), migrations, the demo seed, the web app, the job worker and the
 * 30-second tick.
 *
 * `--worker-only` runs the same start without the web app (no build needed): Postgres,
 * migrations, seed, the job worker and the tick. For a separate worker process, and for the
 * crash-recovery test, which exercises exactly this start-up path.
 */
process.env.TZ = "UTC";
process.env.NEXT_TELEMETRY_DISABLED = "1";

import { closeDb, getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { ensureBuild } from "./ensure-build";
import { prepareRuntime, type Runtime } from "./prepare-runtime";
import { serve, startBackgroundWork } from "./serve";

const dev = process.argv.includes("--dev");
const workerOnly = process.argv.includes("--worker-only");

function printAdminLogin(runtime: Runtime, adminUrl: string) {
  const login = runtime.adminLogin;
  if (!login) return;
  if (login.generatedPassword) {
    // Printed once, on the start that created the demo admin; later starts only say where it is.
    console.log(`Admin login: ${login.email} / ${login.generatedPassword}   (${adminUrl})`);
    console.log(`  (shown this once; it is kept in ${login.passwordFile})`);
  } else if (login.passwordFile) {
    console.log(`Admin login: ${login.email}, demo password in ${login.passwordFile}   (${adminUrl})`);
  } else {
    console.log(`Admin login: ${login.email} with the ADMIN_PASSWORD you set   (${adminUrl})`);
  }
}

async function main() {
  if (!dev && !workerOnly && process.env.HOLDFAST_SKIP_BUILD !== "1") ensureBuild();
  const runtime = await prepareRuntime();
  const env = getEnv();
  let stopServing: () => Promise<void>;

  if (workerOnly) {
    const background = await startBackgroundWork(getDb());
    stopServing = async () => {
      await background.stop().catch((err) => logger.error({ component: "jobs", err }, "stopping the worker failed"));
      await closeDb().catch(() => undefined);
    };
    console.log(`\nHoldfast job worker is running (pid ${process.pid}), without the web app.`);
  } else {
    const server = await serve({ dev });
    stopServing = server.stop;
    console.log(`\nHoldfast is running at ${server.url}  (listening on ${env.HOST}:${env.PORT})`);
  }
  if (runtime.seeded) console.log("Seeded the demo studio: 3 artists (Berlin and Denver), 6 services, weekly hours.");
  printAdminLogin(runtime, `${env.APP_URL}/admin`);
  if (!env.SMTP_URL) console.log("SMTP_URL is not set: emails are kept in the outbox until it is.");
  console.log("Press Ctrl+C to stop.\n");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping …`);
    await stopServing();
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
