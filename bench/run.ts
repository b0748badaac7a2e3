/**
 * `npm run bench`: seeds a fresh embedded Postgres with a large studio and prints the numbers
 * side by side, with the ratios the targets are stated in. Each part gets its own database so
 * one part's data cannot flatter or slow another. Results also go to bench/results/latest.json.
 *   npm run bench                # everything (~8 minutes on 2 cores; needs Debian's radicale)
 *   npm run bench -- core admin  # only some parts: core, admin, caldav
 */
process.env.TZ = "UTC";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { Client, Pool } from "pg";
import * as schema from "@/db/schema";
import type { Database } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { ensureBuild } from "@/scripts/ensure-build";
import { benchAdminTable } from "./admin-table";
import { benchAvailabilityAtScale, SCALE_LOAD } from "./availability-scale";
import { benchBookingCore } from "./booking-core";
import { benchCaldavSync } from "./caldav-sync";
import { pageJavaScriptWeight } from "./page-weight";
import { printCaldavSync } from "./caldav/report";

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function freshDatabase(serverUrl: string, name: string) {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return url.toString();
}

async function runCore(url: string) {
  console.log("\n== Booking core: 100 artists × 1,000 bookings + 1,000 busy blocks ==");
  const core = await benchBookingCore(url);
  console.log(`seed: ${core.seed.bookings} bookings, ${core.seed.busyBlocks} busy blocks in ${core.seed.seconds.toFixed(1)} s`);
  const a = core.availability;
  console.log(`availability, ${a.window}, ${a.concurrency} concurrent clients, ${a.requests} requests (up to ${a.maxSlotsInAnswer} slots per answer):`);
  console.log(`  over HTTP        p50 ${ms(a.http.p50)}   p95 ${ms(a.http.p95)}   max ${ms(a.http.max)}`);
  console.log(`  raw SQL (floor)  p50 ${ms(a.sqlFloor.p50)}   p95 ${ms(a.sqlFloor.p95)}   max ${ms(a.sqlFloor.max)}`);
  console.log(`  ratio p95 HTTP / floor: ${a.p95Ratio.toFixed(2)}×   (target ≤ 1.5×: ${a.p95Ratio <= 1.5 ? "met" : "MISSED"})`);
  console.log(`  with a room (service needs 1 of 10 rooms):`);
  console.log(`  over HTTP        p50 ${ms(a.rooms.http.p50)}   p95 ${ms(a.rooms.http.p95)}   max ${ms(a.rooms.http.max)}`);
  console.log(`  raw SQL (floor)  p50 ${ms(a.rooms.sqlFloor.p50)}   p95 ${ms(a.rooms.sqlFloor.p95)}   max ${ms(a.rooms.sqlFloor.max)}`);
  console.log(`  ratio p95 HTTP / floor: ${a.rooms.p95Ratio.toFixed(2)}×   (target ≤ 1.5×: ${a.rooms.p95Ratio <= 1.5 ? "met" : "MISSED"})`);
  console.log(
    `  cache misses only (every artist just changed, ${a.cacheMiss.requests} requests): over HTTP p50 ${ms(a.cacheMiss.http.p50)}   p95 ${ms(a.cacheMiss.http.p95)}   (${(a.cacheMiss.http.p95 / a.sqlFloor.p95).toFixed(2)}× floor; informational)`,
  );
  const alone = a.serverAlone;
  console.log(
    `  the server alone, same concurrency: static /icon.svg p50 ${ms(alone.staticFile.p50)}   p95 ${ms(alone.staticFile.p95)}; unknown /api path (proxy's 404) p50 ${ms(alone.proxy404.p50)}   p95 ${ms(alone.proxy404.p95)}`,
  );
  console.log(
    `    availability p95 is ${(a.http.p95 / alone.staticFile.p95).toFixed(2)}× a static file's (${(alone.staticFile.p95 / a.sqlFloor.p95).toFixed(2)}× floor before any Holdfast code runs; informational)`,
  );
  const p = core.bookingPage;
  console.log(
    `booking page first load (5 concurrent): p50 ${ms(p.p50)}   p95 ${ms(p.p95)}; free times in the server-rendered HTML: ${p.renderedWithTimes ? "yes (met)" : "NO (MISSED)"}`,
  );
  const r = core.holdRace;
  console.log(
    `500 concurrent holds on one slot: ${r.wins} won, ${r.conflicts409} got 409, ${r.errors5xx} 5xx, ${r.other} other   (target 1 win, 0 5xx: ${r.wins === 1 && r.errors5xx === 0 ? "met" : "MISSED"})`,
  );
  const t = core.holdThroughput;
  console.log(
    `hold throughput on distinct slots: HTTP ${t.httpHoldsPerSecond.toFixed(0)}/s, lib ${t.libHoldsPerSecond.toFixed(0)}/s; raw INSERT ${t.rawInsertsPerSecond.toFixed(0)}/s`,
  );
  console.log(
    `  ratio lib / raw ${(t.libRatio * 100).toFixed(0)} %   (target ≥ 40 %: ${t.libRatio >= 0.4 ? "met" : "MISSED"}),  HTTP / raw ${(t.httpRatio * 100).toFixed(0)} %   (target ≥ 30 %: ${t.httpRatio >= 0.3 ? "met" : "MISSED"})`,
  );
  console.log(
    `  20 concurrent in-process holds on one artist's distinct slots: ${t.oneArtistLibHoldsPerSecond.toFixed(0)}/s (informational: they queue on the artist's version row)`,
  );
  const w = pageJavaScriptWeight("/book/[artist]/[service]");
  console.log(
    `booking page JavaScript (${w.route}, ${w.files} chunks from the build): ${w.rawKb.toFixed(0)} KB, gzip ${w.gzipKb.toFixed(0)} KB   (target < 100 KB compressed: ${w.gzipKb < 100 ? "met" : "MISSED"})`,
  );
  console.log(`  of which Next and React's root chunks ${w.frameworkGzipKb.toFixed(0)} KB, the page's own code ${w.pageGzipKb.toFixed(0)} KB (gzip)`);
  (core as Record<string, unknown>).bookingPageJavaScript = w;
  return core;
}

type CoreResult = Awaited<ReturnType<typeof runCore>>;

async function runScale(url: string, core: CoreResult | undefined) {
  const l = SCALE_LOAD;
  console.log(
    `\n== Availability at ${l.artists.toLocaleString("en")} artists × ${l.bookingsPerArtist.toLocaleString("en")} bookings + ${l.blocksPerArtist.toLocaleString("en")} busy blocks ==`,
  );
  const r = await benchAvailabilityAtScale(url);
  console.log(
    `  seeded ${r.rows.bookings.toLocaleString("en")} bookings and ${r.rows.busyBlocks.toLocaleString("en")} busy blocks in ${r.seedSeconds.toFixed(0)} s`,
  );
  console.log(`  over HTTP        p50 ${ms(r.http.p50)}   p95 ${ms(r.http.p95)}   max ${ms(r.http.max)}`);
  console.log(`  cache misses     p50 ${ms(r.cacheMiss.p50)}   p95 ${ms(r.cacheMiss.p95)}   max ${ms(r.cacheMiss.max)}`);
  console.log(`  raw SQL (floor)  p50 ${ms(r.sqlFloor.p50)}   p95 ${ms(r.sqlFloor.p95)}   max ${ms(r.sqlFloor.max)}`);
  if (core) {
    const a = core.availability;
    const ratio = r.http.p95 / a.http.p95;
    const missRatio = r.cacheMiss.p95 / a.cacheMiss.http.p95;
    const floorRatio = r.sqlFloor.p95 / a.sqlFloor.p95;
    console.log(`  p95 at this scale / at 100 × 1,000: HTTP ${ratio.toFixed(2)}×   (target ≤ 1.25×: ${ratio <= 1.25 ? "met" : "MISSED"})`);
    console.log(
      `                                      cache misses ${missRatio.toFixed(2)}×, raw SQL ${floorRatio.toFixed(2)}×   (target ≤ 1.25×: ${missRatio <= 1.25 ? "met" : "MISSED"})`,
    );
  } else {
    console.log("  (run with the core phase for the ratio to 100 × 1,000)");
  }
  return r;
}

async function runAdmin(url: string) {
  console.log("\n== Admin bookings table at 100,000 bookings ==");
  const pool = new Pool({ connectionString: url, max: 4 });
  try {
    const result = await benchAdminTable(drizzle(pool, { schema }) as unknown as Database, { bookings: 100_000 });
    for (const s of result.scenarios) console.log(`  ${s.name.padEnd(36)} p50 ${ms(s.p50Ms)}   p95 ${ms(s.p95Ms)}   (${s.rows} rows of ${s.total})`);
    console.log(
      `  all scenarios                        p50 ${ms(result.p50Ms)}   p95 ${ms(result.p95Ms)}   (target < 50 ms: ${result.p95Ms < 50 ? "met" : "MISSED"})`,
    );
    return result;
  } finally {
    await pool.end();
  }
}

async function main() {
  const wanted = new Set(process.argv.slice(2).filter((a) => !a.startsWith("-")));
  const want = (part: string) => wanted.size === 0 || wanted.has(part);
  if (want("core") || want("scale")) ensureBuild();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "holdfast-bench-"));
  const pg = await startEmbeddedPostgres({ dataDir, database: "postgres", quiet: true });
  const results: Record<string, unknown> = { at: new Date().toISOString(), loadAverageAtStart: os.loadavg() };
  try {
    let core: CoreResult | undefined;
    if (want("core")) results.core = core = await runCore(await freshDatabase(pg.url, "bench_core"));
    if (want("scale")) results.scale = await runScale(await freshDatabase(pg.url, "bench_scale"), core);
    if (want("admin")) results.admin = await runAdmin(await freshDatabase(pg.url, "bench_admin"));
    if (want("caldav")) {
      const caldav = await benchCaldavSync(await freshDatabase(pg.url, "bench_caldav"));
      printCaldavSync(caldav);
      results.caldav = caldav;
    }
    await mkdir("bench/results", { recursive: true });
    await writeFile("bench/results/latest.json", JSON.stringify(results, null, 2));
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
