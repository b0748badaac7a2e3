/** A booking as the artist sees it in their calendar, and reading their edits back. */
import { describe, expect, it } from "vitest";
import type { Booking } from "@/db/schema";
import { detectArtistEdits } from "@/lib/caldav/apply-artist-edits";
import { holdfastIdentifiers, readObservedEvent } from "@/lib/caldav/booking-event";
import { buildArtistBookingEvent } from "@/lib/ical/build-booking-event";
import { parseCalendarObject } from "@/lib/caldav/parse-calendar-object";
import { SAMPLE_BOOKING_ID, sampleBooking } from "../support/sample-booking";

const id = SAMPLE_BOOKING_ID;
const base = sampleBooking;
const event = (overrides: Partial<typeof base> = {}) =>
  buildArtistBookingEvent({
    booking: { ...base, ...overrides },
    serviceName: "Fine line",
    timezone: "Europe/Berlin",
    appUrl: "https://studio.example",
    now: new Date("2026-11-21T10:00:00Z"),
  });
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");

describe("the event Holdfast writes", () => {
  it("marks a request with the `REQUEST:` prefix and TENTATIVE, and drops both once confirmed", () => {
    const pending = event();
    expect(pending.summary).toBe("REQUEST: Fine line — Ana Example");
    expect(pending.ics).toContain("STATUS:TENTATIVE");
    const confirmed = event({ status: "confirmed", version: 3 });
    expect(confirmed.summary).toBe("Fine line — Ana Example");
    expect(confirmed.ics).toContain("STATUS:CONFIRMED");
    expect(confirmed.ics).toContain("SEQUENCE:3");
  });

  it("carries the artist's zone, the booking id, contact details, notes and the dashboard link — and no METHOD or attendees", () => {
    const ics = unfold(event().ics);
    expect(ics).toContain("DTSTART;TZID=Europe/Berlin:20261203T100000");
    expect(ics).toContain("BEGIN:VTIMEZONE");
    expect(ics).toContain(`X-HOLDFAST-BOOKING-ID:${id}`);
    expect(ics).toContain(`UID:${id}@holdfast`);
    expect(ics).toContain("ana@example.com");
    expect(ics).toContain("+49 30 1234567");
    expect(ics).toContain("Small rose\\, left wrist");
    expect(ics).toContain(`https://studio.example/admin/bookings/${id}`);
    expect(ics).not.toMatch(/^METHOD:/m);
    expect(ics).not.toMatch(/^(ATTENDEE|ORGANIZER)/m);
  });
});

describe("reading Holdfast's events back", () => {
  it("recognises its own events by UID and X-HOLDFAST-BOOKING-ID, not by title", () => {
    const parsed = parseCalendarObject(event().ics.replace(/SUMMARY:[^\r]*/, "SUMMARY:Lunch"));
    expect(holdfastIdentifiers(parsed)).toEqual({ uid: `${id}@holdfast`, bookingId: id });
  });

  it("reads the time back exactly and the artist's confirmation from STATUS or from the removed prefix", () => {
    const ics = event().ics;
    expect(readObservedEvent(parseCalendarObject(ics), "Europe/Berlin")).toMatchObject({ start: base.startsAt, end: base.endsAt, status: "TENTATIVE" });
    expect(readObservedEvent(parseCalendarObject(ics.replace("SUMMARY:REQUEST: ", "SUMMARY:")), "Europe/Berlin")!.status).toBe("CONFIRMED");
    expect(readObservedEvent(parseCalendarObject(ics.replace("STATUS:TENTATIVE", "STATUS:CONFIRMED")), "Europe/Berlin")!.status).toBe("CONFIRMED");
    expect(readObservedEvent(parseCalendarObject(ics.replace("STATUS:TENTATIVE", "STATUS:CANCELLED")), "Europe/Berlin")!.status).toBe("CANCELLED");
  });
});

describe("what counts as the artist's edit", () => {
  const booking = { ...base, artistId: "a", serviceId: "s" } as unknown as Booking;
  const pushed = { start: base.startsAt, end: base.endsAt, status: "TENTATIVE" };
  const seen = (o: Partial<{ start: Date; end: Date; status: "TENTATIVE" | "CONFIRMED" | "CANCELLED" }> = {}) => ({
    uid: base.caldavUid,
    bookingId: id,
    summary: "x",
    start: base.startsAt,
    end: base.endsAt,
    status: "TENTATIVE" as const,
    ...o,
  });

  it("sees nothing when the calendar shows what was pushed", () => {
    expect(detectArtistEdits(booking, pushed, seen())).toEqual([]);
  });

  it("does not mistake a push that has not landed yet (booking already moved) for an artist edit", () => {
    const moved = { ...booking, startsAt: new Date("2026-12-04T09:00:00Z"), endsAt: new Date("2026-12-04T11:00:00Z") } as Booking;
    expect(detectArtistEdits(moved, pushed, seen())).toEqual([]);
  });

  it("reports a move, a confirmation and a deletion", () => {
    const later = { start: new Date("2026-12-03T13:00:00Z"), end: new Date("2026-12-03T15:00:00Z") };
    expect(detectArtistEdits(booking, pushed, seen(later))).toEqual([{ kind: "event_moved", ...later }]);
    expect(detectArtistEdits(booking, pushed, seen({ status: "CONFIRMED" }))).toEqual([{ kind: "event_confirmed" }]);
    expect(detectArtistEdits(booking, pushed, null)).toEqual([{ kind: "event_deleted" }]);
    expect(detectArtistEdits(booking, pushed, seen({ status: "CANCELLED" }))).toEqual([{ kind: "event_deleted" }]);
  });

  it("ignores edits to the event of a booking that is already over", () => {
    expect(detectArtistEdits({ ...booking, status: "cancelled" } as Booking, pushed, null)).toEqual([]);
  });
});
