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

export type BookingLoad = { artists: number; bookingsPerArtist: number; blocksPerArtist: number };
export const CORE_LOAD: BookingLoad = { artists: ARTISTS, bookingsPerArtist: BOOKINGS_PER_ARTIST, blocksPerArtist: BLOCKS_PER_ARTIST };

/**
 * `artists` artists with five one-hour bookings a day and five busy blocks a day each, generated
 * in SQL. The last 1,000 of each (200 days) lie ahead; the rest are history, further and further
 * back, as a studio that has used Holdfast for years has. Inserted per batch of artists on one
 * connection with triggers off (session_replication_role = replica: no audit rows or versions for
 * a seed; the exclusion constraints, being indexes, still check every row).
 */
export async function seedBookingLoad(pool: Pool, load: BookingLoad = CORE_LOAD, onProgress?: (artistsDone: number) => void) {
  await pool.query(`insert into studio_settings (id, name, email, timezone) values (1, 'Bench', 'bench@example.com', '${TZ}') on conflict do nothing`);
  await pool.query(`insert into services (slug, name, duration_minutes, buffer_after_minutes, min_notice_minutes, booking_window_days, slot_step_minutes)
                    values ('bench-service', 'Bench service', 30, 0, 0, 400, 30) on conflict do nothing`);
  await pool.query(
    `insert into artists (slug, name, timezone) select 'bench-' || n, 'Bench artist ' || n, '${TZ}' from generate_series(1, ${load.artists}) n on conflict do nothing`,
  );
  await pool.query(
    `insert into artist_services (artist_id, service_id) select a.id, s.id from artists a, services s where a.slug like 'bench-%' and s.slug = 'bench-service' on conflict do nothing`,
  );
  await pool.query(`insert into working_hours (artist_id, effective_from, weekday, start_time, end_time)
                    select a.id, '2020-01-01', d, '08:00', '20:00' from artists a, generate_series(1, 7) d where a.slug like 'bench-%'`);
  const pastBookingDays = Math.max(0, Math.ceil((load.bookingsPerArtist - 1000) / 5));
  const pastBlockDays = Math.max(0, Math.ceil((load.blocksPerArtist - 1000) / 5));
  const batch = Math.max(1, Math.floor(200_000 / Math.max(load.bookingsPerArtist, load.blocksPerArtist)));
  const client = await pool.connect();
  // A large seed builds the two tables' indexes and exclusion constraints once after the load, as
  // a restore does: inserted row by row into the GiST indexes, 20 million rows take about an hour here.
  const rebuild: string[] = [];
  try {
    await client.query("set session_replication_role = replica");
    if (load.artists * load.bookingsPerArtist > 1_000_000) {
      await client.query("set maintenance_work_mem = '1GB'");
      const constraints = await client.query<{ ddl: string; drop: string }>(`
        select format('alter table %I add constraint %I %s', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)) as ddl,
               format('alter table %I drop constraint %I', c.conrelid::regclass::text, c.conname) as drop
        from pg_constraint c where c.conrelid in ('bookings'::regclass, 'busy_blocks'::regclass) and c.contype = 'x'`);
      const indexes = await client.query<{ ddl: string; drop: string }>(`
        select pg_get_indexdef(i.indexrelid) as ddl, format('drop index %s', i.indexrelid::regclass::text) as drop
        from pg_index i where i.indrelid in ('bookings'::regclass, 'busy_blocks'::regclass) and not i.indisprimary
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`);
      for (const row of [...constraints.rows, ...indexes.rows]) {
        await client.query(row.drop);
        rebuild.push(row.ddl);
      }
    }
    for (let first = 1; first <= load.artists; first += batch) {
      const last = Math.min(load.artists, first + batch - 1);
      const artistsInBatch = `select id from artists where slug in (select 'bench-' || k from generate_series(${first}, ${last}) k)`;
      // Five one-hour bookings a day (07, 09, 11, 13, 15 UTC); busy blocks at the even hours.
      await client.query(`
        insert into bookings (id, artist_id, service_id, starts_at, ends_at, status, caldav_uid, customer_name, customer_email)
        select u.id, u.artist_id, u.service_id, u.starts_at, u.starts_at + interval '1 hour', u.status::booking_status, u.id::text || '@holdfast', 'Customer ' || u.n, 'c' || u.n || '@example.com'
        from (
          select gen_random_uuid() as id, a.id as artist_id, s.id as service_id, n,
                 date_trunc('day', now()) + ((n / 5) + 1 - ${pastBookingDays}) * interval '1 day' + (7 + (n % 5) * 2) * interval '1 hour' as starts_at,
                 case when n % 3 = 0 then 'pending' else 'confirmed' end as status
          from (${artistsInBatch}) a cross join services s cross join generate_series(0, ${load.bookingsPerArtist - 1}) n
          where s.slug = 'bench-service'
        ) u`);
      await client.query(`
        insert into busy_blocks (artist_id, starts_at, ends_at, source_uid)
        select a.id, date_trunc('day', now()) + ((n / 5) + 1 - ${pastBlockDays}) * interval '1 day' + (8 + (n % 5) * 2) * interval '1 hour',
               date_trunc('day', now()) + ((n / 5) + 1 - ${pastBlockDays}) * interval '1 day' + (8 + (n % 5) * 2) * interval '1 hour' + interval '30 minutes', 'bench-' || n
        from (${artistsInBatch}) a cross join generate_series(0, ${load.blocksPerArtist - 1}) n`);
      onProgress?.(last);
    }
    for (const ddl of rebuild) await client.query(ddl);
  } finally {
    await client.query("reset session_replication_role").catch(() => undefined);
    client.release();
  }
  // Rooms: a second service needs one of ten rooms (any active one). Artists 1-10 hold a room for
  // each of their bookings, each artist a different room at any time, so every room has five uses a day.
  await pool.query(`insert into services (slug, name, duration_minutes, buffer_after_minutes, min_notice_minutes, booking_window_days, slot_step_minutes)
                    values ('bench-room-service', 'Bench room service', 30, 0, 0, 400, 30) on conflict do nothing`);
  await pool.query(
    `insert into service_resource_needs (service_id, kind) select id, 'room' from services where slug = 'bench-room-service' on conflict do nothing`,
  );
  await pool.query(`insert into resources (name, kind) select 'Bench room ' || lpad(n::text, 2, '0'), 'room' from generate_series(1, 10) n`);
  await pool.query(
    `insert into artist_services (artist_id, service_id) select a.id, s.id from artists a, services s where a.slug like 'bench-%' and s.slug = 'bench-room-service' on conflict do nothing`,
  );
  await pool.query(`
    insert into booking_resources (booking_id, resource_id, kind, starts_at, ends_at)
    select b.id, r.id, 'room', b.starts_at, b.ends_at
    from bookings b join artists a on a.id = b.artist_id
    join lateral (select substring(a.slug from 7)::int as k) ak on ak.k <= 10
    join resources r on r.name = 'Bench room ' || lpad((((ak.k - 1 + extract(hour from b.starts_at)::int) % 10) + 1)::text, 2, '0')
    where a.slug like 'bench-%'`);
  await pool.query("analyze");
}

/**
 * The availability endpoint's own queries, sent by a bare pg client: the floor. Two for a service
 * without rooms (what the artist offers, what blocks them); a third for one that needs a room
 * (the suitable rooms and their uses, the query of lib/resources/load-resource-needs.ts).
 */
export async function availabilitySqlOnce(pool: Pool, slug: string, service: string, from: Date, to: Date) {
  const bookable = await pool.query(
    `select a.id, a.timezone, s.id as service_id, s.duration_minutes,
       (select coalesce(json_agg(json_build_object('effectiveFrom', wh.effective_from, 'weekday', wh.weekday, 'startTime', wh.start_time, 'endTime', wh.end_time)), '[]'::json) from working_hours wh where wh.artist_id = a.id) as hours,
       (select coalesce(json_agg(n.kind order by n.kind), '[]'::json) from service_resource_needs n where n.service_id = s.id) as needs
     from artists a join services s on s.slug = $2 left join artist_services x on x.artist_id = a.id and x.service_id = s.id
     where a.slug = $1 and a.active limit 1`,
    [slug, service],
  );
  const row = bookable.rows[0] as { id: string; service_id: string; needs: string[] };
  const window = [from.toISOString(), to.toISOString()];
  await Promise.all([
    pool.query(
      `select lower(span) as starts, upper(span) as ends from (
         select holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) as span from bookings
         where artist_id = $1 and status in ('hold','awaiting_payment','pending','confirmed')
           and holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) && tstzrange($2, $3, '[)')
           and (status <> 'hold' or hold_expires_at > now())) active
       union all
       select starts_at, ends_at from busy_blocks where artist_id = $1 and tstzrange(starts_at, ends_at, '[)') && tstzrange($2, $3, '[)')`,
      [row.id, ...window],
    ),
    row.needs.length === 0
      ? null
      : pool.query(
          `select n.kind, r.id, r.cleanup_minutes,
             (select coalesce(json_agg(json_build_array(lower(s.span), upper(s.span))), '[]'::json) from (
                select holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes) as span
                from booking_resources br join bookings bk on bk.id = br.booking_id
                where br.resource_id = r.id and br.blocking
                  and holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes) && tstzrange($2, $3, '[)')
                  and (bk.status <> 'hold' or bk.hold_expires_at > now())) s) as blocked
           from service_resource_needs n
           left join resources r on r.kind = n.kind and r.active
             and (exists (select 1 from service_resources sr where sr.service_id = n.service_id and sr.resource_id = r.id)
                  or not exists (select 1 from service_resources sr join resources listed on listed.id = sr.resource_id
                                 where sr.service_id = n.service_id and listed.kind = n.kind))
           where n.service_id = $1::uuid order by n.kind, r.name, r.id`,
          [row.service_id, ...window],
        ),
  ]);
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
  await runConcurrently(100, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), "bench-service", from, to)); // warm-up
  const floor = await runConcurrently(REQUESTS, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), "bench-service", from, to));
  await runConcurrently(100, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), "bench-room-service", from, to));
  const roomFloor = await runConcurrently(REQUESTS, CONCURRENCY, (i) => availabilitySqlOnce(pool, slugFor(i), "bench-room-service", from, to));

  const server = await startBenchServer(databaseUrl);
  try {
    let slotsSeen = 0;
    const availOf = (service: string) => async (i: number) => {
      const res = await fetch(`${server.url}/api/availability?artist=${slugFor(i)}&service=${service}&from=${fromDate}&to=${toDate}`);
      if (!res.ok) throw new Error(`availability ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { slots: unknown[] };
      slotsSeen = Math.max(slotsSeen, body.slots.length);
    };
    await runConcurrently(100, CONCURRENCY, availOf("bench-service")); // warm-up (JIT, pool, cache)
    const http = await runConcurrently(REQUESTS, CONCURRENCY, availOf("bench-service"));
    await runConcurrently(100, CONCURRENCY, availOf("bench-room-service"));
    const roomHttp = await runConcurrently(REQUESTS, CONCURRENCY, availOf("bench-room-service"));
    // The same reads with every cached answer invalidated first (as if each artist had just changed): the miss path.
    const invalidateAll = () =>
      pool.query(`select holdfast_bump_availability('artist:' || id) from artists where slug like 'bench-%'
                  union all select holdfast_bump_availability('resource-kind:room')`);
    await invalidateAll();
    const coldHttp = await runConcurrently(ARTISTS, CONCURRENCY, availOf("bench-service"));

    // What the same server costs with none of Holdfast's work, at the same concurrency: a static file
    // and an unknown /api path (answered 404 by the proxy alone). The part of the availability
    // figure above these is Holdfast's; the rest is Next's request handling on this machine.
    const fetchText = (path: string) => async () => void (await (await fetch(`${server.url}${path}`)).text());
    await runConcurrently(100, CONCURRENCY, fetchText("/icon.svg"));
    const staticFile = await runConcurrently(REQUESTS, CONCURRENCY, fetchText("/icon.svg"));
    const proxyOnly = await runConcurrently(REQUESTS, CONCURRENCY, fetchText("/api/no-such-route"));

    // The booking page's first load: server-rendered with the month's free times (no second request needed).
    const pageLoad = async (i: number) => {
      const res = await fetch(`${server.url}/book/${slugFor(i)}/bench-service`);
      const html = await res.text();
      if (!res.ok) throw new Error(`booking page ${res.status}`);
      return html.includes('"monthSlots":[{') || html.includes('monthSlots\\":[{');
    };
    await runConcurrently(10, 5, pageLoad);
    const page = await runConcurrently(60, 5, pageLoad);

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
    // Each path is warmed up first on other slots (connections, plans, JIT), as availability is.
    // Round-robin over 20 artists, as the raw INSERTs below are: 20 concurrent holds on one artist
    // would queue on that artist's availability version row (one commit each), which no studio's
    // customers do; that case is measured on its own below.
    const slotsOn = async (daysAhead: number) => {
      const byArtist: { artist: string; start: string }[][] = [];
      const day = formatInTimeZone(addDays(new Date(), daysAhead), TZ, "yyyy-MM-dd");
      for (let a = 2; a <= 21; a += 1) {
        const body = (await (await fetch(`${server.url}/api/availability?artist=bench-${a}&service=bench-service&from=${day}&to=${day}`)).json()) as {
          slots: { start: string }[];
        };
        byArtist.push(body.slots.map((s) => ({ artist: `bench-${a}`, start: s.start })));
      }
      const list: { artist: string; start: string }[] = [];
      for (let k = 0; byArtist.some((slots) => k < slots.length); k += 1) for (const slots of byArtist) if (k < slots.length) list.push(slots[k]!);
      return {
        http: list.filter((_, i) => i % 2 === 0).slice(0, 150),
        lib: list.filter((_, i) => i % 2 === 1).slice(0, 150),
      };
    };
    const httpHold = (slots: { artist: string; start: string }[]) => async (i: number) => {
      const s = slots[i]!;
      const res = await fetch(`${server.url}/api/holds`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ artist: s.artist, service: "bench-service", start: s.start }),
      });
      if (res.status !== 201) throw new Error(`hold ${res.status}: ${await res.text()}`);
    };
    process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-000";
    const db = drizzle(pool, { schema }) as unknown as Database;
    const libHold = (slots: { artist: string; start: string }[]) => async (i: number) => {
      const s = slots[i]!;
      await createHold(db, { artist: s.artist, service: "bench-service", start: new Date(s.start), actor: { kind: "system", id: "bench" } });
    };
    const warm = await slotsOn(61);
    await runConcurrently(60, CONCURRENCY, httpHold(warm.http));
    await runConcurrently(60, CONCURRENCY, libHold(warm.lib));
    const measured = await slotsOn(60);
    const httpHolds = await runConcurrently(measured.http.length, CONCURRENCY, httpHold(measured.http));
    const libHolds = await runConcurrently(measured.lib.length, CONCURRENCY, libHold(measured.lib));
    // Past the seeded 200 days one artist's day has 24 free half hours.
    const lateDay = formatInTimeZone(addDays(new Date(), 250), TZ, "yyyy-MM-dd");
    const oneArtist = (
      (await (await fetch(`${server.url}/api/availability?artist=bench-30&service=bench-service&from=${lateDay}&to=${lateDay}`)).json()) as {
        slots: { start: string }[];
      }
    ).slots
      .slice(0, 20)
      .map((slot) => ({ artist: "bench-30", start: slot.start }));
    const oneArtistHolds = await runConcurrently(oneArtist.length, CONCURRENCY, libHold(oneArtist));

    const service = await pool.query("select id from services where slug = 'bench-service'");
    const rawArtists = await pool.query("select id from artists where slug like 'bench-%' order by slug limit 20 offset 40");
    const rawInsert = (rawBase: number) => async (i: number) => {
      const id = randomUUID();
      const start = new Date(rawBase + Math.floor(i / 20) * 3_600_000);
      await pool.query(
        `insert into bookings (id, artist_id, service_id, starts_at, ends_at, status, hold_expires_at, caldav_uid) values ($1, $2, $3, $4, $5, 'hold', now() + interval '10 minutes', $6)`,
        [id, rawArtists.rows[i % 20].id, service.rows[0].id, start.toISOString(), new Date(start.getTime() + 1_800_000).toISOString(), `${id}@holdfast`],
      );
    };
    await runConcurrently(60, CONCURRENCY, rawInsert(addDays(new Date(), 310).getTime()));
    const rawInserts = await runConcurrently(150, CONCURRENCY, rawInsert(addDays(new Date(), 300).getTime()));

    const httpSummary = summarize(http.latencies);
    const floorSummary = summarize(floor.latencies);
    const roomHttpSummary = summarize(roomHttp.latencies);
    const roomFloorSummary = summarize(roomFloor.latencies);
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
        rooms: { http: roomHttpSummary, sqlFloor: roomFloorSummary, p95Ratio: roomHttpSummary.p95 / roomFloorSummary.p95 },
        cacheMiss: { http: summarize(coldHttp.latencies), requests: ARTISTS },
        serverAlone: { staticFile: summarize(staticFile.latencies), proxy404: summarize(proxyOnly.latencies) },
        target: "p95 ≤ 1.5× floor, with and without rooms",
      },
      bookingPage: { ...summarize(page.latencies), concurrency: 5, renderedWithTimes: page.results.every(Boolean) },
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
        oneArtistLibHoldsPerSecond: perSecond(oneArtistHolds),
        target: "holds in-process ≥ 40 %, over HTTP ≥ 30 % of raw INSERT",
      },
      formatISO: formatISO(new Date()),
    };
  } finally {
    await server.stop();
    await pool.end();
  }
}
