import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { buildEventCalendar, type EventCalendarInput } from "@/lib/ical/build-event-calendar";
import { buildVTimezone } from "@/lib/time/vtimezone";

function input(overrides: Partial<EventCalendarInput> = {}): EventCalendarInput {
  return {
    uid: "8f0c2a4e-booking@holdfast",
    sequence: 3,
    summary: "Fine-line tattoo — Holdfast Studio",
    description: "Fine-line tattoo with Mara.\nManage your booking: https://book.example/b/tok",
    start: new Date("2026-07-14T12:00:00Z"),
    end: new Date("2026-07-14T14:00:00Z"),
    timezone: "Europe/Berlin",
    status: "CONFIRMED",
    bookingId: "0b7f6c1e-5a2d-4e4b-9d7e-3c1f2a9b8e10",
    method: "PUBLISH",
    dtstamp: new Date("2026-07-01T09:30:15.250Z"),
    ...overrides,
  };
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent("vevent");
  const vtimezone = calendar.getFirstSubcomponent("vtimezone");
  if (!vevent || !vtimezone) throw new Error("missing VEVENT or VTIMEZONE");
  return { calendar, vevent, vtimezone, event: new ICAL.Event(vevent) };
}

/** Resolves DTSTART/DTEND explicitly against the embedded VTIMEZONE, the way a calendar client would. */
function instantsViaEmbeddedZone(ics: string): { start: string; end: string } {
  const { vevent, vtimezone } = parse(ics);
  const zone = new ICAL.Timezone(vtimezone);
  const resolve = (name: "dtstart" | "dtend") => {
    const prop = vevent.getFirstProperty(name);
    const value = prop?.getFirstValue();
    if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time`);
    if (value.zone === ICAL.Timezone.utcTimezone) return value.toJSDate().toISOString();
    expect(prop?.getParameter("tzid")).toBe(zone.tzid);
    const local = ICAL.Time.fromData(
      { year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second, isDate: false },
      zone,
    );
    return local.toJSDate().toISOString();
  };
  return { start: resolve("dtstart"), end: resolve("dtend") };
}

describe("buildEventCalendar round-trips to the exact booked instants", () => {
  const cases: Array<{ name: string; timezone: string; start: string; end: string; localStart: string }> = [
    {
      name: "Berlin summer (CEST)",
      timezone: "Europe/Berlin",
      start: "2026-07-14T12:00:00.000Z",
      end: "2026-07-14T14:00:00.000Z",
      localStart: "20260714T140000",
    },
    {
      name: "Berlin winter (CET)",
      timezone: "Europe/Berlin",
      start: "2026-01-13T13:00:00.000Z",
      end: "2026-01-13T15:00:00.000Z",
      localStart: "20260113T140000",
    },
    {
      name: "Berlin, first hour after clocks go forward",
      timezone: "Europe/Berlin",
      start: "2026-03-29T01:00:00.000Z",
      end: "2026-03-29T03:00:00.000Z",
      localStart: "20260329T030000",
    },
    {
      name: "Berlin, session spanning the spring-forward night",
      timezone: "Europe/Berlin",
      start: "2026-03-28T23:30:00.000Z",
      end: "2026-03-29T01:30:00.000Z",
      localStart: "20260329T003000",
    },
    {
      name: "Berlin, morning after clocks go back",
      timezone: "Europe/Berlin",
      start: "2026-10-25T09:00:00.000Z",
      end: "2026-10-25T11:00:00.000Z",
      localStart: "20261025T100000",
    },
    {
      name: "Denver summer (MDT)",
      timezone: "America/Denver",
      start: "2026-07-14T20:00:00.000Z",
      end: "2026-07-14T22:00:00.000Z",
      localStart: "20260714T140000",
    },
    {
      name: "Denver winter (MST)",
      timezone: "America/Denver",
      start: "2026-01-13T21:00:00.000Z",
      end: "2026-01-13T23:00:00.000Z",
      localStart: "20260113T140000",
    },
    {
      name: "Denver, first hour after clocks go forward",
      timezone: "America/Denver",
      start: "2026-03-08T09:00:00.000Z",
      end: "2026-03-08T11:00:00.000Z",
      localStart: "20260308T030000",
    },
    {
      name: "Denver, day after clocks go back",
      timezone: "America/Denver",
      start: "2026-11-02T16:00:00.000Z",
      end: "2026-11-02T18:00:00.000Z",
      localStart: "20261102T090000",
    },
    {
      name: "Tokyo (no DST at all)",
      timezone: "Asia/Tokyo",
      start: "2026-07-14T05:00:00.000Z",
      end: "2026-07-14T07:00:00.000Z",
      localStart: "20260714T140000",
    },
  ];

  for (const c of cases) {
    it(`puts the event at the booked time in the customer's calendar: ${c.name}`, () => {
      const ics = buildEventCalendar(input({ timezone: c.timezone, start: new Date(c.start), end: new Date(c.end) }));
      expect(ics).toContain(`\r\nDTSTART;TZID=${c.timezone}:${c.localStart}\r\n`);
      expect(instantsViaEmbeddedZone(ics)).toEqual({ start: c.start, end: c.end });
      // ical.js also resolves the TZID through the calendar's own VTIMEZONE when reading the event.
      const { event } = parse(ics);
      expect(event.startDate.zone?.tzid).toBe(c.timezone);
      expect(event.startDate.toJSDate().toISOString()).toBe(c.start);
      expect(event.endDate.toJSDate().toISOString()).toBe(c.end);
    });
  }

  // 02:30 happens twice in Berlin on 25 Oct 2026 (00:30Z and 01:30Z); "02:30 Europe/Berlin" is read
  // as the first by RFC 5545 and as the second by ical.js, so either session would shift an hour.
  it("keeps a session at the first of the two 02:30s of the October change at its real time", () => {
    const ics = buildEventCalendar(input({ start: new Date("2026-10-25T00:30:00Z"), end: new Date("2026-10-25T03:00:00Z") }));
    expect(ics).toContain("\r\nDTSTART:20261025T003000Z\r\n");
    expect(ics).toContain("\r\nDTEND;TZID=Europe/Berlin:20261025T040000\r\n");
    expect(instantsViaEmbeddedZone(ics)).toEqual({ start: "2026-10-25T00:30:00.000Z", end: "2026-10-25T03:00:00.000Z" });
  });

  it("keeps a session at the second, repeated 02:30 of the October change at its real time", () => {
    const ics = buildEventCalendar(input({ start: new Date("2026-10-25T01:30:00Z"), end: new Date("2026-10-25T03:00:00Z") }));
    expect(ics).toContain("\r\nDTSTART:20261025T013000Z\r\n");
    expect(ics).toContain("\r\nDTEND;TZID=Europe/Berlin:20261025T040000\r\n");
    expect(instantsViaEmbeddedZone(ics)).toEqual({ start: "2026-10-25T01:30:00.000Z", end: "2026-10-25T03:00:00.000Z" });
  });

  it("does the same for Denver's repeated 01:30 in November", () => {
    const ics = buildEventCalendar(input({ timezone: "America/Denver", start: new Date("2026-11-01T08:30:00Z"), end: new Date("2026-11-01T10:00:00Z") }));
    expect(ics).toContain("\r\nDTSTART:20261101T083000Z\r\n");
    expect(instantsViaEmbeddedZone(ics)).toEqual({ start: "2026-11-01T08:30:00.000Z", end: "2026-11-01T10:00:00.000Z" });
  });
});

describe("buildEventCalendar content", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it("carries the fields a calendar needs to update rather than duplicate the event", () => {
    const ics = buildEventCalendar(input());
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    for (const line of [
      "PRODID:-//Holdfast//Bookings//EN",
      "VERSION:2.0",
      "METHOD:PUBLISH",
      "UID:8f0c2a4e-booking@holdfast",
      "SEQUENCE:3",
      "STATUS:CONFIRMED",
      "DTSTAMP:20260701T093015Z",
      "DTSTART;TZID=Europe/Berlin:20260714T140000",
      "DTEND;TZID=Europe/Berlin:20260714T160000",
      "X-HOLDFAST-BOOKING-ID:0b7f6c1e-5a2d-4e4b-9d7e-3c1f2a9b8e10",
    ]) {
      expect(ics).toContain(`\r\n${line}\r\n`);
    }
    const { event, vevent } = parse(ics);
    expect(event.uid).toBe("8f0c2a4e-booking@holdfast");
    expect(event.sequence).toBe(3);
    expect(vevent.getFirstPropertyValue("x-holdfast-booking-id")).toBe("0b7f6c1e-5a2d-4e4b-9d7e-3c1f2a9b8e10");
  });

  it("omits METHOD when none is given and marks a cancellation as CANCELLED", () => {
    const ics = buildEventCalendar(input({ method: undefined, status: "CANCELLED" }));
    expect(ics).not.toContain("METHOD:");
    expect(ics).toContain("\r\nSTATUS:CANCELLED\r\n");
    expect(buildEventCalendar(input({ method: "CANCEL", status: "CANCELLED" }))).toContain("\r\nMETHOD:CANCEL\r\n");
  });

  it("uses CRLF line endings and folds long lines so strict CalDAV servers accept it", () => {
    const ics = buildEventCalendar(
      input({ description: `Bring your reference sketch, ${"please drink water and eat beforehand ".repeat(4)}— Grüße, Mara 🎨` }),
    );
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = ics.split("\r\n");
    expect(lines.at(-1)).toBe("");
    for (const line of lines) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    expect(parse(ics).event.description).toBe(`Bring your reference sketch, ${"please drink water and eat beforehand ".repeat(4)}— Grüße, Mara 🎨`);
  });

  it("escapes commas, semicolons and newlines so the summary and contacts survive the round trip", () => {
    const ics = buildEventCalendar(
      input({
        summary: "Cover-up; large, colour",
        location: "Hinterhof 3, 10999 Berlin",
        url: "https://book.example/b/tok",
        organizerEmail: "studio@holdfast.example",
        attendee: { name: "O'Neil, Ann", email: "ann@example.com" },
      }),
    );
    expect(ics).toContain("\r\nSUMMARY:Cover-up\\; large\\, colour\r\n");
    const { event, vevent } = parse(ics);
    expect(event.summary).toBe("Cover-up; large, colour");
    expect(event.location).toBe("Hinterhof 3, 10999 Berlin");
    expect(vevent.getFirstPropertyValue("url")).toBe("https://book.example/b/tok");
    expect(vevent.getFirstPropertyValue("organizer")).toBe("mailto:studio@holdfast.example");
    const attendee = vevent.getFirstProperty("attendee");
    expect(attendee?.getFirstValue()).toBe("mailto:ann@example.com");
    expect(attendee?.getParameter("cn")).toBe("O'Neil, Ann");
  });

  it("produces byte-identical output whatever zone the server runs in", () => {
    process.env.TZ = "UTC";
    const inUtc = buildEventCalendar(input());
    process.env.TZ = "Asia/Kolkata";
    expect(new Date("2026-07-14T12:00:00Z").getHours()).toBe(17);
    expect(buildEventCalendar(input())).toBe(inUtc);
  });

  it("refuses a booking that ends before it starts instead of emitting a broken event", () => {
    expect(() => buildEventCalendar(input({ end: new Date("2026-07-14T11:00:00Z") }))).toThrow(RangeError);
  });
});

describe("buildVTimezone", () => {
  const observances = (text: string) => {
    const vtz = new ICAL.Component(ICAL.parse(text));
    return vtz.getAllSubcomponents().map((c) => ({
      kind: c.name,
      dtstart: String(c.getFirstProperty("dtstart")?.toICALString()),
      from: String(c.getFirstProperty("tzoffsetfrom")?.toICALString()),
      to: String(c.getFirstProperty("tzoffsetto")?.toICALString()),
      name: c.getFirstPropertyValue("tzname"),
    }));
  };

  it("gives Berlin +0100 in winter and +0200 in summer, switching at the right local times", () => {
    const text = buildVTimezone("Europe/Berlin", new Date("2026-01-13T13:00:00Z"), new Date("2026-12-01T00:00:00Z"));
    expect(text.startsWith("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n")).toBe(true);
    expect(text.endsWith("END:VTIMEZONE\r\n")).toBe(true);
    expect(observances(text)).toEqual([
      { kind: "standard", dtstart: "DTSTART:20251026T030000", from: "TZOFFSETFROM:+0200", to: "TZOFFSETTO:+0100", name: "CET" },
      { kind: "daylight", dtstart: "DTSTART:20260329T020000", from: "TZOFFSETFROM:+0100", to: "TZOFFSETTO:+0200", name: "CEST" },
      { kind: "standard", dtstart: "DTSTART:20261025T030000", from: "TZOFFSETFROM:+0200", to: "TZOFFSETTO:+0100", name: "CET" },
    ]);
  });

  it("gives Denver -0700 in winter and -0600 in summer", () => {
    const text = buildVTimezone("America/Denver", new Date("2026-07-14T20:00:00Z"), new Date("2027-04-01T00:00:00Z"));
    expect(observances(text)).toEqual([
      { kind: "daylight", dtstart: "DTSTART:20260308T020000", from: "TZOFFSETFROM:-0700", to: "TZOFFSETTO:-0600", name: "MDT" },
      { kind: "standard", dtstart: "DTSTART:20261101T020000", from: "TZOFFSETFROM:-0600", to: "TZOFFSETTO:-0700", name: "MST" },
      { kind: "daylight", dtstart: "DTSTART:20270314T020000", from: "TZOFFSETFROM:-0700", to: "TZOFFSETTO:-0600", name: "MDT" },
    ]);
  });

  it("describes a zone without DST (Tokyo) with a single +0900 STANDARD from 1970", () => {
    const text = buildVTimezone("Asia/Tokyo", new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"));
    expect(text).toBe(
      [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Tokyo",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0900",
        "TZOFFSETTO:+0900",
        "TZNAME:GMT+9",
        "END:STANDARD",
        "END:VTIMEZONE",
        "",
      ].join("\r\n"),
    );
  });

  it("handles a southern-hemisphere zone, where summer time starts in October", () => {
    const text = buildVTimezone("Australia/Sydney", new Date("2026-07-01T00:00:00Z"), new Date("2026-12-01T00:00:00Z"));
    expect(observances(text)).toEqual([
      { kind: "standard", dtstart: "DTSTART:20260405T030000", from: "TZOFFSETFROM:+1100", to: "TZOFFSETTO:+1000", name: "GMT+10" },
      { kind: "daylight", dtstart: "DTSTART:20261004T020000", from: "TZOFFSETFROM:+1000", to: "TZOFFSETTO:+1100", name: "GMT+11" },
    ]);
  });

  it("rejects an unknown zone id rather than emitting a wrong definition", () => {
    expect(() => buildVTimezone("Europe/Atlantis", new Date(), new Date())).toThrow(RangeError);
  });
});
