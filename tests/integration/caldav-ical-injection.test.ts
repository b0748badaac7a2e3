/**
 * iCalendar injection through customer text, against real Radicale and Xandikos. The hostile
 * names and notes are written straight into the booking row, past input validation, to prove that
 * the output side alone holds. If this fails, a customer's "name" adds ATTENDEE/ORGANIZER lines
 * (Nextcloud would send invitations) or an RRULE (the booking repeats daily in the artist's
 * calendar), or the server refuses the PUT and the booking never reaches the calendar at all.
 */
import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { bookings } from "@/db/schema";
import { approveBooking } from "@/lib/bookings/transitions";
import { pushBookingToCalendar } from "@/lib/caldav/push-booking";
import { adminActor, artistWithLinkedCalendar, placeRequest, setupCalDavTestDatabase } from "../support/caldav-fixtures";
import { CALDAV_SERVER_KINDS, readCalendar, type CalDavServerKind } from "../support/caldav-servers";
import { futureSlot } from "../support/test-db";
import { setupCalDavServer } from "../support/setup-caldav-server";

const TZ = "Europe/Berlin";
const INJECTION = "X\rATTENDEE:mailto:x@example.com\rORGANIZER:mailto:x@example.com\rRRULE:FREQ=DAILY";

/**
 * Hostile text (NUL is left out: Postgres cannot store it, so it can only arrive through input,
 * which refuses it — tests/unit/customer-text-schema.test.ts) and what the calendar must show:
 * `line` in one-line places (title, contact lines), `text` in the notes.
 */
const corpus: Array<{ name: string; input: string; line: string; text: string }> = [
  { name: "bare CR", input: "Dave\rX-INJECTED:1", line: "Dave X-INJECTED:1", text: "Dave\nX-INJECTED:1" },
  { name: "CR injection of ATTENDEE, ORGANIZER and RRULE", input: INJECTION, line: INJECTION.replace(/\r/g, " "), text: INJECTION.replace(/\r/g, "\n") },
  {
    name: "CRLF (the PUT used to be refused)",
    input: "hi\r\nX-INJECTED:1\r\nRRULE:FREQ=DAILY",
    line: "hi X-INJECTED:1 RRULE:FREQ=DAILY",
    text: "hi\nX-INJECTED:1\nRRULE:FREQ=DAILY",
  },
  {
    name: "CRLF ending the event",
    input: "hi\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nDTSTART:20300101T000000Z",
    line: "hi END:VEVENT BEGIN:VEVENT UID:evil DTSTART:20300101T000000Z",
    text: "hi\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nDTSTART:20300101T000000Z",
  },
  { name: "bare LF", input: "Dave\nX-INJECTED:1", line: "Dave X-INJECTED:1", text: "Dave\nX-INJECTED:1" },
  { name: "other controls", input: "Da\u0007ve\u001b[31m\u007f\u009b\u0085X-INJECTED:1", line: "Dave[31m X-INJECTED:1", text: "Dave[31m\nX-INJECTED:1" },
  {
    name: "semicolon, comma, backslash, colon",
    input: "a;b,c\\d:e\\nf\\;RRULE:FREQ=DAILY",
    line: "a;b,c\\d:e\\nf\\;RRULE:FREQ=DAILY",
    text: "a;b,c\\d:e\\nf\\;RRULE:FREQ=DAILY",
  },
  { name: "line and paragraph separators", input: "one\u2028RRULE:FREQ=DAILY\u2029two", line: "one RRULE:FREQ=DAILY two", text: "one\nRRULE:FREQ=DAILY\ntwo" },
  {
    name: "emoji with ZWJ sequences, RTL text and bidi marks",
    input: "👩‍👩‍👧‍👦 🏳️‍🌈 \u202Eمرحبا\u200F שלום\u202C",
    line: "👩‍👩‍👧‍👦 🏳️‍🌈 \u202Eمرحبا\u200F שלום\u202C",
    text: "👩‍👩‍👧‍👦 🏳️‍🌈 \u202Eمرحبا\u200F שלום\u202C",
  },
  {
    name: "10,000 characters",
    input: `${"Grüße 🎨; ".repeat(999)}\r${INJECTION}`,
    line: `${"Grüße 🎨; ".repeat(999)} ${INJECTION.replace(/\r/g, " ")}`,
    text: `${"Grüße 🎨; ".repeat(999)}\n${INJECTION.replace(/\r/g, "\n")}`,
  },
];

const EVENT_PROPERTIES = ["uid", "dtstamp", "sequence", "dtstart", "dtend", "summary", "description", "status", "transp", "url", "x-holdfast-booking-id"];

const { db, linked } = setupCalDavTestDatabase();

/** The event as the server now holds it: parsed with ical.js, and its property names as a reader that splits on any CR or LF sees them. */
function readBack(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent");
  const lines: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (/^[ \t]/.test(raw) && lines.length) lines[lines.length - 1] += raw.slice(1);
    else lines.push(raw);
  }
  const names = lines.map((l) => l.match(/^[A-Za-z0-9-]*/)![0].toUpperCase());
  return { calendar, events, names };
}

/**
 * Xandikos parses what it is given and writes it out again, and its parser (python icalendar)
 * reads an escaped backslash followed by `n`, `;` or `,` as that escape (`\\n` comes back as a
 * line break): the text it stores differs from what was sent, though no property is added.
 * Radicale stores the text exactly. So on Xandikos a text holding a backslash is compared with
 * backslash sequences and whitespace left out.
 */
function expectText(kind: CalDavServerKind, actual: string, expected: string) {
  if (kind === "xandikos" && expected.includes("\\")) {
    const loose = (s: string) => s.replace(/\\n/g, "").replace(/[\\\s]/g, "");
    expect(loose(actual)).toBe(loose(expected));
  } else {
    expect(actual).toBe(expected);
  }
}

describe.each(CALDAV_SERVER_KINDS)("with %s", (kind) => {
  const { available, server } = setupCalDavServer(kind);

  describe.skipIf(!available)("a booking whose customer text is hostile", () => {
    it.each(corpus.map((c, i) => ({ ...c, i })))(
      "reaches the artist's calendar with exactly Holdfast's properties: $name",
      async ({ input, line, text, i }) => {
        const { artist, service, calendarUrl } = await artistWithLinkedCalendar(db, { server, linked, timezone: TZ });
        const placed = await placeRequest(db, artist.slug, service.slug, futureSlot(30 + i, "10:00", TZ));
        // Past validation, as if the text had arrived by any other road (an import, an old row).
        await db.update(bookings).set({ customerName: input, customerEmail: input, customerPhone: input, notes: input }).where(eq(bookings.id, placed.id));

        expect((await pushBookingToCalendar(db, placed.id)).outcome).toBe("created");
        const pending = await readCalendar(server, calendarUrl);
        expect(pending).toHaveLength(1);
        const { calendar: parsed, events, names } = readBack(pending[0]!.text);
        expect(events).toHaveLength(1);
        const vevent = events[0]!;
        expect(
          vevent
            .getAllProperties()
            .map((p) => p.name)
            .sort(),
        ).toEqual([...EVENT_PROPERTIES].sort());
        expect(vevent.getAllSubcomponents()).toHaveLength(0);
        expect(
          parsed
            .getAllSubcomponents()
            .map((c) => c.name)
            .sort(),
        ).toEqual(["vevent", "vtimezone"]);
        for (const injected of ["ATTENDEE", "ORGANIZER", "RRULE", "X-INJECTED", "RDATE", "EXDATE"]) expect(names).not.toContain(injected);
        // VCALENDAR, VTIMEZONE and its observances, VEVENT: no component of the customer's making.
        const observances = parsed.getFirstSubcomponent("vtimezone")!.getAllSubcomponents().length;
        expect(names.filter((n) => n === "BEGIN")).toHaveLength(3 + observances);
        expectText(kind, String(vevent.getFirstPropertyValue("summary")), `REQUEST: ${service.name} — ${line}`);
        const description = String(vevent.getFirstPropertyValue("description"));
        const contact = description.slice(description.indexOf("\nCustomer: "), description.indexOf("\nOpen in Holdfast: "));
        expectText(kind, contact, `\nCustomer: ${line}\nEmail: ${line}\nPhone: ${line}\n\nNotes:\n${text}\n`);
        expect(vevent.getFirstPropertyValue("x-holdfast-booking-id")).toBe(placed.id);
        expect(new ICAL.Event(vevent).isRecurring()).toBe(false);
        expect(new ICAL.Event(vevent).startDate.toJSDate()).toEqual(placed.startsAt);

        // The update path (If-Match) carries the same text just as safely.
        const [row] = await db.select().from(bookings).where(eq(bookings.id, placed.id));
        await approveBooking(db, { bookingId: placed.id, version: row!.version, actor: adminActor });
        expect((await pushBookingToCalendar(db, placed.id)).outcome).toBe("updated");
        const confirmed = await readCalendar(server, calendarUrl);
        expect(confirmed).toHaveLength(1);
        const after = readBack(confirmed[0]!.text);
        expect(after.events).toHaveLength(1);
        expect(
          after.events[0]!.getAllProperties()
            .map((p) => p.name)
            .sort(),
        ).toEqual([...EVENT_PROPERTIES].sort());
        for (const injected of ["ATTENDEE", "ORGANIZER", "RRULE", "X-INJECTED"]) expect(after.names).not.toContain(injected);
        expectText(kind, String(after.events[0]!.getFirstPropertyValue("summary")), `${service.name} — ${line}`);
        expect(after.events[0]!.getFirstPropertyValue("status")).toBe("CONFIRMED");
      },
    );
  });
});
