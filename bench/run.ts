/**
 * `npm run bench`: seeds a fresh embedded Postgres (or a new database on DATABASE_URL) with a
 * large studio and prints the numbers side by side, with the ratios the targets are stated in.
 * Results are also written to bench/results/latest.json.
 */
process.env.TZ = "UTC";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { ensureBuild } from "@/scripts/ensure-build";
import { benchBookingCore } from "./booking-core";

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  ensureBuild();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "holdfast-bench-"));
  const pg = await startEmbeddedPostgres({ dataDir, database: "holdfast_bench", quiet: true });
  try {
    await migrateDatabase(pg.url);
    console.log("Seeding 100 artists × 1,000 bookings + 1,000 busy blocks …");
    const core = await benchBookingCore(pg.url);

    console.log("\n== Booking core ==");
    console.log(`seed: ${core.seed.bookings} bookings, ${core.seed.busyBlocks} busy blocks in ${core.seed.seconds.toFixed(1)} s`);
    const a = core.availability;
    console.log(`availability, ${a.window}, ${a.concurrency} concurrent clients, ${a.requests} requests (up to ${a.maxSlotsInAnswer} slots per answer):`);
    console.log(`  over HTTP        p50 ${ms(a.http.p50)}   p95 ${ms(a.http.p95)}   max ${ms(a.http.max)}`);
    console.log(`  raw SQL (floor)  p50 ${ms(a.sqlFloor.p50)}   p95 ${ms(a.sqlFloor.p95)}   max ${ms(a.sqlFloor.max)}`);
    console.log(`  ratio p95 HTTP / floor: ${a.p95Ratio.toFixed(2)}×   (target ≤ 3×: ${a.p95Ratio <= 3 ? "met" : "MISSED"})`);
    const r = core.holdRace;
    console.log(`500 concurrent holds on one slot: ${r.wins} won, ${r.conflicts409} got 409, ${r.errors5xx} 5xx, ${r.other} other   (target 1 win, 0 5xx: ${r.wins === 1 && r.errors5xx === 0 ? "met" : "MISSED"})`);
    const t = core.holdThroughput;
    console.log(`hold throughput on distinct slots: HTTP ${t.httpHoldsPerSecond.toFixed(0)}/s, lib ${t.libHoldsPerSecond.toFixed(0)}/s; raw INSERT ${t.rawInsertsPerSecond.toFixed(0)}/s`);
    console.log(`  ratio HTTP / raw ${(t.httpRatio * 100).toFixed(0)} %, lib / raw ${(t.libRatio * 100).toFixed(0)} %   (target ≥ 40 %)`);

    await mkdir("bench/results", { recursive: true });
    await writeFile("bench/results/latest.json", JSON.stringify({ core }, null, 2));
    console.log("\nWritten to bench/results/latest.json");
  } finally {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
