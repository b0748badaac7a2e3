import { randomUUID } from "node:crypto";
import { addDays, formatISO } from "date-fns";
import { formatInTimeZone } from "date-fns-tz";
import { Pool } from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import * as schema from "@/db/schema";
import type { Database } from "@/db/client";
import { createHold } from "@/lib/bookings/create-hold";
import { runConcurrently, startBenchServer, summarize } from "./support";

const ARTISTS = 100;
const BOOKINGS_PER_ARTIST = 1000;
const BLOCKS_PER_ARTIST = 1000;
const TZ = "Europe/Berlin";

/** 100 artists × 1,000 bookings and 1,000 busy blocks each, generated in SQL (seconds, not minutes). */
export async function seedBookingLoad(pool: Pool) {
  await pool.query(`insert into studio_settings (id, name, email, timezone) values (1, 'Bench', 'bench@example.com', '${TZ}') on conflict do nothing`);
  await pool.query(`insert into services (slug, name, duration_minutes, buffer_after_minutes, min_notice_minutes, booking_window_days, slot_step_minutes)
                    values ('bench-service', 'Bench service', 30, 0, 0, 400, 30) on conflict do nothing`);
  await pool.query(
    `insert into artists (slug, name, timezone) select 'bench-' || n, 'Bench artist ' || n, '${TZ}' from generate_series(1, ${ARTISTS}) n on conflict do nothing`,
  );
  await pool.query(
    `insert into artist_services (artist_id, service_id) select a.id, s.id from artists a, services s where a.slug like 'bench-%' and s.slug = 'bench-service' on conflict do nothing`,
  );
  await pool.query(`insert into working_hours (artist_id, effective_from, weekday, start_time, end_time)
                    select a.id, '2020-01-01', d, '08:00', '20:00' from artists a, generate_series(1, 7) d where a.slug like 'bench-%'`);
  // Five one-hour bookings a day (08, 10, 12, 14, 16 local-ish) over 200 days; busy blocks at the odd hours.
  await pool.query(`
    insert into bookings (id, artist_id, service_id, starts_at, ends_at, status, caldav_uid, customer_name, customer_email)
    select u.id, u.artist_id, u.service_id, u.starts_at, u.starts_at + interval '1 hour', u.status::booking_status, u.id::text || '@holdfast', 'Customer ' || u.n, 'c' || u.n || '@example.com'
    from (
      select gen_random_uuid() as id, a.id as artist_id, s.id as service_id, n,
             date_trunc('day', now()) + ((n / 5) + 1) * interval '1 day' + (7 + (n % 5) * 2) * interval '1 hour' as starts_at,
             case when n % 3 = 0 then 'pending' else 'confirmed' end as status
      from artists a cross join services s cross join generate_series(0, ${BOOKINGS_PER_ARTIST - 1}) n
      where a.slug like 'bench-%' and s.slug = 'bench-service'
    ) u`);
  await pool.query(`
    insert into busy_blocks (artist_id, starts_at, ends_at, source_uid)
    select a.id, date_trunc('day', now()) + ((n / 5) + 1) * interval '1 day' + (8 + (n % 5) * 2) * interval '1 hour',
           date_trunc('day', now()) + ((n / 5) + 1) * interval '1 day' + (8 + (n % 5) * 2) * interval '1 hour' + interval '30 minutes', 'bench-' || n
    from artists a cross join generate_series(0, ${BLOCKS_PER_ARTIST - 1}) n where a.slug like 'bench-%'`);
  await pool.query("analyze");
}

/** The availability endpoint's own two queries, sent by a bare pg client: the floor. */
async function availabilitySqlOnce(pool: Pool, slug: string, from: Date, to: Date) {
  const bookable = await pool.query(
    `select a.id, a.timezone, s.duration_minutes,
       (select coalesce(json_agg(json_build_object('effectiveFrom', wh.effective_from, 'weekday', wh.weekday, 'startTime', wh.start_time, 'endTime', wh.end_time)), '[]'::json) from working_hours wh where wh.artist_id = a.id) as hours
     from artists a join services s on s.slug = 'bench-service' left join artist_services x on x.artist_id = a.id and x.service_id = s.id
     where a.slug = $1 and a.active limit 1`,
    [slug],
  );
  const artistId = bookable.rows[0].id as string;
  await pool.query(
    `select lower(span) as starts, upper(span) as ends from (
       select holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) as span from bookings
       where artist_id = $1 and status in ('hold','pending','confirmed')
         and holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) && tstzrange($2, $3, '[)')
         and (status <> 'hold' or hold_expires_at > now())) active
     union all
     select starts_at, ends_at from busy_blocks where artist_id = $1 and tstzrange(starts_at, ends_at, '[)') && tstzrange($2, $3, '[)')`,
    [artistId, from.toISOString(), to.toISOString()],
  );
}

export async function benchBookingCore(databaseUrl: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 24 });
  pool.on("error", (err) => console.error("[bench] idle client error:", err.message));
  const seedStart = performance.now();
  await seedBookingLoad(pool);
  const seedMs = performance.now() - seedStart;

  const fromDate = formatInTimeZone(addDays(new Date(), 7), TZ, "yyyy-MM-dd");
  const toDate = formatInTimeZone(addDays(new Date(), 34), TZ, "yyyy-MM-dd"); // 28 days inclusive
  const from = addDays(new Date(`${fromDate}T00:00:00Z`), -1);
  const to = addDays(new Date(`${toDate}T00:00:00Z`), 2);
  const CONCURRENCY = 20;
  const REQUESTS = 600;
  const slugFor = (i: number) => `bench-${(i % ARTISTS) + 1}`;

  // Floor: the same two queries straight to Postgres at the same concurrency.
  await runConcurrently(100, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), from, to)); // warm-up
  const floor = await runConcurrently(REQUESTS, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), from, to));

  const server = await startBenchServer(databaseUrl);
  try {
    let slotsSeen = 0;
    const avail = async (i: number) => {
      const res = await fetch(`${server.url}/api/availability?artist=${slugFor(i)}&service=bench-service&from=${fromDate}&to=${toDate}`);
      if (!res.ok) throw new Error(`availability ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { slots: unknown[] };
      slotsSeen = Math.max(slotsSeen, body.slots.length);
    };
    await runConcurrently(100, CONCURRENCY, avail); // warm-up (JIT, pool)
    const http = await runConcurrently(REQUESTS, CONCURRENCY, avail);

    // 500 concurrent holds on one slot.
    const raceDay = formatInTimeZone(addDays(new Date(), 40), TZ, "yyyy-MM-dd");
    const raceSlots = (await (await fetch(`${server.url}/api/availability?artist=bench-1&service=bench-service&from=${raceDay}&to=${raceDay}`)).json()) as {
      slots: { start: string }[];
    };
    const raceStart = raceSlots.slots[0]!.start;
    const race = await Promise.all(
      Array.from({ length: 500 }, () =>
        fetch(`${server.url}/api/holds`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ artist: "bench-1", service: "bench-service", start: raceStart }),
        }).then((r) => r.status),
      ),
    );

    // Hold throughput on distinct slots (HTTP and in-process lib) vs raw INSERT under the same constraint.
    const holdSlots: { artist: string; start: string }[] = [];
    for (let a = 2; a <= 21; a += 1) {
      const day = formatInTimeZone(addDays(new Date(), 60), TZ, "yyyy-MM-dd");
      const body = (await (await fetch(`${server.url}/api/availability?artist=bench-${a}&service=bench-service&from=${day}&to=${day}`)).json()) as {
        slots: { start: string }[];
      };
      for (const s of body.slots) holdSlots.push({ artist: `bench-${a}`, start: s.start });
    }
    const httpHoldSlots = holdSlots.filter((_, i) => i % 2 === 0).slice(0, 150);
    const libHoldSlots = holdSlots.filter((_, i) => i % 2 === 1).slice(0, 150);
    const httpHolds = await runConcurrently(httpHoldSlots.length, CONCURRENCY, async (i) => {
      const s = httpHoldSlots[i]!;
      const res = await fetch(`${server.url}/api/holds`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ artist: s.artist, service: "bench-service", start: s.start }),
      });
      if (res.status !== 201) throw new Error(`hold ${res.status}: ${await res.text()}`);
    });

    process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-000";
    const db = drizzle(pool, { schema }) as unknown as Database;
    const libHolds = await runConcurrently(libHoldSlots.length, CONCURRENCY, async (i) => {
      const s = libHoldSlots[i]!;
      await createHold(db, { artist: s.artist, service: "bench-service", start: new Date(s.start), actor: { kind: "system", id: "bench" } });
    });

    const service = await pool.query("select id from services where slug = 'bench-service'");
    const rawArtists = await pool.query("select id from artists where slug like 'bench-%' order by slug limit 20 offset 40");
    const rawBase = addDays(new Date(), 300).getTime();
    const rawInserts = await runConcurrently(150, CONCURRENCY, async (i) => {
      const id = randomUUID();
      const start = new Date(rawBase + Math.floor(i / 20) * 3_600_000);
      await pool.query(
        `insert into bookings (id, artist_id, service_id, starts_at, ends_at, status, hold_expires_at, caldav_uid) values ($1, $2, $3, $4, $5, 'hold', now() + interval '10 minutes', $6)`,
        [id, rawArtists.rows[i % 20].id, service.rows[0].id, start.toISOString(), new Date(start.getTime() + 1_800_000).toISOString(), `${id}@holdfast`],
      );
    });

    const httpSummary = summarize(http.latencies);
    const floorSummary = summarize(floor.latencies);
    const perSecond = (r: { latencies: number[]; elapsedMs: number }) => (r.latencies.length / r.elapsedMs) * 1000;
    return {
      seed: { artists: ARTISTS, bookings: ARTISTS * BOOKINGS_PER_ARTIST, busyBlocks: ARTISTS * BLOCKS_PER_ARTIST, seconds: seedMs / 1000 },
      availability: {
        window: `${fromDate}..${toDate} (28 days)`,
        concurrency: CONCURRENCY,
        requests: REQUESTS,
        maxSlotsInAnswer: slotsSeen,
        http: httpSummary,
        sqlFloor: floorSummary,
        p95Ratio: httpSummary.p95 / floorSummary.p95,
        target: "p95 ≤ 3× floor",
      },
      holdRace: {
        attempts: 500,
        wins: race.filter((s) => s === 201).length,
        conflicts409: race.filter((s) => s === 409).length,
        errors5xx: race.filter((s) => s >= 500).length,
        other: race.filter((s) => s !== 201 && s !== 409 && s < 500).length,
        target: "exactly 1 win, 0 5xx",
      },
      holdThroughput: {
        httpHoldsPerSecond: perSecond(httpHolds),
        libHoldsPerSecond: perSecond(libHolds),
        rawInsertsPerSecond: perSecond(rawInserts),
        httpRatio: perSecond(httpHolds) / perSecond(rawInserts),
        libRatio: perSecond(libHolds) / perSecond(rawInserts),
        target: "hold throughput ≥ 40 % of raw INSERT",
      },
      formatISO: formatISO(new Date()),
    };
  } finally {
    await server.stop();
    await pool.end();
  }
}
