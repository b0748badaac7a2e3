/**
 * `npm start`: one process with everything a studio needs — Postgres (embedded unless
 * DATABASE_URL is set), migrations, the demo seed, the web app, the job worker and the
 * 30-second tick.
 */
process.env.TZ = "UTC";
process.env.NEXT_TELEMETRY_DISABLED = "1";

import { getEnv } from "@/lib/env";
import { ensureBuild } from "./ensure-build";
import { prepareRuntime } from "./prepare-runtime";
import { serve } from "./serve";

const dev = process.argv.includes("--dev");

async function main() {
  if (!dev && process.env.HOLDFAST_SKIP_BUILD !== "1") ensureBuild();
  const runtime = await prepareRuntime();
  const server = await serve({ dev });
  const env = getEnv();

  console.log(`\nHoldfast is running at ${server.url}  (listening on ${env.HOST}:${env.PORT})`);
  if (runtime.seeded) console.log("Seeded the demo studio: 3 artists (Berlin and Denver), 6 services, weekly hours.");
  if (runtime.adminLogin) console.log(`Admin login: ${runtime.adminLogin.email} / ${runtime.adminLogin.password}   (${server.url}/admin)`);
  if (!env.SMTP_URL) console.log("SMTP_URL is not set: emails are kept in the outbox until it is.");
  console.log("Press Ctrl+C to stop.\n");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping …`);
    await server.stop();
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
