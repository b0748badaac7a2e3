import { addDays } from "date-fns";
import { formatInTimeZone } from "date-fns-tz";
import { Pool } from "pg";
import { availabilitySqlOnce, seedBookingLoad, type BookingLoad } from "./booking-core";
import { runConcurrently, startBenchServer, summarize } from "./support";

const TZ = "Europe/Berlin";
export const SCALE_LOAD: BookingLoad = { artists: 1000, bookingsPerArtist: 10_000, blocksPerArtist: 10_000 };

/**
 * "Cost grows with the window, not with history": the core bench's availability read (28 days,
 * 20 concurrent clients) at ten times the artists and ten times each artist's bookings and busy
 * blocks (9,000 of each in the past). Measured warm (answers cached while nothing changes), on
 * the miss path (every artist's version bumped first, so every read goes to the database), and
 * as the raw-SQL floor.
 */
export async function benchAvailabilityAtScale(databaseUrl: string, load: BookingLoad = SCALE_LOAD) {
  const pool = new Pool({ connectionString: databaseUrl, max: 24 });
  pool.on("error", (err) => console.error("[bench] idle client error:", err.message));
  const seedStart = performance.now();
  let lastReport = 0;
  await seedBookingLoad(pool, load, (done) => {
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      console.log(`  seeding: ${done} of ${load.artists} artists (${((performance.now() - seedStart) / 1000).toFixed(0)} s)`);
    }
  });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const size = await pool.query<{ bookings: string; blocks: string }>(
    "select (select count(*) from bookings)::text as bookings, (select count(*) from busy_blocks)::text as blocks",
  );

  const fromDate = formatInTimeZone(addDays(new Date(), 7), TZ, "yyyy-MM-dd");
  const toDate = formatInTimeZone(addDays(new Date(), 34), TZ, "yyyy-MM-dd");
  const from = addDays(new Date(`${fromDate}T00:00:00Z`), -1);
  const to = addDays(new Date(`${toDate}T00:00:00Z`), 2);
  const CONCURRENCY = 20;
  const REQUESTS = 600;
  // Spread over every artist, so most warm reads are an artist's first or second: the cache is not
  // allowed to hide the history behind one hot artist.
  const slugFor = (i: number) => `bench-${((i * 7919) % load.artists) + 1}`;

  await runConcurrently(100, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), "bench-service", from, to));
  const floor = await runConcurrently(REQUESTS, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), "bench-service", from, to));

  const server = await startBenchServer(databaseUrl);
  try {
    const avail = async (i: number) => {
      const res = await fetch(`${server.url}/api/availability?artist=${slugFor(i)}&service=bench-service&from=${fromDate}&to=${toDate}`);
      if (!res.ok) throw new Error(`availability ${res.status}: ${await res.text()}`);
      await res.json();
    };
    await runConcurrently(REQUESTS, CONCURRENCY, avail); // warm-up: JIT, pool, and each artist's answer
    const warm = await runConcurrently(REQUESTS, CONCURRENCY, avail);
    await pool.query(`select holdfast_bump_availability('artist:' || id) from artists where slug like 'bench-%'`);
    const miss = await runConcurrently(REQUESTS, CONCURRENCY, avail);
    return {
      load,
      rows: { bookings: Number(size.rows[0]!.bookings), busyBlocks: Number(size.rows[0]!.blocks) },
      seedSeconds,
      http: summarize(warm.latencies),
      cacheMiss: summarize(miss.latencies),
      sqlFloor: summarize(floor.latencies),
    };
  } finally {
    await server.stop();
    await pool.end();
  }
}
