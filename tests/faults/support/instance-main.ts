/**
 * One Holdfast app instance of the fault suite: exactly what `npm start` runs (prepareRuntime, then
 * the Next production server with the resident worker and the tick), against the suite's Postgres
 * (DATABASE_URL is set, so nothing embedded and no demo seed), with the tick every
 * FAULT_TICK_MS instead of 30 s so a five-minute suite can watch several outages.
 */
process.env.TZ = "UTC";
process.env.NEXT_TELEMETRY_DISABLED = "1";
import { prepareRuntime } from "@/scripts/prepare-runtime";
import { serve } from "@/scripts/serve";

async function main() {
  await prepareRuntime({ quiet: true });
  const server = await serve({ tickMs: Number(process.env.FAULT_TICK_MS ?? "3000") });
  console.log(`fault-suite instance ready at ${server.url} (pid ${process.pid})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
