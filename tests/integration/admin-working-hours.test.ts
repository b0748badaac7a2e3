import { fromZonedTime } from "date-fns-tz";
import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { bookings, workingHours } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { bookingsOutsideHours, fitsWorkingHours, saveWorkingHours } from "@/lib/studio/working-hours";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { closeDb, createTestArtist, useTestDatabase } from "../support/test-db";

let db: Database;
beforeAll(() => {
  db = useTestDatabase();
});
afterAll(async () => {
  await closeDb();
});

function addDays(date: string, n: number) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A Monday at least `minDays` ahead (as a local date). */
function mondayAhead(minDays: number) {
  let d = addDays(new Date().toISOString().slice(0, 10), minDays);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
}

async function place(
  artistId: string,
  serviceId: string,
  timezone: string,
  date: string,
  from: string,
  to: string,
  status: "pending" | "confirmed" | "cancelled" = "confirmed",
) {
  const id = crypto.randomUUID();
  await db.insert(bookings).values({
    id,
    artistId,
    serviceId,
    startsAt: fromZonedTime(`${date}T${from}:00`, timezone),
    endsAt: fromZonedTime(`${date}T${to}:00`, timezone),
    status,
    customerName: `Hours ${date} ${from}`,
    customerEmail: `hours-${id.slice(0, 8)}@example.com`,
    caldavUid: `${id}@holdfast`,
  });
  return id;
}

const snapshot = (ids: string[]) => db.select().from(bookings).where(inArray(bookings.id, ids)).orderBy(asc(bookings.id));

describe("saving new working hours", () => {
  it("lists the upcoming bookings that fall outside the new hours and changes no booking", async () => {
    const tz = "Europe/Berlin";
    const { artist, service } = await createTestArtist(db, { timezone: tz });
    const monday = mondayAhead(10);
    const inside = await place(artist.id, service.id, tz, monday, "10:00", "11:00");
    const afternoon = await place(artist.id, service.id, tz, monday, "15:00", "16:00", "pending");
    const acrossClosing = await place(artist.id, service.id, tz, addDays(monday, 1), "12:30", "13:30");
    const sunday = await place(artist.id, service.id, tz, addDays(monday, 6), "10:00", "11:00");
    const cancelled = await place(artist.id, service.id, tz, addDays(monday, 2), "15:00", "16:00", "cancelled");
    const all = [inside, afternoon, acrossClosing, sunday, cancelled];
    const before = await snapshot(all);
    const oldRows = await db.select().from(workingHours).where(eq(workingHours.artistId, artist.id));

    const today = localDateInZone(new Date(), tz);
    const saved = await saveWorkingHours(db, {
      artistId: artist.id,
      effectiveFrom: today,
      hours: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: "09:00", end: "13:00" })),
    });

    expect(saved.outsideHours.map((b) => b.id).sort()).toEqual([afternoon, acrossClosing, sunday].sort());
    const sundayEntry = saved.outsideHours.find((b) => b.id === sunday)!;
    expect(sundayEntry.hoursThatDay).toEqual([]);
    expect(saved.outsideHours.find((b) => b.id === afternoon)!.hoursThatDay).toEqual(["09:00–13:00"]);
    expect(saved.outsideHours.find((b) => b.id === afternoon)!.timezone).toBe(tz);

    // Not one booking was moved, cancelled or even touched (same version and updated_at).
    expect(await snapshot(all)).toEqual(before);
    // The old hours are still there: days before `today` keep the schedule they were booked under.
    const rows = await db.select().from(workingHours).where(eq(workingHours.artistId, artist.id));
    expect(rows.filter((r) => r.effectiveFrom === oldRows[0]!.effectiveFrom)).toHaveLength(oldRows.length);
    expect(rows.filter((r) => r.effectiveFrom === today)).toHaveLength(6);

    // The same review list is there on a later visit, and it goes away once the hours fit again.
    expect((await bookingsOutsideHours(db, artist.id)).map((b) => b.id).sort()).toEqual([afternoon, acrossClosing, sunday].sort());
    const resaved = await saveWorkingHours(db, {
      artistId: artist.id,
      effectiveFrom: today,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
    });
    expect(resaved.outsideHours).toEqual([]);
    expect((await db.select().from(workingHours).where(eq(workingHours.artistId, artist.id))).filter((r) => r.effectiveFrom === today)).toHaveLength(7);
    expect(await snapshot(all)).toEqual(before);
  });

  it("only reviews bookings from the date the new hours take effect", async () => {
    const tz = "America/Denver";
    const { artist, service } = await createTestArtist(db, { timezone: tz });
    const monday = mondayAhead(12);
    const beforeChange = await place(artist.id, service.id, tz, monday, "15:00", "16:00");
    const afterChange = await place(artist.id, service.id, tz, addDays(monday, 7), "15:00", "16:00");
    const saved = await saveWorkingHours(db, { artistId: artist.id, effectiveFrom: addDays(monday, 3), hours: [{ weekday: 1, start: "08:00", end: "12:00" }] });
    expect(saved.outsideHours.map((b) => b.id)).toEqual([afterChange]);
    expect(saved.outsideHours.map((b) => b.id)).not.toContain(beforeChange);
  });

  it("refuses hours that take effect in the past or overlap, and saves nothing then", async () => {
    const { artist } = await createTestArtist(db);
    const countBefore = (await db.select().from(workingHours).where(eq(workingHours.artistId, artist.id))).length;
    const past = saveWorkingHours(db, { artistId: artist.id, effectiveFrom: "2021-01-04", hours: [{ weekday: 1, start: "09:00", end: "12:00" }] });
    await expect(past).rejects.toBeInstanceOf(HoldfastError);
    await expect(past).rejects.toMatchObject({ code: "invalid_input", fields: { effectiveFrom: expect.any(Array) } });
    const overlapping = saveWorkingHours(db, {
      artistId: artist.id,
      effectiveFrom: mondayAhead(3),
      hours: [
        { weekday: 2, start: "09:00", end: "12:00" },
        { weekday: 2, start: "11:00", end: "14:00" },
      ],
    });
    await expect(overlapping).rejects.toMatchObject({ code: "invalid_input" });
    const inverted = saveWorkingHours(db, { artistId: artist.id, effectiveFrom: mondayAhead(3), hours: [{ weekday: 2, start: "14:00", end: "09:00" }] });
    await expect(inverted).rejects.toMatchObject({ code: "invalid_input" });
    expect((await db.select().from(workingHours).where(eq(workingHours.artistId, artist.id))).length).toBe(countBefore);
  });

  it("judges fit on the artist's clock across a DST change (Berlin spring forward)", () => {
    const hours = [{ effectiveFrom: "2020-01-01", weekday: 7, startTime: "10:00:00", endTime: "14:00:00" }];
    // Sunday 29 March 2026: clocks go from 02:00 to 03:00 in Berlin; 10:00 CEST is 08:00 UTC.
    expect(fitsWorkingHours(hours, "Europe/Berlin", new Date("2026-03-29T08:00:00Z"), new Date("2026-03-29T09:00:00Z"))).toBe(true);
    // 09:00 UTC + 4h = 13:00 UTC = 15:00 CEST: ends after closing.
    expect(fitsWorkingHours(hours, "Europe/Berlin", new Date("2026-03-29T09:00:00Z"), new Date("2026-03-29T13:00:00Z"))).toBe(false);
    // The same UTC time a week earlier is 09:00 CET: before opening.
    expect(fitsWorkingHours(hours, "Europe/Berlin", new Date("2026-03-22T08:00:00Z"), new Date("2026-03-22T09:00:00Z"))).toBe(false);
  });
});
