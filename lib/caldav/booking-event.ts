/**
 * Reading a booking's event back from the artist's calendar. Holdfast's own events are recognised
 * by UID or X-HOLDFAST-BOOKING-ID only — never by title, which the artist is free to edit.
 */
import ICAL from "ical.js";
import { REQUEST_PREFIX } from "@/lib/ical/build-booking-event";
import { resolveInstant, tzidOf, type ParsedCalendarObject } from "./parse-calendar-object";

// Writing the event lives in lib/ical with every other iCalendar Holdfast produces.
export { bookingShowsInCalendar, REQUEST_PREFIX } from "@/lib/ical/build-booking-event";

/** What the calendar shows for a booking: TENTATIVE while it waits for approval. */
export type EventStatus = "TENTATIVE" | "CONFIRMED";

/** What a calendar currently shows for one of Holdfast's events. */
export type ObservedEvent = {
  uid: string | null;
  bookingId: string | null;
  summary: string;
  start: Date;
  end: Date;
  /** CANCELLED if the artist cancelled it; CONFIRMED if they set STATUS:CONFIRMED or removed the prefix. */
  status: EventStatus | "CANCELLED";
};

/** Reads the (first non-override) VEVENT of an object Holdfast wrote; null if it has none. */
export function readObservedEvent(parsed: ParsedCalendarObject, fallbackZone: string): ObservedEvent | null {
  const event = parsed.events.find((e) => !e.hasProperty("recurrence-id")) ?? parsed.events[0];
  if (!event) return null;
  const dtstart = event.getFirstPropertyValue("dtstart");
  if (!(dtstart instanceof ICAL.Time)) return null;
  const start = resolveInstant(dtstart, { tzid: tzidOf(event, "dtstart"), fallbackZone }).instant;
  const dtend = event.getFirstPropertyValue("dtend");
  const duration = event.getFirstPropertyValue("duration");
  const end =
    dtend instanceof ICAL.Time
      ? resolveInstant(dtend, { tzid: tzidOf(event, "dtend") ?? tzidOf(event, "dtstart"), fallbackZone }).instant
      : new Date(start.getTime() + (duration instanceof ICAL.Duration ? duration.toSeconds() : 0) * 1000);
  const summary = String(event.getFirstPropertyValue("summary") ?? "");
  const rawStatus = String(event.getFirstPropertyValue("status") ?? "").toUpperCase();
  const status: ObservedEvent["status"] =
    rawStatus === "CANCELLED" ? "CANCELLED" : rawStatus === "CONFIRMED" || !summary.trim().toUpperCase().startsWith(REQUEST_PREFIX) ? "CONFIRMED" : "TENTATIVE";
  return { uid: parsed.uid, bookingId: parsed.holdfastBookingId, summary, start, end, status };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identifiers to look up to decide whether an object is one of Holdfast's bookings. */
export function holdfastIdentifiers(parsed: ParsedCalendarObject): { uid: string | null; bookingId: string | null } {
  const bookingId = parsed.holdfastBookingId && UUID_RE.test(parsed.holdfastBookingId) ? parsed.holdfastBookingId.toLowerCase() : null;
  return { uid: parsed.uid, bookingId };
}

/** A file name that any server keeps verbatim (no percent-encoding surprises in hrefs). */
export function objectFileName(uid: string): string {
  return `${uid.replace(/[^A-Za-z0-9._-]/g, "_")}.ics`;
}
