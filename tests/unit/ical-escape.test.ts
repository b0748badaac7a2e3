/**
 * Hostile text in every iCalendar object Holdfast writes. If these fail, a customer's name or
 * notes can add lines of their own to the artist's calendar event (a daily RRULE, an ATTENDEE that
 * makes Nextcloud send invitations) or make the CalDAV server refuse the event altogether.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { Booking } from "@/db/schema";
import { buildArtistBookingEvent, buildCustomerBookingEvent } from "@/lib/ical/build-booking-event";
import { buildEventCalendar, type EventCalendarInput } from "@/lib/ical/build-event-calendar";
import { escapeText, foldContentLine } from "@/lib/ical/escape-text";
import { SAMPLE_BOOKING_ID, sampleBooking } from "../support/sample-booking";

const INJECTION = "X\rATTENDEE:mailto:x@example.com\rRRULE:FREQ=DAILY";

/**
 * Each hostile string with what a calendar must read back: `text` where line breaks are allowed
 * (descriptions), `line` where they are not (titles: every break becomes a space).
 */
const corpus: Array<{ name: string; input: string; text: string; line: string }> = [
  { name: "bare CR", input: "Dave\rX-INJECTED:1", text: "Dave\nX-INJECTED:1", line: "Dave X-INJECTED:1" },
  { name: "bare LF", input: "Dave\nX-INJECTED:1", text: "Dave\nX-INJECTED:1", line: "Dave X-INJECTED:1" },
  { name: "CRLF", input: "Dave\r\nX-INJECTED:1", text: "Dave\nX-INJECTED:1", line: "Dave X-INJECTED:1" },
  { name: "CRLF plus a space (a forged continuation)", input: "Dave\r\n X-INJECTED:1", text: "Dave\n X-INJECTED:1", line: "Dave  X-INJECTED:1" },
  {
    name: "CR injection of ATTENDEE and RRULE",
    input: INJECTION,
    text: "X\nATTENDEE:mailto:x@example.com\nRRULE:FREQ=DAILY",
    line: "X ATTENDEE:mailto:x@example.com RRULE:FREQ=DAILY",
  },
  {
    name: "CRLF injection ending the event",
    input: "hi\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil",
    text: "hi\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil",
    line: "hi END:VEVENT BEGIN:VEVENT UID:evil",
  },
  { name: "NUL and other C0 controls", input: "Da\u0000ve\u0007\u001b[31m\u000b\u000c", text: "Dave[31m", line: "Dave[31m" },
  {
    name: "DEL and C1 controls, NEL as a line break",
    input: "a\u007fb\u009bc\u0085ORGANIZER:mailto:x@example.com",
    text: "abc\nORGANIZER:mailto:x@example.com",
    line: "abc ORGANIZER:mailto:x@example.com",
  },
  { name: "tab is kept", input: "a\tb", text: "a\tb", line: "a\tb" },
  { name: "semicolon, comma, backslash, colon", input: "a;b,c\\d:e\\nf\\;", text: "a;b,c\\d:e\\nf\\;", line: "a;b,c\\d:e\\nf\\;" },
  { name: "line and paragraph separators", input: "one\u2028RRULE:FREQ=DAILY\u2029two", text: "one\nRRULE:FREQ=DAILY\ntwo", line: "one RRULE:FREQ=DAILY two" },
  { name: "emoji with ZWJ sequences and flags", input: "👩‍👩‍👧‍👦 🏳️‍🌈 🇩🇪 🎨", text: "👩‍👩‍👧‍👦 🏳️‍🌈 🇩🇪 🎨", line: "👩‍👩‍👧‍👦 🏳️‍🌈 🇩🇪 🎨" },
  { name: "RTL text and bidi marks", input: "\u202Eمرحبا\u200F שלום\u202C", text: "\u202Eمرحبا\u200F שלום\u202C", line: "\u202Eمرحبا\u200F שלום\u202C" },
  { name: "a lone surrogate", input: "a\ud800b", text: "a\uFFFDb", line: "a\uFFFDb" },
  {
    name: "10,000 characters with breaks and multi-octet text",
    input: `${"Grüße 🎨; ".repeat(1000)}\r${"x".repeat(1000)}`,
    text: `${"Grüße 🎨; ".repeat(1000)}\n${"x".repeat(1000)}`,
    line: `${"Grüße 🎨; ".repeat(1000)} ${"x".repeat(1000)}`,
  },
];

function parseCalendar(ics: string) {
  return new ICAL.Component(ICAL.parse(ics));
}

/** Every physical line of the object: CRLF-terminated, at most 75 octets, valid UTF-8 on its own. */
function expectWellFormedLines(ics: string) {
  expect(ics.endsWith("\r\n")).toBe(true);
  expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n\u2028\u2029\u0000]/);
  const bytes = Buffer.from(ics, "utf8");
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] !== 0x0d || bytes[i + 1] !== 0x0a) continue;
    const line = bytes.subarray(start, i);
    expect(line.length).toBeLessThanOrEqual(75);
    // A fold inside a multi-octet character would leave half of it on each line.
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(line)).not.toThrow();
    start = i + 2;
  }
}

/**
 * The VEVENT's property names as a lenient reader sees them: Radicale (vobject) and many others
 * also end a line at a bare CR or LF, which ical.js does not, so ical.js alone would miss the
 * injection that reached the artist's calendar.
 */
function eventNamesSplittingOnAnyBreak(ics: string): string[] {
  const lines: string[] = [];
  for (const raw of ics.split(/\r\n|\r|\n/)) {
    if (/^[ \t]/.test(raw) && lines.length) lines[lines.length - 1] += raw.slice(1);
    else lines.push(raw);
  }
  const event = lines.slice(lines.indexOf("BEGIN:VEVENT") + 1, lines.indexOf("END:VEVENT"));
  return event.map((l) => l.match(/^[A-Za-z0-9-]*/)![0].toLowerCase());
}

/** The names of the properties as a reader sees them, top level and in each subcomponent. */
function shape(calendar: ICAL.Component) {
  return {
    calendar: calendar.getAllProperties().map((p) => p.name),
    components: calendar.getAllSubcomponents().map((c) => c.name),
    event: calendar
      .getFirstSubcomponent("vevent")!
      .getAllProperties()
      .map((p) => p.name),
    eventChildren: calendar.getFirstSubcomponent("vevent")!.getAllSubcomponents().length,
  };
}

const bookingId = SAMPLE_BOOKING_ID;
const booking = { ...sampleBooking, notes: "Small rose" };
const now = new Date("2026-11-21T10:00:00Z");
const artistEventProperties = ["uid", "dtstamp", "sequence", "dtstart", "dtend", "summary", "description", "status", "transp", "url", "x-holdfast-booking-id"];

describe("escapeText", () => {
  it("escapes TEXT specials and writes every kind of line break as \\n, so a value never ends its line", () => {
    expect(escapeText("a\\b;c,d")).toBe("a\\\\b\\;c\\,d");
    expect(escapeText("a\rb\nc\r\nd\u2028e\u2029f\u0085g")).toBe("a\\nb\\nc\\nd\\ne\\nf\\ng");
    expect(escapeText("a\u0000b\u001bc\u007fd\u009fe")).toBe("abcde");
    expect(escapeText(INJECTION)).toBe("X\\nATTENDEE:mailto:x@example.com\\nRRULE:FREQ=DAILY");
  });

  it("folds at 75 octets between characters, never inside one", () => {
    const folded = foldContentLine(`DESCRIPTION:${"é🎨".repeat(40)}`);
    expectWellFormedLines(folded);
    expect(folded.replace(/\r\n /g, "")).toBe(`DESCRIPTION:${"é🎨".repeat(40)}\r\n`);
  });
});

describe.each(corpus)("hostile text ($name)", ({ input, text, line }) => {
  it("in the customer's name, email, phone and notes: the artist's event keeps exactly Holdfast's properties, and the text comes back as written", () => {
    const { ics, summary } = buildArtistBookingEvent({
      booking: { ...booking, customerName: input, customerEmail: input, customerPhone: input, notes: input },
      serviceName: "Fine line",
      timezone: "Europe/Berlin",
      appUrl: "https://studio.example",
      now,
    });
    expectWellFormedLines(ics);
    const calendar = parseCalendar(ics);
    expect(shape(calendar)).toEqual({
      calendar: ["prodid", "version", "calscale"],
      components: ["vtimezone", "vevent"],
      event: artistEventProperties,
      eventChildren: 0,
    });
    expect(eventNamesSplittingOnAnyBreak(ics)).toEqual(artistEventProperties);
    const vevent = calendar.getFirstSubcomponent("vevent")!;
    const shownName = line.trim() || "customer";
    expect(summary).toBe(`REQUEST: Fine line — ${shownName}`);
    expect(vevent.getFirstPropertyValue("summary")).toBe(summary);
    const description = String(vevent.getFirstPropertyValue("description"));
    expect(description).toContain(`\nCustomer: ${line.trim() || "—"}\nEmail: ${line.trim() || "—"}\n`);
    if (text.trim()) expect(description).toContain(`\nNotes:\n${text.trim()}\n`);
    expect(vevent.getFirstPropertyValue("uid")).toBe(booking.caldavUid);
    expect(vevent.getFirstPropertyValue("x-holdfast-booking-id")).toBe(bookingId);
    expect(new ICAL.Event(vevent).isRecurring()).toBe(false);
  });

  it("in the service and studio names: the customer's email attachment / download keeps exactly its properties", () => {
    const ics = buildCustomerBookingEvent({
      booking: { ...booking, status: "confirmed" },
      serviceName: input,
      artistName: input,
      studioName: input,
      timezone: "Europe/Berlin",
      manageUrl: `https://studio.example/bookings/${bookingId}?token=t`,
      now,
    });
    expectWellFormedLines(ics);
    const calendar = parseCalendar(ics);
    expect(shape(calendar)).toEqual({
      calendar: ["prodid", "version", "calscale", "method"],
      components: ["vtimezone", "vevent"],
      event: artistEventProperties,
      eventChildren: 0,
    });
    expect(eventNamesSplittingOnAnyBreak(ics)).toEqual(artistEventProperties);
    const vevent = calendar.getFirstSubcomponent("vevent")!;
    expect(vevent.getFirstPropertyValue("summary")).toBe(`${line} — ${line}`);
    expect(vevent.getFirstPropertyValue("description")).toBe(
      `${text} with ${text}.\nManage your booking: https://studio.example/bookings/${bookingId}?token=t`,
    );
  });

  it("in every TEXT property and the attendee's name of a generic event: each round-trips normalised, nothing is added", () => {
    const input_: EventCalendarInput = {
      uid: `${bookingId}@holdfast`,
      sequence: 1,
      summary: input,
      description: input,
      location: input,
      start: booking.startsAt,
      end: booking.endsAt,
      timezone: "Europe/Berlin",
      status: "CONFIRMED",
      url: `https://studio.example/x?q=${input}`,
      attendee: { name: input, email: "ann@example.com" },
      bookingId,
      dtstamp: now,
    };
    const ics = buildEventCalendar(input_);
    expectWellFormedLines(ics);
    const calendar = parseCalendar(ics);
    const vevent = calendar.getFirstSubcomponent("vevent")!;
    const expected = [
      "uid",
      "dtstamp",
      "sequence",
      "dtstart",
      "dtend",
      "summary",
      "description",
      "status",
      "transp",
      "location",
      "url",
      "attendee",
      "x-holdfast-booking-id",
    ];
    expect(vevent.getAllProperties().map((p) => p.name)).toEqual(expected);
    expect(eventNamesSplittingOnAnyBreak(ics)).toEqual(expected);
    expect(vevent.getFirstPropertyValue("summary")).toBe(text);
    expect(vevent.getFirstPropertyValue("description")).toBe(text);
    expect(vevent.getFirstPropertyValue("location")).toBe(text);
    const attendee = vevent.getFirstProperty("attendee")!;
    expect(attendee.getFirstValue()).toBe("mailto:ann@example.com");
    expect(Object.keys(attendee.toJSON()[1] as object).sort()).toEqual(["cn", "role", "rsvp"]);
    // A parameter cannot hold DQUOTE, and readers disagree about backslashes in one.
    expect(attendee.getParameter("cn")).toBe(line.replace(/"/g, "'").replace(/\\/g, "/"));
    // The URL stays one line and one address: anything unsafe is percent-encoded, never escaped.
    expect(String(vevent.getFirstPropertyValue("url"))).toMatch(/^https:\/\/studio\.example\/x\?q=[\x21-\x7e]*$/);
  });
});

describe("one booking status → calendar mapping for the artist's and the customer's event", () => {
  const customer = (status: Booking["status"]) =>
    parseCalendar(
      buildCustomerBookingEvent({
        booking: { ...booking, status },
        serviceName: "Fine line",
        artistName: "Mara",
        studioName: "Holdfast Studio",
        timezone: "Europe/Berlin",
        manageUrl: "https://studio.example/m",
        now,
      }),
    ).getFirstSubcomponent("vevent")!;

  it("shows a request as tentative to both, and the customer's copy says it waits for the studio (the email and the download used to differ)", () => {
    expect(buildArtistBookingEvent({ booking, serviceName: "Fine line", timezone: "Europe/Berlin", appUrl: "https://studio.example", now }).status).toBe(
      "TENTATIVE",
    );
    const pending = customer("pending");
    expect(pending.getFirstPropertyValue("status")).toBe("TENTATIVE");
    expect(pending.getFirstPropertyValue("summary")).toBe("Requested: Fine line — Holdfast Studio");
    expect(pending.getFirstPropertyValue("description")).toBe(
      "Fine line with Mara.\nWaiting for the studio to confirm.\nManage your booking: https://studio.example/m",
    );
  });

  it("confirms completed bookings and frees the time of cancelled and rejected ones in the customer's calendar", () => {
    expect(customer("completed").getFirstPropertyValue("status")).toBe("CONFIRMED");
    for (const status of ["cancelled", "rejected"] as const) {
      expect(customer(status).getFirstPropertyValue("status")).toBe("CANCELLED");
      expect(customer(status).getFirstPropertyValue("transp")).toBe("TRANSPARENT");
    }
  });

  it("never builds an artist's event for a booking that has none", () => {
    expect(() =>
      buildArtistBookingEvent({
        booking: { ...booking, status: "cancelled" },
        serviceName: "Fine line",
        timezone: "Europe/Berlin",
        appUrl: "https://studio.example",
        now,
      }),
    ).toThrow();
  });
});
