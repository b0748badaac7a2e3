import { fromZonedTime } from "date-fns-tz";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { bookings, type BookingStatus } from "@/db/schema";
import { listAdminBookings } from "@/lib/admin/list-bookings";
import { HoldfastError } from "@/lib/errors";
import { closeDb, createTestArtist, useTestDatabase } from "../support/test-db";

let db: Database;
beforeAll(() => {
  db = useTestDatabase();
});
afterAll(async () => {
  await closeDb();
});

type Seed = { date: string; time: string; status: BookingStatus; name: string; email: string };

async function seedArtist(timezone: string, rows: Seed[]) {
  const { artist, service } = await createTestArtist(db, { timezone });
  const ids: string[] = [];
  for (const r of rows) {
    const id = crypto.randomUUID();
    const start = fromZonedTime(`${r.date}T${r.time}:00`, timezone);
    await db.insert(bookings).values({
      id,
      artistId: artist.id,
      serviceId: service.id,
      startsAt: start,
      endsAt: new Date(start.getTime() + 30 * 60_000),
      status: r.status,
      holdExpiresAt: r.status === "hold" ? new Date(Date.now() + 600_000) : null,
      customerName: r.name,
      customerEmail: r.email,
      caldavUid: `${id}@holdfast`,
    });
    ids.push(id);
  }
  return { artist, ids };
}

describe("the admin bookings table query", () => {
  const tag = crypto.randomUUID().slice(0, 6);
  let berlin: Awaited<ReturnType<typeof seedArtist>>;
  let denver: Awaited<ReturnType<typeof seedArtist>>;

  beforeAll(async () => {
    berlin = await seedArtist("Europe/Berlin", [
      { date: "2031-05-05", time: "10:00", status: "pending", name: `Ana Meyer ${tag}`, email: `ana.${tag}@example.com` },
      { date: "2031-05-05", time: "12:00", status: "confirmed", name: `Ben Okafor ${tag}`, email: `ben.${tag}@example.com` },
      { date: "2031-05-06", time: "09:00", status: "cancelled", name: `Chloé Silva ${tag}`, email: `chloe.${tag}@example.com` },
      { date: "2031-05-06", time: "11:00", status: "hold", name: `Held ${tag}`, email: `held.${tag}@example.com` },
      { date: "2031-05-07", time: "23:30", status: "confirmed", name: `Late Night ${tag}`, email: `late.${tag}@example.com` },
      { date: "2031-05-08", time: "10:00", status: "expired", name: `Gone ${tag}`, email: `gone.${tag}@example.com` },
      { date: "2031-05-09", time: "10:00", status: "rejected", name: `Percent 100%_ ${tag}`, email: `pct.${tag}@example.com` },
    ]);
    denver = await seedArtist("America/Denver", [
      { date: "2031-05-05", time: "10:00", status: "pending", name: `Dmitri ${tag}`, email: `dmitri.${tag}@example.com` },
      { date: "2031-05-07", time: "20:00", status: "confirmed", name: `Eun-ji ${tag}`, email: `EUNJI.${tag}@Example.com` },
    ]);
  });

  it("filters by artist and leaves holds and expired holds out unless asked", async () => {
    const page = await listAdminBookings(db, { artist: berlin.artist.slug, pageSize: 50 });
    expect(page.total).toBe(5);
    expect(page.bookings.map((b) => b.status).sort()).toEqual(["cancelled", "confirmed", "confirmed", "pending", "rejected"]);
    expect(page.timezone).toBe("Europe/Berlin");
    const everything = await listAdminBookings(db, { artist: berlin.artist.id, status: "all", pageSize: 50 });
    expect(everything.total).toBe(7);
  });

  it("filters by one status, a list of statuses and 'active'", async () => {
    expect((await listAdminBookings(db, { artist: berlin.artist.slug, status: "confirmed" })).bookings.map((b) => b.customer.name)).toEqual([
      `Late Night ${tag}`,
      `Ben Okafor ${tag}`,
    ]);
    expect((await listAdminBookings(db, { artist: berlin.artist.slug, status: "pending,cancelled" })).total).toBe(2);
    expect((await listAdminBookings(db, { artist: denver.artist.slug, status: "active" })).total).toBe(2);
  });

  it("reads a date range on the artist's clock (23:30 in Berlin is still that Berlin day)", async () => {
    const day = await listAdminBookings(db, { artist: berlin.artist.slug, from: "2031-05-07", to: "2031-05-07" });
    expect(day.bookings.map((b) => b.customer.name)).toEqual([`Late Night ${tag}`]);
    expect(day.bookings[0]!.timezone).toBe("Europe/Berlin");
    // 20:00 in Denver on the 7th is the 8th in UTC; the Denver artist's range still finds it on the 7th.
    const denverDay = await listAdminBookings(db, { artist: denver.artist.slug, from: "2031-05-07", to: "2031-05-07" });
    expect(denverDay.bookings.map((b) => b.customer.name)).toEqual([`Eun-ji ${tag}`]);
    expect(new Date(denverDay.bookings[0]!.start).toISOString()).toBe("2031-05-08T02:00:00.000Z");
  });

  it("searches name or email, case-insensitively, and treats % and _ as plain characters", async () => {
    const byName = await listAdminBookings(db, { q: `okafor ${tag}` });
    expect(byName.bookings.map((b) => b.customer.email)).toEqual([`ben.${tag}@example.com`]);
    const byEmail = await listAdminBookings(db, { q: `eunji.${tag}@EXAMPLE` });
    expect(byEmail.bookings.map((b) => b.customer.name)).toEqual([`Eun-ji ${tag}`]);
    const literal = await listAdminBookings(db, { q: `100%_ ${tag}` });
    expect(literal.bookings.map((b) => b.customer.name)).toEqual([`Percent 100%_ ${tag}`]);
    expect((await listAdminBookings(db, { q: `10_%_ ${tag}` })).total).toBe(0);
    const acrossArtists = await listAdminBookings(db, { q: tag, pageSize: 50 });
    expect(acrossArtists.total).toBe(7);
  });

  it("pages through every match exactly once, newest first or oldest first", async () => {
    const all = await listAdminBookings(db, { q: tag, pageSize: 50, sort: "asc" });
    const starts = all.bookings.map((b) => b.start);
    expect([...starts].sort()).toEqual(starts);
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const p = await listAdminBookings(db, { q: tag, pageSize: 3, page, sort: "asc" });
      expect(p.total).toBe(7);
      expect(p.pageCount).toBe(3);
      expect(p.page).toBe(page);
      seen.push(...p.bookings.map((b) => b.id));
    }
    expect(seen).toEqual(all.bookings.map((b) => b.id));
    const desc = await listAdminBookings(db, { q: tag, pageSize: 50 });
    expect(desc.bookings.map((b) => b.id)).toEqual([...seen].reverse());
    expect((await listAdminBookings(db, { q: tag, pageSize: 3, page: 9 })).bookings).toEqual([]);
  });

  it("returns rows with everything the table shows", async () => {
    const [row] = (await listAdminBookings(db, { q: `ana.${tag}` })).bookings;
    expect(row).toEqual(
      expect.objectContaining({
        status: "pending",
        version: 1,
        timezone: "Europe/Berlin",
        artist: expect.objectContaining({ slug: berlin.artist.slug }),
        service: expect.objectContaining({ name: expect.any(String) }),
        customer: { name: `Ana Meyer ${tag}`, email: `ana.${tag}@example.com`, phone: null },
      }),
    );
  });

  it("answers bad filters with field errors and an unknown artist with nothing", async () => {
    await expect(listAdminBookings(db, { status: "approved" })).rejects.toMatchObject({ code: "invalid_input", fields: { status: expect.any(Array) } });
    await expect(listAdminBookings(db, { from: "yesterday" })).rejects.toBeInstanceOf(HoldfastError);
    await expect(listAdminBookings(db, { pageSize: 5000 })).rejects.toMatchObject({ code: "invalid_input" });
    expect((await listAdminBookings(db, { artist: "nobody-at-all" })).total).toBe(0);
  });
});
