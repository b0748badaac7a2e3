/**
 * Reading iCalendar objects that come from someone else's calendar: parse defensively, and turn
 * every date-time into a UTC instant explicitly. ical.js resolves a TZID only against the
 * VTIMEZONEs of the same VCALENDAR and otherwise silently falls back to floating time, which it
 * would interpret in the process zone; here an IANA TZID is resolved with the runtime's tz
 * database, a VTIMEZONE-only TZID (e.g. Windows names) with ical.js, and floating or unknown
 * time in the artist's zone — the person whose calendar it is.
 */
import ICAL from "ical.js";
import { fromZonedTime } from "date-fns-tz";

export class MalformedCalendarObjectError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "MalformedCalendarObjectError";
  }
}

export type ParsedCalendarObject = {
  root: ICAL.Component;
  /** Every VEVENT (masters and RECURRENCE-ID overrides). */
  events: ICAL.Component[];
  /** UID of the first VEVENT. */
  uid: string | null;
  /** X-HOLDFAST-BOOKING-ID, when Holdfast wrote this object. */
  holdfastBookingId: string | null;
  recurring: boolean;
};

export function parseCalendarObject(data: string): ParsedCalendarObject {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(data));
  } catch (err) {
    throw new MalformedCalendarObjectError(`not valid iCalendar: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (root.name !== "vcalendar") throw new MalformedCalendarObjectError(`expected a VCALENDAR, got ${root.name.toUpperCase()}`);
  const events = root.getAllSubcomponents("vevent");
  for (const event of events) {
    const start = event.getFirstProperty("dtstart");
    if (!start) throw new MalformedCalendarObjectError("a VEVENT has no DTSTART");
    try {
      // Decode eagerly: ical.js parses values lazily and would otherwise throw mid-expansion.
      start.getFirstValue();
      event.getFirstProperty("dtend")?.getFirstValue();
      event.getFirstProperty("duration")?.getFirstValue();
      event.getFirstProperty("recurrence-id")?.getFirstValue();
      for (const rule of event.getAllProperties("rrule")) rule.getFirstValue();
    } catch (err) {
      throw new MalformedCalendarObjectError(`a VEVENT has an unreadable date: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
  const uid = events.map((e) => e.getFirstPropertyValue("uid")).find((v): v is string => typeof v === "string" && v.length > 0) ?? null;
  const holdfastBookingId =
    events.map((e) => e.getFirstPropertyValue("x-holdfast-booking-id")).find((v): v is string => typeof v === "string" && v.length > 0)?.trim() ?? null;
  const recurring = events.some((e) => e.hasProperty("rrule") || e.hasProperty("rdate") || e.hasProperty("recurrence-id"));
  return { root, events, uid, holdfastBookingId, recurring };
}

const zoneCache = new Map<string, string | null>();

/**
 * The IANA zone a TZID names, if the runtime knows it. Also accepts the prefixed forms some
 * clients write ("/freeassociation.sourceforge.net/Europe/Berlin", "/mozilla.org/20070129_1/…").
 */
export function ianaZoneFor(tzid: string): string | null {
  const cached = zoneCache.get(tzid);
  if (cached !== undefined) return cached;
  const segments = tzid.split("/").filter(Boolean);
  const candidates = [tzid, ...[3, 2, 1].map((n) => segments.slice(-n).join("/"))].filter((c, i, all) => c && all.indexOf(c) === i);
  let found: string | null = null;
  for (const candidate of candidates) {
    try {
      found = new Intl.DateTimeFormat("en-US", { timeZone: candidate }).resolvedOptions().timeZone;
      break;
    } catch {
      // not a zone the runtime knows; try the next spelling
    }
  }
  zoneCache.set(tzid, found);
  return found;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function wallClock(t: ICAL.Time): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** "2026-03-29" of a DATE value. */
export function dateOnly(t: ICAL.Time): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

export type InstantContext = {
  /** The TZID parameter of the property the time came from (ical.js drops unknown ones). */
  tzid: string | null;
  /** The artist's zone: used for all-day dates, floating time and TZIDs nobody can resolve. */
  fallbackZone: string;
};

/** How a time was interpreted; `fallback` means it was floating or named an unknown zone. */
export type InstantResolution = "utc" | "iana" | "vtimezone" | "fallback" | "date";

export function resolveInstant(t: ICAL.Time, ctx: InstantContext): { instant: Date; how: InstantResolution } {
  if (t.isDate) return { instant: fromZonedTime(`${dateOnly(t)}T00:00:00`, ctx.fallbackZone), how: "date" };
  const zoneId = t.zone?.tzid;
  if (zoneId === "UTC" || t.zone === ICAL.Timezone.utcTimezone) {
    return { instant: new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)), how: "utc" };
  }
  const tzid = ctx.tzid ?? (zoneId && zoneId !== "floating" ? zoneId : null);
  const iana = tzid ? ianaZoneFor(tzid) : null;
  if (iana) return { instant: fromZonedTime(wallClock(t), iana), how: "iana" };
  if (t.zone && zoneId && zoneId !== "floating") {
    // Defined only by the object's own VTIMEZONE (e.g. "W. Europe Standard Time"): ical.js applies it.
    return { instant: new Date(t.toUnixTime() * 1000), how: "vtimezone" };
  }
  return { instant: fromZonedTime(wallClock(t), ctx.fallbackZone), how: "fallback" };
}

export function tzidOf(component: ICAL.Component, property: "dtstart" | "dtend" | "recurrence-id"): string | null {
  const value = component.getFirstProperty(property)?.getParameter("tzid");
  return typeof value === "string" && value ? value : null;
}
