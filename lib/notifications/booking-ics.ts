/**
 * The .ics for a booking: attached to customer emails now, PUT to the artist's Nextcloud over
 * CalDAV later, so it must be strictly RFC 5545 (CRLF, folded lines, a VTIMEZONE for every TZID).
 */
import ICAL from "ical.js";
import { wallClockInZone } from "@/lib/time/format-in-zone";
import { buildVTimezone, utcOffsetSeconds } from "@/lib/time/vtimezone";

export type BookingIcsInput = {
  uid: string;
  sequence: number;
  summary: string;
  description: string;
  start: Date;
  end: Date;
  timezone: string;
  status: "TENTATIVE" | "CONFIRMED" | "CANCELLED";
  location?: string;
  url?: string;
  organizerEmail?: string;
  attendee?: { name: string; email: string };
  /** Emitted as X-HOLDFAST-BOOKING-ID so a calendar event can be traced back to its booking. */
  bookingId: string;
  method?: "PUBLISH" | "REQUEST" | "CANCEL";
  /** Passed in rather than read from the clock so the output is reproducible. */
  dtstamp: Date;
};

export const ICS_PRODID = "-//Holdfast//Bookings//EN";

// Calendar apps may keep using the embedded VTIMEZONE when someone drags the event to another
// day, so it covers a year past the booking rather than just the booking itself.
const VTIMEZONE_COVERAGE_MS = 366 * 86_400_000;

/**
 * Whether the wall-clock reading of `instant` in `timeZone` names only that instant. In the
 * repeated hour after clocks go back a local time happens twice, and readers disagree about which
 * one is meant (RFC 5545 says the first; ical.js picks the second), so either way someone would
 * see the booking an hour off.
 */
function wallClockIsUnambiguous(instant: Date, timeZone: string): boolean {
  const own = utcOffsetSeconds(instant, timeZone);
  const nearby = new Set([
    utcOffsetSeconds(new Date(instant.getTime() - 86_400_000), timeZone),
    utcOffsetSeconds(new Date(instant.getTime() + 86_400_000), timeZone),
  ]);
  const wallMs = instant.getTime() + own * 1000;
  for (const offset of nearby) {
    if (offset === own) continue;
    const other = wallMs - offset * 1000;
    if (utcOffsetSeconds(new Date(other), timeZone) === offset) return false;
  }
  return true;
}

function dateTimeProperty(name: "dtstart" | "dtend", instant: Date, timeZone: string): ICAL.Property {
  const prop = new ICAL.Property(name);
  if (!wallClockIsUnambiguous(instant, timeZone)) {
    // Only inside a repeated hour: UTC is exact and every client converts it for display.
    prop.setValue(ICAL.Time.fromJSDate(instant, true));
    return prop;
  }
  const w = wallClockInZone(instant, timeZone);
  // Floating time plus an explicit TZID: the value is the artist's wall clock, resolved against
  // the VTIMEZONE we embed (not whatever zone the reader's machine happens to be in).
  prop.setValue(
    ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, isDate: false }),
  );
  prop.setParameter("tzid", timeZone);
  return prop;
}

/** RFC 5545 TEXT escaping, for properties ical.js has no design entry for. */
function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** A complete VCALENDAR (CRLF, folded, trailing CRLF) holding the booking as one VEVENT. */
export function buildBookingIcs(input: BookingIcsInput): string {
  const { start, end, timezone } = input;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || Number.isNaN(input.dtstamp.getTime())) {
    throw new RangeError("buildBookingIcs: invalid date");
  }
  if (end.getTime() <= start.getTime()) throw new RangeError("buildBookingIcs: end must be after start");
  if (!Number.isInteger(input.sequence) || input.sequence < 0) {
    throw new RangeError("buildBookingIcs: sequence must be a non-negative integer");
  }

  const vtimezone = new ICAL.Component(
    ICAL.parse(buildVTimezone(timezone, start, new Date(end.getTime() + VTIMEZONE_COVERAGE_MS))),
  );

  const calendar = new ICAL.Component("vcalendar");
  calendar.addPropertyWithValue("prodid", ICS_PRODID);
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  if (input.method) calendar.addPropertyWithValue("method", input.method);
  calendar.addSubcomponent(vtimezone);

  const event = new ICAL.Component("vevent");
  event.addPropertyWithValue("uid", input.uid);
  event.addPropertyWithValue("dtstamp", ICAL.Time.fromJSDate(input.dtstamp, true));
  event.addPropertyWithValue("sequence", input.sequence);
  event.addProperty(dateTimeProperty("dtstart", start, timezone));
  event.addProperty(dateTimeProperty("dtend", end, timezone));
  event.addPropertyWithValue("summary", input.summary);
  event.addPropertyWithValue("description", input.description);
  event.addPropertyWithValue("status", input.status);
  // A confirmed session blocks the artist's time; a cancelled one must not.
  event.addPropertyWithValue("transp", input.status === "CANCELLED" ? "TRANSPARENT" : "OPAQUE");
  if (input.location) event.addPropertyWithValue("location", input.location);
  if (input.url) event.addPropertyWithValue("url", input.url);
  if (input.organizerEmail) event.addPropertyWithValue("organizer", `mailto:${input.organizerEmail}`);
  if (input.attendee) {
    const attendee = event.addPropertyWithValue("attendee", `mailto:${input.attendee.email}`);
    if (input.attendee.name) attendee.setParameter("cn", input.attendee.name);
    attendee.setParameter("role", "REQ-PARTICIPANT");
    // Customers change bookings through their manage link; an iTIP reply would go nowhere.
    attendee.setParameter("rsvp", "FALSE");
  }
  // ical.js writes X- values verbatim (it has no type for them), so escape here; forcing the TEXT
  // type instead would add a redundant VALUE=TEXT parameter to every event.
  event.addPropertyWithValue("x-holdfast-booking-id", escapeText(input.bookingId));
  calendar.addSubcomponent(event);

  return serialize(calendar);
}

/**
 * ical.js folds after 75 octets of content and then adds the leading space, so continuation lines
 * come out at 76 octets; RFC 5545 §3.1 counts the space. Folding one octet earlier keeps every
 * line within 75. foldLength is module-global, hence the synchronous set-and-restore.
 */
function serialize(calendar: ICAL.Component): string {
  const previous = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    // ical.js joins content lines with CRLF but leaves off the terminator after the last one.
    return calendar.toString() + "\r\n";
  } finally {
    ICAL.foldLength = previous;
  }
}
