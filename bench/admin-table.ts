/**
 * Benchmark hook for the admin bookings table (wired into `npm run bench`): seeds `bookings` rows
 * (once; later runs reuse them) spread over bench artists, then measures listAdminBookings — the
 * very function behind GET /api/admin/bookings and /admin/bookings — in the scenarios admins use.
 * The target: under 50 ms at 100,000 bookings.
 */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listAdminBookings, type ListBookingsQuery } from "@/lib/admin/list-bookings";

export type AdminTableScenario = { name: string; query: ListBookingsQuery; p50Ms: number; p95Ms: number; maxMs: number; rows: number; total: number };
export type AdminTableBench = { bookings: number; seededMs: number; runsPerScenario: number; p50Ms: number; p95Ms: number; scenarios: AdminTableScenario[] };

const BENCH_ARTISTS = 20;

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Adds bench artists, a service and `count` non-overlapping bookings with a realistic status mix. */
async function seed(db: Database, count: number) {
  const perArtist = Math.ceil(count / BENCH_ARTISTS);
  await db.execute(
    sql`insert into studio_settings (id, name, email, timezone) values (1, 'Bench Studio', 'bench@holdfast.local', 'Europe/Berlin') on conflict do nothing`,
  );
  await db.execute(sql`insert into services (slug, name, duration_minutes) values ('bench-service', 'Bench service', 60) on conflict (slug) do nothing`);
  await db.execute(sql`
    insert into artists (slug, name, timezone)
    select 'bench-artist-' || i, 'Bench Artist ' || i, case when i % 3 = 0 then 'America/Denver' else 'Europe/Berlin' end
    from generate_series(1, ${BENCH_ARTISTS}) i
    on conflict (slug) do nothing`);
  // Each artist gets bookings three hours apart from 2025-01-01 on: no overlaps, years of history and future.
  await db.execute(sql`
    insert into bookings (artist_id, service_id, starts_at, ends_at, status, hold_expires_at, customer_name, customer_email, caldav_uid, submitted_at)
    select a.id, s.id,
      timestamptz '2025-01-01 08:00:00+00' + (n * interval '3 hours'),
      timestamptz '2025-01-01 09:00:00+00' + (n * interval '3 hours'),
      st.status::booking_status,
      case when st.status = 'hold' then now() + interval '10 minutes' end,
      (array['Ana','Ben','Chloé','Dmitri','Eun-ji','Femi','Gus','Hana','Ivo','Jae'])[1 + (n % 10)] || ' ' || (array['Meyer','Okafor','Silva','Kowalski','Nguyen','Brown','Rossi','Tanaka'])[1 + ((n / 10) % 8)],
      'customer' || (n * 31 + a.rn) % 20000 || '@example.com',
      'bench-' || a.rn || '-' || n || '@holdfast',
      timestamptz '2025-01-01 00:00:00+00' + (n * interval '3 hours') - interval '7 days'
    from (select id, row_number() over (order by slug) as rn from artists where slug like 'bench-artist-%') a
    cross join (select id from services where slug = 'bench-service') s
    cross join generate_series(0, ${perArtist - 1}) n
    cross join lateral (select case
      when n % 20 = 0 then 'pending' when n % 20 < 11 then 'confirmed' when n % 20 < 15 then 'completed'
      when n % 20 < 17 then 'cancelled' when n % 20 = 17 then 'rejected' else 'expired' end as status) st
    where a.rn <= ${BENCH_ARTISTS}
    on conflict do nothing`);
  await db.execute(sql`analyze bookings`);
}

export async function benchAdminTable(db: Database, opts: { bookings: number; runs?: number } = { bookings: 100_000 }): Promise<AdminTableBench> {
  const runs = opts.runs ?? 40;
  const seededAt = performance.now();
  const [existing] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from bookings`)).rows;
  if ((existing?.n ?? 0) < opts.bookings) await seed(db, opts.bookings - (existing?.n ?? 0));
  const seededMs = performance.now() - seededAt;

  const [someArtist] = (await db.execute<{ slug: string }>(sql`select slug from artists where slug like 'bench-artist-%' order by slug limit 1`)).rows;
  const artist = someArtist?.slug ?? "bench-artist-1";
  const scenarios: { name: string; query: ListBookingsQuery }[] = [
    { name: "default view, newest first", query: {} },
    { name: "pending requests, oldest first", query: { status: "pending", sort: "asc" } },
    { name: "one artist, one month", query: { artist, from: "2025-06-01", to: "2025-06-30", sort: "asc" } },
    { name: "search by email fragment", query: { q: "customer1234" } },
    { name: "search by name, confirmed only", query: { q: "okafor", status: "confirmed" } },
    { name: "deep page (page 2000 of 25)", query: { page: 2000 } },
    { name: "all statuses, date range, page 3", query: { status: "all", from: "2025-03-01", to: "2025-09-30", page: 3, pageSize: 50 } },
  ];

  const results: AdminTableScenario[] = [];
  const all: number[] = [];
  for (const scenario of scenarios) {
    await listAdminBookings(db, scenario.query); // warm the plan and the cache
    const times: number[] = [];
    let last = { bookings: [] as unknown[], total: 0 };
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      last = await listAdminBookings(db, scenario.query);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    results.push({
      ...scenario,
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      maxMs: round(times[times.length - 1] ?? 0),
      rows: last.bookings.length,
      total: last.total,
    });
  }
  all.sort((a, b) => a - b);
  return {
    bookings: opts.bookings,
    seededMs: round(seededMs),
    runsPerScenario: runs,
    p50Ms: round(percentile(all, 50)),
    p95Ms: round(percentile(all, 95)),
    scenarios: results,
  };
}
