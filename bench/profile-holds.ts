/** Profiling helper: 20 concurrent in-process holds on distinct slots against the profile database, with Postgres's wait events sampled meanwhile. */
process.env.TZ = "UTC";
import { readFileSync } from "node:fs";
import { addDays } from "date-fns";
import { formatInTimeZone } from "date-fns-tz";
import { drizzle } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import * as schema from "@/db/schema";
import type { Database } from "@/db/client";
import { getAvailability } from "@/lib/availability/get-availability";
import { createHold } from "@/lib/bookings/create-hold";
import { runConcurrently, summarize } from "./support";

async function main() {
  const url = readFileSync("/tmp/holdfast-profile-db.url", "utf8").trim();
  const pool = new Pool({ connectionString: url, max: 24 });
  const db = drizzle(pool, { schema }) as unknown as Database;
  process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-000";
  for (const offset of [Number(process.argv[2] ?? 100), Number(process.argv[2] ?? 100) + 1, Number(process.argv[2] ?? 100) + 2]) {
    const day = formatInTimeZone(addDays(new Date(), offset), "Europe/Berlin", "yyyy-MM-dd");
    const slots: { artist: string; start: Date }[] = [];
    for (let a = 2; a <= 21; a += 1) {
      const r = await getAvailability(db, { artist: `bench-${a}`, service: "bench-service", fromDate: day, toDate: day });
      r.slots.filter((_, i) => i % 2 === 1).forEach((s) => slots.push({ artist: `bench-${a}`, start: s.start }));
    }
    const waits = new Map<string, number>();
    let sampling = !process.argv.includes("--no-waits");
    const sampler = (async () => {
      while (sampling) {
        const r = await pool.query(
          "select coalesce(wait_event_type || ':' || wait_event, 'cpu') as w, left(query, 60) as q from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()",
        );
        for (const row of r.rows) waits.set(`${row.w} ${row.q}`, (waits.get(`${row.w} ${row.q}`) ?? 0) + 1);
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    const run = await runConcurrently(Math.min(150, slots.length), 20, (i) =>
      createHold(db, { artist: slots[i]!.artist, service: "bench-service", start: slots[i]!.start, actor: { kind: "system", id: "bench" } }),
    );
    sampling = false;
    await sampler;
    console.log("holds", run.latencies.length, "per second", ((run.latencies.length / run.elapsedMs) * 1000).toFixed(0), summarize(run.latencies));
    for (const [k, v] of [...waits].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(v, k);
  }
  await pool.end();
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
