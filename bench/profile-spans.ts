/**
 * Profiling helper (not part of `npm run bench`): where an availability read and a hold spend
 * their time, one at a time (no queueing), in-process against the profile database
 * (bench/profile-db.ts). Optional `--server`: also loads the production server under
 * NODE_OPTIONS=--cpu-prof so its profile lands in /tmp/holdfast-cpu-prof.
 */
process.env.TZ = "UTC";
import { readFileSync } from "node:fs";
import { addDays } from "date-fns";
import { formatInTimeZone } from "date-fns-tz";
import { drizzle } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import * as schema from "@/db/schema";
import type { Database } from "@/db/client";
import { getAvailability } from "@/lib/availability/get-availability";
import { findSlots } from "@/lib/availability/find-slots";
import { loadBlockedIntervals } from "@/lib/availability/load-blocked-intervals";
import { createHold } from "@/lib/bookings/create-hold";
import { loadBookable } from "@/lib/studio/load-bookable";
import { runConcurrently, startBenchServer, summarize } from "./support";

const TZ = "Europe/Berlin";

async function timeIt(label: string, n: number, fn: (i: number) => Promise<unknown> | unknown) {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  const s = summarize(samples);
  console.log(`${label.padEnd(40)} p50 ${s.p50.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms`);
}

async function main() {
  const url = readFileSync("/tmp/holdfast-profile-db.url", "utf8").trim();
  const pool = new Pool({ connectionString: url, max: 24 });
  const db = drizzle(pool, { schema }) as unknown as Database;
  process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-000";
  const fromDate = formatInTimeZone(addDays(new Date(), 7), TZ, "yyyy-MM-dd");
  const toDate = formatInTimeZone(addDays(new Date(), 34), TZ, "yyyy-MM-dd");
  const slug = (i: number) => `bench-${(i % 100) + 1}`;
  const bookable = await loadBookable(db, "bench-1", "bench-service");
  const from = addDays(new Date(`${fromDate}T00:00:00Z`), -1);
  const to = addDays(new Date(`${toDate}T00:00:00Z`), 2);
  const blocked = await loadBlockedIntervals(db, bookable.artist.id, from, to);
  await timeIt("loadBookable", 100, (i) => loadBookable(db, slug(i), "bench-service"));
  await timeIt("loadBlockedIntervals", 100, () => loadBlockedIntervals(db, bookable.artist.id, from, to));
  await timeIt("findSlots (28 days)", 100, () =>
    findSlots({ timezone: TZ, fromDate, toDate, now: new Date(), hours: bookable.hours, rules: bookable.rules, blocked }),
  );
  const slots = findSlots({ timezone: TZ, fromDate, toDate, now: new Date(), hours: bookable.hours, rules: bookable.rules, blocked });
  await timeIt("JSON of the answer", 100, () => JSON.stringify({ slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })) }));
  await timeIt("getAvailability (all of it)", 100, (i) => getAvailability(db, { artist: slug(i), service: "bench-service", fromDate, toDate }));
  const day = formatInTimeZone(addDays(new Date(), 90), TZ, "yyyy-MM-dd");
  const holdSlots = (await getAvailability(db, { artist: "bench-50", service: "bench-service", fromDate: day, toDate: day })).slots;
  await timeIt("createHold", Math.min(20, holdSlots.length), (i) =>
    createHold(db, { artist: "bench-50", service: "bench-service", start: holdSlots[i]!.start, actor: { kind: "system", id: "bench" } }),
  );

  const hold20 = (await getAvailability(db, { artist: "bench-51", service: "bench-service", fromDate: day, toDate: day })).slots;
  const c = await runConcurrently(Math.min(20, hold20.length), 20, (i) =>
    createHold(db, { artist: "bench-51", service: "bench-service", start: hold20[i]!.start, actor: { kind: "system", id: "bench" } }),
  );
  console.log("createHold 20 at once, one artist", summarize(c.latencies));

  if (process.argv.includes("--server")) {
    const server = await startBenchServer(url, {}, ["--cpu-prof", "--cpu-prof-dir=/tmp/holdfast-cpu-prof"]);
    try {
      const avail = async (i: number) => {
        const res = await fetch(`${server.url}/api/availability?artist=${slug(i)}&service=bench-service&from=${fromDate}&to=${toDate}`);
        await res.text();
      };
      await runConcurrently(100, 20, avail);
      const r = await runConcurrently(600, 20, avail);
      console.log("HTTP availability at 20 concurrent", summarize(r.latencies));
      const one = await runConcurrently(100, 1, avail);
      console.log("HTTP availability one at a time", summarize(one.latencies));
      const health = await runConcurrently(100, 1, async () => (await fetch(`${server.url}/api/health`)).text());
      console.log("HTTP /api/health one at a time", summarize(health.latencies));
    } finally {
      await server.stop();
    }
  }
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
