/**
 * A VCALENDAR holding one VEVENT, strictly RFC 5545 (CRLF, lines folded at 75 octets, a VTIMEZONE
 * for the TZID) so that strict CalDAV servers and every calendar app accept it. The booking-level
 * choices (title, status, who sees what) are made in build-booking-event.ts.
 */
import { wallClockInZone } from "@/lib/time/zone-clock";
import { utcOffsetSeconds, vTimezoneComponent } from "@/lib/time/vtimezone";
import { serializeIcal, text, token, uri, type IcalComponent, type IcalProperty } from "./serialize-ical";

export type IcalEventStatus = "TENTATIVE" | "CONFIRMED" | "CANCELLED";

export type EventCalendarInput = {
  uid: string;
  sequence: number;
  summary: string;
  description: string;
  start: Date;
  end: Date;
  timezone: string;
  status: IcalEventStatus;
  location?: string;
  url?: string;
  organizerEmail?: string;
  /** Shown as the organizer's name (CN) next to organizerEmail. */
  organizerName?: string;
  attendee?: { name: string; email: string };
  /** Emitted as X-HOLDFAST-BOOKING-ID so a calendar event can be traced back to its booking (none for time off). */
  bookingId?: string;
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

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function stamp(p: { year: number; month: number; day: number; hour: number; minute: number; second: number }): string {
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}T${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

function utcStamp(instant: Date): string {
  return `${stamp({
    year: instant.getUTCFullYear(),
    month: instant.getUTCMonth() + 1,
    day: instant.getUTCDate(),
    hour: instant.getUTCHours(),
    minute: instant.getUTCMinutes(),
    second: instant.getUTCSeconds(),
  })}Z`;
}

function dateTimeProperty(name: "DTSTART" | "DTEND", instant: Date, timeZone: string): IcalProperty {
  // Only inside a repeated hour: UTC is exact and every client converts it for display.
  if (!wallClockIsUnambiguous(instant, timeZone)) return { name, value: token(utcStamp(instant)) };
  // The artist's wall clock plus an explicit TZID, resolved against the VTIMEZONE we embed (not
  // whatever zone the reader's machine happens to be in).
  return { name, params: { TZID: timeZone }, value: token(stamp(wallClockInZone(instant, timeZone))) };
}

/** A complete VCALENDAR (CRLF, folded, trailing CRLF) holding one VEVENT. */
export function buildEventCalendar(input: EventCalendarInput): string {
  const { start, end, timezone } = input;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || Number.isNaN(input.dtstamp.getTime())) {
    throw new RangeError("buildEventCalendar: invalid date");
  }
  if (end.getTime() <= start.getTime()) throw new RangeError("buildEventCalendar: end must be after start");
  if (!Number.isInteger(input.sequence) || input.sequence < 0) {
    throw new RangeError("buildEventCalendar: sequence must be a non-negative integer");
  }

  const event: IcalProperty[] = [
    { name: "UID", value: text(input.uid) },
    { name: "DTSTAMP", value: token(utcStamp(input.dtstamp)) },
    { name: "SEQUENCE", value: token(input.sequence) },
    dateTimeProperty("DTSTART", start, timezone),
    dateTimeProperty("DTEND", end, timezone),
    { name: "SUMMARY", value: text(input.summary) },
    { name: "DESCRIPTION", value: text(input.description) },
    { name: "STATUS", value: token(input.status) },
    // A confirmed session blocks the artist's time; a cancelled one must not.
    { name: "TRANSP", value: token(input.status === "CANCELLED" ? "TRANSPARENT" : "OPAQUE") },
  ];
  if (input.location) event.push({ name: "LOCATION", value: text(input.location) });
  if (input.url) event.push({ name: "URL", value: uri(input.url) });
  if (input.organizerEmail) {
    event.push({ name: "ORGANIZER", params: input.organizerName ? { CN: input.organizerName } : undefined, value: uri(`mailto:${input.organizerEmail}`) });
  }
  if (input.attendee) {
    event.push({
      name: "ATTENDEE",
      // Customers change bookings through their manage link; an iTIP reply would go nowhere.
      params: { ...(input.attendee.name ? { CN: input.attendee.name } : {}), ROLE: "REQ-PARTICIPANT", RSVP: "FALSE" },
      value: uri(`mailto:${input.attendee.email}`),
    });
  }
  if (input.bookingId) event.push({ name: "X-HOLDFAST-BOOKING-ID", value: text(input.bookingId) });

  const calendar: IcalComponent = {
    name: "VCALENDAR",
    properties: [
      { name: "PRODID", value: text(ICS_PRODID) },
      { name: "VERSION", value: token("2.0") },
      { name: "CALSCALE", value: token("GREGORIAN") },
      ...(input.method ? [{ name: "METHOD", value: token(input.method) }] : []),
    ],
    components: [
      // Throws RangeError for a zone the runtime does not know, before any text is produced.
      vTimezoneComponent(timezone, start, new Date(end.getTime() + VTIMEZONE_COVERAGE_MS)),
      { name: "VEVENT", properties: event },
    ],
  };
  return serializeIcal(calendar);
}
