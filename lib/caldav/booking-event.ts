/**
 * A booking as an event in the artist's calendar, and back. Holdfast's own events are recognised
 * by UID or X-HOLDFAST-BOOKING-ID only — never by title, which the artist is free to edit.
 */
import ICAL from "ical.js";
import type { Booking } from "@/db/schema";
import { buildBookingIcs } from "@/lib/notifications/booking-ics";
import { resolveInstant, tzidOf, type ParsedCalendarObject } from "./parse-calendar-object";

export const REQUEST_PREFIX = "REQUEST:";

/** What the calendar shows for a booking: TENTATIVE while it waits for approval. */
export type EventStatus = "TENTATIVE" | "CONFIRMED";

/** The statuses that have an event in the artist's calendar; every other status has none. */
export function bookingShowsInCalendar(status: Booking["status"]): boolean {
  return status === "pending" || status === "confirmed" || status === "completed";
}

export function eventStatusFor(status: Booking["status"]): EventStatus {
  return status === "pending" ? "TENTATIVE" : "CONFIRMED";
}

export function bookingEventSummary(status: Booking["status"], serviceName: string, customerName: string | null): string {
  const title = `${serviceName} — ${customerName?.trim() || "customer"}`;
  return status === "pending" ? `${REQUEST_PREFIX} ${title}` : title;
}

export function adminBookingUrl(appUrl: string, bookingId: string): string {
  return `${appUrl.replace(/\/$/, "")}/admin/bookings/${bookingId}`;
}

export type BookingEventInput = {
  booking: Pick<Booking, "id" | "status" | "startsAt" | "endsAt" | "version" | "caldavUid" | "customerName" | "customerEmail" | "customerPhone" | "notes">;
  serviceName: string;
  /** The artist's zone: the event carries it as TZID with a matching VTIMEZONE. */
  timezone: string;
  appUrl: string;
  now?: Date;
};

function bookingDescription(input: BookingEventInput): string {
  const { booking } = input;
  const lines = [
    booking.status === "pending" ? "Booking request — waiting for approval in Holdfast." : "Confirmed booking.",
    "",
    `Customer: ${booking.customerName ?? "—"}`,
    `Email: ${booking.customerEmail ?? "—"}`,
  ];
  if (booking.customerPhone) lines.push(`Phone: ${booking.customerPhone}`);
  if (booking.notes?.trim()) lines.push("", "Notes:", booking.notes.trim());
  lines.push("", `Open in Holdfast: ${adminBookingUrl(input.appUrl, booking.id)}`);
  return lines.join("\n");
}

/**
 * The VCALENDAR to PUT for a booking's current state. No METHOD (a CalDAV resource is not an
 * iTIP message) and no ORGANIZER/ATTENDEE (the server would e-mail the customer invitations).
 * SEQUENCE follows the booking's version, which rises with every meaningful change.
 */
export function buildBookingEvent(input: BookingEventInput): { ics: string; summary: string; status: EventStatus } {
  const { booking } = input;
  const status = eventStatusFor(booking.status);
  const summary = bookingEventSummary(booking.status, input.serviceName, booking.customerName);
  const ics = buildBookingIcs({
    uid: booking.caldavUid,
    sequence: booking.version,
    summary,
    description: bookingDescription(input),
    start: booking.startsAt,
    end: booking.endsAt,
    timezone: input.timezone,
    status,
    url: adminBookingUrl(input.appUrl, booking.id),
    bookingId: booking.id,
    dtstamp: input.now ?? new Date(),
  });
  return { ics, summary, status };
}

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
