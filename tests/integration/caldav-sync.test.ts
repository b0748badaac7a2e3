/**
 * The whole push/pull cycle against real CalDAV servers (Radicale and Xandikos from Debian):
 * bookings appear in, change in and disappear from the artist's calendar; the artist's own
 * events block exactly their slots; the artist's edits of Holdfast's events come back.
 */
import { fromZonedTime } from "date-fns-tz";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { bookingEvents, bookings, busyBlocks, calendarConflicts, calendarObjects, calendarSyncRuns, calendars } from "@/db/schema";
import { approveBooking, cancelBooking, rejectBooking, rescheduleBooking } from "@/lib/bookings/transitions";
import { pullCalendarChanges } from "@/lib/caldav/pull-calendar";
import { pushBookingToCalendar } from "@/lib/caldav/push-booking";
import { requestCalendarPull } from "@/lib/caldav/request-calendar-pull";
import { resolveConflict } from "@/lib/caldav/resolve-conflict";
import { runScheduledTick } from "@/lib/jobs/run-scheduled-tick";
import {
  adminActor,
  artistWithLinkedCalendar,
  blocksOf,
  freeStarts,
  icsLocal,
  localDate,
  placeRequest,
  runPushesUntilDone,
  setEditPolicy,
  setupCalDavTestDatabase,
  vtimezone,
} from "../support/caldav-fixtures";
import {
  CALDAV_SERVER_KINDS,
  deleteArtistObject,
  editArtistObject,
  putArtistObject,
  readCalendar,
  vcalendar,
  vevent,
  type RunningCalDavServer,
} from "../support/caldav-servers";
import { futureSlot } from "../support/test-db";
import { setupCalDavServer } from "../support/setup-caldav-server";

const TZ = "Europe/Berlin";

const { db, linked } = setupCalDavTestDatabase();
afterEach(async () => {
  await setEditPolicy(db, "review");
});

/** An artist with a fresh calendar on `server` that receives their bookings. */
const artistWithCalendar = (server: RunningCalDavServer) => artistWithLinkedCalendar(db, { server, linked, timezone: TZ });

describe.each(CALDAV_SERVER_KINDS)("with %s", (kind) => {
  const { available, server } = setupCalDavServer(kind);

  describe.skipIf(!available)("Holdfast → the artist's calendar", () => {
    it("shows a submitted request as a tentative `REQUEST:` event with contact details, notes, zone and a dashboard link — otherwise the artist would not know about it", async () => {
      const { artist, service, calendarUrl } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(20, "10:00", TZ));
      await runPushesUntilDone(db);

      const events = await readCalendar(server, calendarUrl);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event!.summary).toBe(`REQUEST: ${service.name} — Ana Example`);
      expect(event!.status).toBe("TENTATIVE");
      expect(event!.text).toContain(`X-HOLDFAST-BOOKING-ID:${booking.id}`);
      expect(event!.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T100000/);
      expect(event!.text).toContain("BEGIN:VTIMEZONE");
      expect(event!.text).not.toMatch(/^METHOD:/m);
      expect(event!.text).not.toMatch(/^ATTENDEE/m);
      const unfolded = event!.text.replace(/\r?\n[ \t]/g, "");
      expect(unfolded).toContain("ana@example.com");
      expect(unfolded).toContain("Small rose on the left wrist");
      expect(unfolded).toContain(`/admin/bookings/${booking.id}`);

      const [stored] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(stored!.caldavHref).toBe(event!.href);
      expect(stored!.caldavEtag).toBe(event!.etag);
      expect(stored!.version).toBe(booking.version); // bookkeeping does not make an admin's page stale
    });

    it("renames the same event on approval, moves it on reschedule and removes it on cancel — the artist's calendar always shows the booking as it is", async () => {
      const { artist, service, calendarUrl } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(21, "10:00", TZ));
      await runPushesUntilDone(db);
      const [created] = await readCalendar(server, calendarUrl);

      const approved = await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
      await runPushesUntilDone(db);
      let events = await readCalendar(server, calendarUrl);
      expect(events).toHaveLength(1);
      expect(events[0]!.href).toBe(created!.href);
      expect(events[0]!.summary).toBe(`${service.name} — Ana Example`);
      expect(events[0]!.status).toBe("CONFIRMED");

      const moved = await rescheduleBooking(db, { bookingId: booking.id, version: approved.version, actor: adminActor, start: futureSlot(22, "14:00", TZ) });
      await runPushesUntilDone(db);
      events = await readCalendar(server, calendarUrl);
      expect(events).toHaveLength(1);
      expect(events[0]!.uid).toBe(created!.uid);
      expect(events[0]!.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T140000/);

      await cancelBooking(db, { bookingId: booking.id, version: moved.version, actor: adminActor });
      await runPushesUntilDone(db);
      expect(await readCalendar(server, calendarUrl)).toHaveLength(0);
      const [after] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(after!.caldavHref).toBeNull();
    });

    it("removes a rejected request's event — otherwise the artist would keep the time free for nobody", async () => {
      const { artist, service, calendarUrl } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(23, "11:00", TZ));
      await runPushesUntilDone(db);
      expect(await readCalendar(server, calendarUrl)).toHaveLength(1);
      await rejectBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor, reason: "fully booked" });
      await runPushesUntilDone(db);
      expect(await readCalendar(server, calendarUrl)).toHaveLength(0);
    });

    it("pushes idempotently: running the push again changes nothing and never makes a second event", async () => {
      const { artist, service, calendarUrl } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(24, "10:00", TZ));
      await expect(pushBookingToCalendar(db, booking.id)).resolves.toMatchObject({ outcome: "created" });
      await expect(pushBookingToCalendar(db, booking.id)).resolves.toMatchObject({ outcome: "updated" });
      await runPushesUntilDone(db);
      expect(await readCalendar(server, calendarUrl)).toHaveLength(1);
    });
  });

  describe.skipIf(!available)("the artist's calendar → Holdfast", () => {
    it("blocks exactly the slots of the artist's own events: single, weekly with EXDATE and a moved occurrence, all-day; transparent and cancelled ones block nothing", async () => {
      const { artist, service, calendarUrl, calendar } = await artistWithCalendar(server);
      const day = localDate(30, TZ);
      const weekly = localDate(40, TZ);
      const week = (n: number) => localDate(40 + 7 * n, TZ);
      const allDay = localDate(50, TZ);
      const tz = vtimezone(TZ);
      await putArtistObject(
        server,
        calendarUrl,
        "dentist.ics",
        vcalendar(
          tz,
          vevent([`UID:dentist-${artist.id}`, "SUMMARY:Dentist", `DTSTART;TZID=${TZ}:${icsLocal(day, "10:00")}`, `DTEND;TZID=${TZ}:${icsLocal(day, "11:00")}`]),
        ),
      );
      await putArtistObject(
        server,
        calendarUrl,
        "free.ics",
        vcalendar(
          tz,
          vevent([
            `UID:free-${artist.id}`,
            "SUMMARY:Reminder",
            "TRANSP:TRANSPARENT",
            `DTSTART;TZID=${TZ}:${icsLocal(day, "13:00")}`,
            `DTEND;TZID=${TZ}:${icsLocal(day, "14:00")}`,
          ]),
        ),
      );
      await putArtistObject(
        server,
        calendarUrl,
        "called-off.ics",
        vcalendar(
          tz,
          vevent([
            `UID:off-${artist.id}`,
            "SUMMARY:Called off",
            "STATUS:CANCELLED",
            `DTSTART;TZID=${TZ}:${icsLocal(day, "15:00")}`,
            `DTEND;TZID=${TZ}:${icsLocal(day, "16:00")}`,
          ]),
        ),
      );
      await putArtistObject(
        server,
        calendarUrl,
        "yoga.ics",
        vcalendar(
          tz,
          vevent([
            `UID:yoga-${artist.id}`,
            "SUMMARY:Yoga",
            `DTSTART;TZID=${TZ}:${icsLocal(weekly, "12:00")}`,
            "DURATION:PT1H",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            `EXDATE;TZID=${TZ}:${icsLocal(week(1), "12:00")}`,
          ]),
          vevent([
            `UID:yoga-${artist.id}`,
            "SUMMARY:Yoga (moved)",
            `RECURRENCE-ID;TZID=${TZ}:${icsLocal(week(2), "12:00")}`,
            `DTSTART;TZID=${TZ}:${icsLocal(week(2), "15:00")}`,
            `DTEND;TZID=${TZ}:${icsLocal(week(2), "16:00")}`,
          ]),
        ),
      );
      await putArtistObject(
        server,
        calendarUrl,
        "holiday.ics",
        vcalendar(
          vevent([
            `UID:holiday-${artist.id}`,
            "SUMMARY:Holiday",
            `DTSTART;VALUE=DATE:${allDay.replace(/-/g, "")}`,
            `DTEND;VALUE=DATE:${localDate(51, TZ).replace(/-/g, "")}`,
          ]),
        ),
      );

      const summary = await pullCalendarChanges(db, calendar.id);
      expect(summary).toMatchObject({ status: "success", objectsChanged: 5 });

      const dayStarts = await freeStarts(db, artist, service.id, day);
      for (const t of ["09:30", "10:00", "10:30"]) expect(dayStarts).not.toContain(t);
      for (const t of ["09:00", "11:00", "12:30", "13:00", "13:30", "15:00", "15:30"]) expect(dayStarts).toContain(t);

      expect(await freeStarts(db, artist, service.id, week(0))).not.toContain("12:00");
      expect(await freeStarts(db, artist, service.id, week(1))).toContain("12:00"); // EXDATE
      const moved = await freeStarts(db, artist, service.id, week(2));
      expect(moved).toContain("12:00"); // the occurrence moved away …
      expect(moved).not.toContain("15:00"); // … to here
      expect(await freeStarts(db, artist, service.id, week(3))).not.toContain("12:00");
      expect(await freeStarts(db, artist, service.id, allDay)).toEqual([]);
      expect(await freeStarts(db, artist, service.id, localDate(51, TZ))).toContain("09:00");
    });

    it("re-reads only the changed event on the next sync and rewrites only its busy blocks", async () => {
      const { artist, calendarUrl, calendar } = await artistWithCalendar(server);
      const tz = vtimezone(TZ);
      const ics = (n: number, time: string) =>
        vcalendar(
          tz,
          vevent([
            `UID:e${n}-${artist.id}`,
            `SUMMARY:Event ${n}`,
            `DTSTART;TZID=${TZ}:${icsLocal(localDate(31 + n, TZ), time)}`,
            `DTEND;TZID=${TZ}:${icsLocal(localDate(31 + n, TZ), "17:00")}`,
          ]),
        );
      const hrefs = [];
      for (const n of [1, 2, 3]) hrefs.push(await putArtistObject(server, calendarUrl, `e${n}.ics`, ics(n, "09:00")));
      await pullCalendarChanges(db, calendar.id);
      const before = await blocksOf(db, calendar.id);
      expect(before).toHaveLength(3);

      await putArtistObject(server, calendarUrl, "e2.ics", ics(2, "14:00"));
      const summary = await pullCalendarChanges(db, calendar.id);
      expect(summary).toMatchObject({ status: "success", kind: "incremental", objectsChanged: 1, objectsDeleted: 0, blocksWritten: 1 });
      expect(summary.requests).toBe(2); // one sync-collection, one multiget

      const after = await blocksOf(db, calendar.id);
      const untouched = (rows: typeof before) => rows.filter((b) => !b.sourceHref!.endsWith("e2.ics")).map((b) => b.id);
      expect(untouched(after)).toEqual(untouched(before));
      const changed = after.find((b) => b.sourceHref!.endsWith("e2.ics"))!;
      // 14:00 on the artist's wall clock, whether that day is in winter (CET) or summer time (CEST).
      expect(changed.startsAt.toISOString()).toBe(fromZonedTime(`${localDate(33, TZ)}T14:00:00`, TZ).toISOString());

      const [beforeIdle] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
      const idle = await pullCalendarChanges(db, calendar.id);
      expect(idle).toMatchObject({ status: "success", kind: "incremental", objectsChanged: 0, blocksWritten: 0, requests: 1 });
      const runs = await db.select().from(calendarSyncRuns).where(eq(calendarSyncRuns.calendarId, calendar.id));
      // The idle pull leaves no log row (it happens every tick); last_success_at records it instead.
      expect(runs.map((r) => r.kind).sort()).toEqual(["incremental", "initial"]);
      const [afterIdle] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
      expect(afterIdle!.lastSuccessAt!.getTime()).toBeGreaterThan(beforeIdle!.lastSuccessAt!.getTime());
    });

    it("frees the slots of an event the artist deleted", async () => {
      const { artist, service, calendarUrl, calendar } = await artistWithCalendar(server);
      const day = localDate(35, TZ);
      const href = await putArtistObject(
        server,
        calendarUrl,
        "busy.ics",
        vcalendar(
          vtimezone(TZ),
          vevent([`UID:busy-${artist.id}`, "SUMMARY:Busy", `DTSTART;TZID=${TZ}:${icsLocal(day, "09:00")}`, `DTEND;TZID=${TZ}:${icsLocal(day, "17:00")}`]),
        ),
      );
      await pullCalendarChanges(db, calendar.id);
      expect(await freeStarts(db, artist, service.id, day)).toEqual([]);

      await deleteArtistObject(server, href);
      const summary = await pullCalendarChanges(db, calendar.id);
      expect(summary).toMatchObject({ status: "success", objectsDeleted: 1 });
      expect(await freeStarts(db, artist, service.id, day)).toContain("09:00");
      expect(await db.select().from(calendarObjects).where(eq(calendarObjects.calendarId, calendar.id))).toHaveLength(0);
    });

    it("extends a weekly event's busy blocks as the horizon rolls forward, without asking the server again", async () => {
      const { artist, calendarUrl, calendar } = await artistWithCalendar(server);
      const first = localDate(3, TZ);
      await putArtistObject(
        server,
        calendarUrl,
        "weekly.ics",
        vcalendar(
          vtimezone(TZ),
          vevent([`UID:weekly-${artist.id}`, "SUMMARY:Weekly", `DTSTART;TZID=${TZ}:${icsLocal(first, "09:00")}`, "DURATION:PT1H", "RRULE:FREQ=WEEKLY"]),
        ),
      );
      await pullCalendarChanges(db, calendar.id, { horizonDays: 30 });
      const near = await blocksOf(db, calendar.id);
      expect(near.length).toBeGreaterThanOrEqual(4);
      expect(near.length).toBeLessThanOrEqual(5);

      const later = await pullCalendarChanges(db, calendar.id, { horizonDays: 60 });
      expect(later).toMatchObject({ status: "success", objectsChanged: 0, requests: 1 });
      const far = await blocksOf(db, calendar.id);
      expect(far.length).toBeGreaterThanOrEqual(8);
      expect(far.at(-1)!.startsAt.getTime()).toBeGreaterThan(Date.now() + 50 * 86_400_000);
    });

    it("pulls due calendars on the minute tick and on request (webhook), and keeps the sync-run log for 90 days", async () => {
      const { artist, calendarUrl, calendar } = await artistWithCalendar(server);
      await db
        .insert(calendarSyncRuns)
        .values({ calendarId: calendar.id, kind: "incremental", status: "success", startedAt: new Date(Date.now() - 91 * 86_400_000) });
      const tick = await runScheduledTick(db, { runJobs: false });
      expect(tick.calendarsPulled).toBeGreaterThanOrEqual(1);
      expect(tick.syncRunsPruned).toBeGreaterThanOrEqual(1);
      const runs = await db.select().from(calendarSyncRuns).where(eq(calendarSyncRuns.calendarId, calendar.id));
      expect(runs.map((r) => r.kind)).toEqual(["initial"]);

      await putArtistObject(
        server,
        calendarUrl,
        "new.ics",
        vcalendar(
          vtimezone(TZ),
          vevent([`UID:new-${artist.id}`, "SUMMARY:New", `DTSTART;TZID=${TZ}:${icsLocal(localDate(37, TZ), "09:00")}`, "DURATION:PT1H"]),
        ),
      );
      expect(await requestCalendarPull(db, calendar.id)).toBe(1);
      await runPushesUntilDone(db);
      expect(await blocksOf(db, calendar.id)).toHaveLength(1);
    });

    it("never turns Holdfast's own events into busy blocks — the booking itself already blocks its slot", async () => {
      const { artist, service, calendar } = await artistWithCalendar(server);
      const start = futureSlot(36, "10:00", TZ);
      const booking = await placeRequest(db, artist.slug, service.slug, start);
      await runPushesUntilDone(db);
      await pullCalendarChanges(db, calendar.id);
      expect(await blocksOf(db, calendar.id)).toHaveLength(0);
      const [object] = await db.select().from(calendarObjects).where(eq(calendarObjects.calendarId, calendar.id));
      expect(object!.bookingId).toBe(booking.id);

      await cancelBooking(db, { bookingId: booking.id, actor: adminActor });
      await runPushesUntilDone(db);
      await pullCalendarChanges(db, calendar.id);
      expect(await freeStarts(db, artist, service.id, localDate(36, TZ))).toContain("10:00");
    });
  });

  describe.skipIf(!available)("the artist's edits of Holdfast's events", () => {
    it("opens a conflict when the artist moves a request (policy review), and `keep booking` puts the event back", async () => {
      const { artist, service, calendarUrl, calendar } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(37, "10:00", TZ));
      await runPushesUntilDone(db);
      await editArtistObject(server, calendarUrl, (ics) => ics.replace(/T100000/g, "T150000").replace(/T110000/g, "T160000"));

      await pullCalendarChanges(db, calendar.id);
      const conflicts = await db
        .select()
        .from(calendarConflicts)
        .where(and(eq(calendarConflicts.bookingId, booking.id), eq(calendarConflicts.status, "open")));
      expect(conflicts.map((c) => c.kind)).toEqual(["event_moved"]);
      const [unchanged] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(unchanged!.startsAt).toEqual(booking.startsAt);
      await pullCalendarChanges(db, calendar.id);
      expect(await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id))).toHaveLength(1); // not opened twice

      await resolveConflict(db, conflicts[0]!.id, "keep_booking", adminActor);
      await runPushesUntilDone(db);
      const [event] = await readCalendar(server, calendarUrl);
      expect(event!.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T100000/);
    });

    it("applies a confirm-and-move made in the calendar when the studio's policy is auto, recorded as done by the calendar", async () => {
      await setEditPolicy(db, "auto");
      const { artist, service, calendarUrl, calendar } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(38, "10:00", TZ));
      await runPushesUntilDone(db);
      await editArtistObject(server, calendarUrl, (ics) =>
        ics
          .replace(/SUMMARY:REQUEST: /, "SUMMARY:")
          .replace(/T100000/g, "T130000")
          .replace(/T110000/g, "T140000"),
      );

      await pullCalendarChanges(db, calendar.id);
      const [after] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(after!.status).toBe("confirmed");
      expect(after!.startsAt.getTime()).toBe(futureSlot(38, "13:00", TZ).getTime());
      const audit = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, booking.id));
      expect(audit.filter((e) => e.actorKind === "calendar" && e.newStatus === "confirmed").length).toBeGreaterThan(0);
      expect(await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id))).toHaveLength(0);

      await runPushesUntilDone(db);
      const [event] = await readCalendar(server, calendarUrl);
      expect(event!.summary).toBe(`${service.name} — Ana Example`);
      expect(event!.status).toBe("CONFIRMED");
      expect(event!.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T130000/);
    });

    it("opens a conflict when the artist deletes a request's event, and `accept calendar` rejects the request", async () => {
      const { artist, service, calendarUrl, calendar } = await artistWithCalendar(server);
      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(39, "10:00", TZ));
      await runPushesUntilDone(db);
      const [event] = await readCalendar(server, calendarUrl);
      await deleteArtistObject(server, event!.href);

      await pullCalendarChanges(db, calendar.id);
      const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id));
      expect(conflict).toMatchObject({ kind: "event_deleted", status: "open" });
      await resolveConflict(db, conflict!.id, "accept_calendar", adminActor);
      const [after] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(after!.status).toBe("rejected");
      await runPushesUntilDone(db);
      expect(await readCalendar(server, calendarUrl)).toHaveLength(0);
    });

    it("opens a conflict when the artist puts their own event over an existing booking — the admin must decide who gets the time", async () => {
      const { artist, service, calendarUrl, calendar } = await artistWithCalendar(server);
      const start = futureSlot(41, "10:00", TZ);
      const booking = await placeRequest(db, artist.slug, service.slug, start);
      await runPushesUntilDone(db);
      const day = localDate(41, TZ);
      await putArtistObject(
        server,
        calendarUrl,
        "doctor.ics",
        vcalendar(
          vtimezone(TZ),
          vevent([`UID:doctor-${artist.id}`, "SUMMARY:Doctor", `DTSTART;TZID=${TZ}:${icsLocal(day, "10:30")}`, `DTEND;TZID=${TZ}:${icsLocal(day, "11:30")}`]),
        ),
      );
      await pullCalendarChanges(db, calendar.id);
      await pullCalendarChanges(db, calendar.id);
      const conflicts = await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id));
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ kind: "event_overlaps_booking", status: "open" });
      expect(await db.select().from(busyBlocks).where(eq(busyBlocks.calendarId, calendar.id))).toHaveLength(1);
    });
  });
});
