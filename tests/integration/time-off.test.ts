/**
 * An artist's time off, end to end on a real Postgres (and real Radicale/Xandikos for the calendar):
 * it blocks availability and holds through its busy block, lists the bookings already inside it
 * without touching them, frees the time again when removed, and appears in (and disappears from)
 * the artist's write calendar without the pull mirroring it as a second block.
 */
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings, busyBlocks, timeOff } from "@/db/schema";
import { createHold } from "@/lib/bookings/create-hold";
import { pullCalendarChanges } from "@/lib/caldav/pull-calendar";
import { HoldfastError } from "@/lib/errors";
import { addTimeOff, listTimeOff, removeTimeOff, timeOffUid } from "@/lib/studio/time-off";
import { instantInZone } from "@/lib/time/zone-clock";
import { addDays } from "@/lib/time/calendar-dates";
import {
  adminActor,
  artistWithLinkedCalendar,
  blocksOf,
  customerActor,
  freeStarts,
  localDate,
  runPushesUntilDone,
  setupCalDavTestDatabase,
} from "../support/caldav-fixtures";
import { CALDAV_SERVER_KINDS, readCalendar } from "../support/caldav-servers";
import { setupCalDavServer } from "../support/setup-caldav-server";
import { createTestArtist, futureSlot, insertTestBooking } from "../support/test-db";

const TZ = "Europe/Berlin";
const { db, linked } = setupCalDavTestDatabase();

async function refusal(p: Promise<unknown>): Promise<HoldfastError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HoldfastError);
  return err as HoldfastError;
}

describe("time off (database)", () => {
  it("over an existing booking: lists the booking untouched, blocks every other slot that day (availability and holds), names the admin; removing it frees the day", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: TZ });
    const day = localDate(21, TZ);
    const bookingId = await insertTestBooking(db, {
      artistId: artist.id,
      serviceId: service.id,
      start: futureSlot(21, "11:00", TZ),
      status: "confirmed",
      customerName: "Inside Customer",
    });
    const before = await freeStarts(db, artist, service.id, day);
    expect(before.length).toBeGreaterThan(5);

    const { timeOff: row, bookingsInside } = await addTimeOff(db, { artistId: artist.id, start: day, end: day, reason: "Convention", actor: adminActor });
    expect(bookingsInside).toEqual([
      {
        id: bookingId,
        status: "confirmed",
        startsAt: futureSlot(21, "11:00", TZ),
        endsAt: new Date(futureSlot(21, "11:00", TZ).getTime() + 3_600_000),
        customerName: "Inside Customer",
      },
    ]);
    // Listed, never moved or cancelled silently.
    const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
    expect(booking).toMatchObject({ status: "confirmed", startsAt: futureSlot(21, "11:00", TZ) });
    expect(row).toMatchObject({ reason: "Convention", createdBy: `admin:${adminActor.id}`, caldavUid: timeOffUid(row.id) });
    expect(row.startsAt).toEqual(instantInZone(day, TZ));
    expect(row.endsAt).toEqual(instantInZone(addDays(day, 1), TZ));
    const blocks = await db.select().from(busyBlocks).where(eq(busyBlocks.timeOffId, row.id));
    expect(blocks).toMatchObject([{ artistId: artist.id, calendarId: null, startsAt: row.startsAt, endsAt: row.endsAt }]);

    expect(await freeStarts(db, artist, service.id, day)).toEqual([]);
    const held = await refusal(createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(21, "14:00", TZ), actor: customerActor }));
    expect(held.status).toBe(409);
    // The day after is untouched.
    expect(await freeStarts(db, artist, service.id, localDate(22, TZ))).toHaveLength(15);

    expect((await listTimeOff(db, artist.id, {})).map((t) => t.id)).toEqual([row.id]);
    expect(await listTimeOff(db, artist.id, { from: row.endsAt })).toEqual([]);

    await removeTimeOff(db, row.id, adminActor);
    expect(await db.select().from(busyBlocks).where(eq(busyBlocks.artistId, artist.id))).toEqual([]);
    expect(await freeStarts(db, artist, service.id, day)).toEqual(before);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(21, "14:00", TZ), actor: customerActor });
    expect(hold.id).toBeTruthy();
    expect((await refusal(removeTimeOff(db, row.id, adminActor))).code).toBe("not_found");
  });

  it("a from–to time range blocks only the slots that overlap it, and whole days are read on the artist's own clock", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: "America/Denver" });
    const day = localDate(15, "America/Denver");
    const start = futureSlot(15, "10:00", "America/Denver");
    const end = futureSlot(15, "13:00", "America/Denver");
    const { bookingsInside } = await addTimeOff(db, { artistId: artist.id, start: start.toISOString(), end: end.toISOString(), actor: adminActor });
    expect(bookingsInside).toEqual([]);
    const free = await freeStarts(db, artist, service.id, day);
    // 60-minute service, 30-minute steps, 09:00–17:00: 09:00 ends at 10:00 (free), 09:30 would overlap.
    expect(free).toEqual(["09:00", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00"]);

    const days = await addTimeOff(db, { artistId: artist.id, start: localDate(40, "America/Denver"), end: localDate(41, "America/Denver"), actor: adminActor });
    expect(days.timeOff.startsAt).toEqual(instantInZone(localDate(40, "America/Denver"), "America/Denver"));
    expect(days.timeOff.endsAt).toEqual(instantInZone(localDate(42, "America/Denver"), "America/Denver"));
    expect(await freeStarts(db, artist, service.id, localDate(41, "America/Denver"))).toEqual([]);
  });

  it("refuses backwards, over-long and mixed ranges and an unknown artist, entering nothing", async () => {
    const { artist } = await createTestArtist(db, { timezone: TZ });
    const day = localDate(10, TZ);
    const cases: [Record<string, string>, string][] = [
      [{ start: day, end: addDays(day, -1) }, "end"],
      [{ start: futureSlot(10, "12:00").toISOString(), end: futureSlot(10, "12:00").toISOString() }, "end"],
      [{ start: day, end: addDays(day, 366) }, "end"],
      [{ start: day, end: futureSlot(11).toISOString() }, "end"],
      [{ start: "tomorrow", end: day }, "start"],
    ];
    for (const [range, field] of cases) {
      const err = await refusal(addTimeOff(db, { artistId: artist.id, start: range.start!, end: range.end!, actor: adminActor }));
      expect(err.code, JSON.stringify(range)).toBe("invalid_input");
      expect(Object.keys(err.fields ?? {}), JSON.stringify(range)).toContain(field);
    }
    // 366 days exactly (the last day included) is allowed.
    await addTimeOff(db, { artistId: artist.id, start: day, end: addDays(day, 365), actor: adminActor });
    expect((await refusal(addTimeOff(db, { artistId: crypto.randomUUID(), start: day, end: day, actor: adminActor }))).code).toBe("not_found");
    expect(await db.select().from(timeOff).where(eq(timeOff.artistId, artist.id))).toHaveLength(1);
  });
});

describe.each(CALDAV_SERVER_KINDS)("time off in the artist's calendar, with %s", (kind) => {
  const { available, server } = setupCalDavServer(kind);

  it.skipIf(!available)(
    "appears as an opaque busy event, is not mirrored back as a second block by the pull, and disappears on removal",
    async () => {
      const { artist, service, calendarUrl, calendar } = await artistWithLinkedCalendar(db, { server, linked, timezone: TZ });
      const day = localDate(25, TZ);
      const { timeOff: row } = await addTimeOff(db, { artistId: artist.id, start: day, end: day, reason: "Guest spot in Lisbon", actor: adminActor });
      await runPushesUntilDone(db);

      const events = await readCalendar(server, calendarUrl);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event!.uid).toBe(`timeoff-${row.id}@holdfast`);
      expect(event!.summary).toBe("Time off: Guest spot in Lisbon");
      expect(event!.status).toBe("CONFIRMED");
      expect(event!.text).toMatch(/^TRANSP:OPAQUE/m);
      expect(event!.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T000000/);
      expect(event!.text).not.toMatch(/^(ORGANIZER|ATTENDEE)/m);
      expect(event!.text.replace(/\r?\n[ \t]/g, "")).toContain(row.id);
      const [stored] = await db.select().from(timeOff).where(eq(timeOff.id, row.id));
      expect(stored!.caldavHref).toBe(event!.href);
      expect(stored!.caldavEtag).toBe(event!.etag);

      // The pull sees Holdfast's own event and blocks nothing more: the time off's block is the only one.
      await pullCalendarChanges(db, calendar.id);
      expect(await blocksOf(db, calendar.id)).toEqual([]);
      expect(await db.select().from(busyBlocks).where(eq(busyBlocks.artistId, artist.id))).toHaveLength(1);
      await pullCalendarChanges(db, calendar.id);
      expect(
        await db
          .select()
          .from(busyBlocks)
          .where(and(eq(busyBlocks.artistId, artist.id), isNull(busyBlocks.calendarId))),
      ).toHaveLength(1);
      expect(await freeStarts(db, artist, service.id, day)).toEqual([]);

      await removeTimeOff(db, row.id, adminActor);
      await runPushesUntilDone(db);
      expect(await readCalendar(server, calendarUrl)).toEqual([]);
      await pullCalendarChanges(db, calendar.id);
      expect(await db.select().from(busyBlocks).where(eq(busyBlocks.artistId, artist.id))).toEqual([]);
      expect((await freeStarts(db, artist, service.id, day)).length).toBeGreaterThan(5);
    },
    60_000,
  );

  it.skipIf(!available)("removed before its event was written: nothing is left in the calendar", async () => {
    const { artist, calendarUrl } = await artistWithLinkedCalendar(db, { server, linked, timezone: TZ });
    const { timeOff: row } = await addTimeOff(db, { artistId: artist.id, start: localDate(26, TZ), end: localDate(26, TZ), actor: adminActor });
    await removeTimeOff(db, row.id, adminActor);
    await runPushesUntilDone(db);
    expect(await readCalendar(server, calendarUrl)).toEqual([]);
  });
});
