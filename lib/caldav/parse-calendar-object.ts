/**
 * Reading iCalendar objects that come from someone else's calendar: parse defensively, and turn
 * every date-time into a UTC instant explicitly. ical.js resolves a TZID only against the
 * VTIMEZONEs of the same VCALENDAR and otherwise silently falls back to floating time, which it
 * would interpret in the process zone; here an IANA TZID is resolved with the runtime's tz
 * database, a TZID the object defines in its own VTIMEZONE with ical.js, a Windows zone name
 * without a VTIMEZONE through CLDR's windowsZones table, and floating or unknown time in the
 * artist's zone — the person whose calendar it is.
 *
 * Leniency, where the common libraries are lenient: a bare `YYYYMMDD` in a DATE-TIME property
 * (RECURRENCE-ID:20260112 without VALUE=DATE, as some clients write for all-day series) is read
 * as a DATE, and `…THHMM` without seconds as `…THHMM00`. A VEVENT that is still unreadable is
 * dropped on its own: a broken override leaves its series standing (the occurrence it would have
 * changed keeps blocking as the series says). Only when a UID has no readable main event left,
 * or the text is no iCalendar at all, is the whole object unreadable.
 */
import ICAL from "ical.js";
import { instantInZone } from "@/lib/time/zone-clock";
import { windowsZoneToIana } from "./windows-zone-to-iana";

export class MalformedCalendarObjectError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "MalformedCalendarObjectError";
  }
}

export type ParsedCalendarObject = {
  root: ICAL.Component;
  /** Every readable VEVENT (masters and RECURRENCE-ID overrides). */
  events: ICAL.Component[];
  /** UID of the first VEVENT. */
  uid: string | null;
  /** X-HOLDFAST-BOOKING-ID, when Holdfast wrote this object. */
  holdfastBookingId: string | null;
  recurring: boolean;
  /** What was repaired or dropped while reading (for the sync log; never fatal). */
  warnings: string[];
};

/** The date-valued properties of a VEVENT, decoded eagerly so a bad one surfaces here. */
const DATE_PROPERTIES = ["dtstart", "dtend", "recurrence-id", "rdate", "exdate"];

const BARE_DATE = /^(\d{4}-\d{2}-\d{2})T::$/; // ical.js's reading of "20260112" as a DATE-TIME
const NO_SECONDS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):(Z?)$/; // … of "20260112T1000"

type JCalProperty = [string, Record<string, unknown>, string, ...unknown[]];
type JCalComponent = [string, JCalProperty[], JCalComponent[]];

/** Repairs, in place, the date values real clients get slightly wrong; returns what it did. */
function repairDates(component: JCalComponent, warnings: string[]) {
  const [name, properties, children] = component;
  if (name === "vevent") {
    for (const property of properties) {
      const [propName, , type, ...values] = property;
      if (!DATE_PROPERTIES.includes(propName) || type !== "date-time" || values.length === 0) continue;
      if (values.every((v) => typeof v === "string" && BARE_DATE.test(v))) {
        property[2] = "date";
        for (let i = 3; i < property.length; i++) property[i] = BARE_DATE.exec(property[i] as string)![1];
        warnings.push(`${propName.toUpperCase()} ${values.map((v) => String(v).slice(0, 10)).join(",")} has no VALUE=DATE: read as a date`);
      } else {
        for (let i = 3; i < property.length; i++) {
          const m = typeof property[i] === "string" ? NO_SECONDS.exec(property[i] as string) : null;
          if (m) property[i] = `${m[1]}:00${m[2]}`;
        }
      }
    }
  }
  for (const child of children) repairDates(child, warnings);
}

/** Why a VEVENT cannot be read, or null when every date in it decodes. */
function unreadableReason(event: ICAL.Component): string | null {
  const start = event.getFirstProperty("dtstart");
  if (!start) return "it has no DTSTART";
  try {
    if (!(start.getFirstValue() instanceof ICAL.Time)) return "its DTSTART is not a date";
    // Decode eagerly: ical.js parses values lazily and would otherwise throw mid-expansion.
    for (const name of DATE_PROPERTIES) for (const p of event.getAllProperties(name)) p.getValues();
    event.getFirstProperty("duration")?.getFirstValue();
    for (const property of event.getAllProperties("rrule")) {
      const rule = property.getFirstValue() as ICAL.Recur;
      if (!rule.freq) return `its RRULE "${property.toICALString().slice(6, 80)}" has no FREQ`;
      // ical.js checks some parts only when it starts iterating (and then fails with a TypeError).
      rule.iterator(start.getFirstValue() as ICAL.Time).next();
    }
  } catch (err) {
    return `it has an unreadable date or rule: ${err instanceof Error ? err.message : String(err)}`;
  }
  return null;
}

const uidOf = (e: ICAL.Component) => String(e.getFirstPropertyValue("uid") ?? "");

export function parseCalendarObject(data: string): ParsedCalendarObject {
  const warnings: string[] = [];
  let root: ICAL.Component;
  try {
    const jcal = ICAL.parse(data) as unknown;
    if (!Array.isArray(jcal) || typeof jcal[0] !== "string") throw new Error("more than one top-level component");
    repairDates(jcal as JCalComponent, warnings);
    root = new ICAL.Component(jcal as JCalComponent);
  } catch (err) {
    throw new MalformedCalendarObjectError(`not valid iCalendar: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (root.name !== "vcalendar") throw new MalformedCalendarObjectError(`expected a VCALENDAR, got ${root.name.toUpperCase()}`);
  const all = root.getAllSubcomponents("vevent");
  const events: ICAL.Component[] = [];
  const droppedMasters: { uid: string; reason: string }[] = [];
  for (const event of all) {
    const reason = unreadableReason(event);
    if (!reason) {
      events.push(event);
      continue;
    }
    const isOverride = event.hasProperty("recurrence-id");
    if (isOverride) warnings.push(`dropped an override of ${uidOf(event) || "(no UID)"} because ${reason}`);
    else droppedMasters.push({ uid: uidOf(event), reason });
  }
  for (const dropped of droppedMasters) {
    const another = events.some((e) => uidOf(e) === dropped.uid && !e.hasProperty("recurrence-id"));
    if (!another) {
      const what = all.length > 1 ? `the main VEVENT of ${dropped.uid || "(no UID)"}` : "a VEVENT";
      throw new MalformedCalendarObjectError(`${what}: ${dropped.reason}`);
    }
    warnings.push(`dropped a copy of ${dropped.uid || "(no UID)"} because ${dropped.reason}`);
  }
  const uid = events.map((e) => e.getFirstPropertyValue("uid")).find((v): v is string => typeof v === "string" && v.length > 0) ?? null;
  const holdfastBookingId =
    events
      .map((e) => e.getFirstPropertyValue("x-holdfast-booking-id"))
      .find((v): v is string => typeof v === "string" && v.length > 0)
      ?.trim() ?? null;
  const recurring = events.some((e) => e.hasProperty("rrule") || e.hasProperty("rdate") || e.hasProperty("recurrence-id"));
  return { root, events, uid, holdfastBookingId, recurring, warnings };
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

/**
 * How a time was interpreted: `windows` is a Windows zone name mapped through CLDR; `fallback`
 * means it was floating or named a zone nobody knows.
 */
export type InstantResolution = "utc" | "iana" | "vtimezone" | "windows" | "fallback" | "date";

export function resolveInstant(t: ICAL.Time, ctx: InstantContext): { instant: Date; how: InstantResolution } {
  if (t.isDate) return { instant: instantInZone(`${dateOnly(t)}T00:00:00`, ctx.fallbackZone), how: "date" };
  const zoneId = t.zone?.tzid;
  if (zoneId === "UTC" || t.zone === ICAL.Timezone.utcTimezone) {
    return { instant: new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)), how: "utc" };
  }
  const tzid = ctx.tzid ?? (zoneId && zoneId !== "floating" ? zoneId : null);
  const iana = tzid ? ianaZoneFor(tzid) : null;
  if (iana) return { instant: instantInZone(wallClock(t), iana), how: "iana" };
  if (t.zone && zoneId && zoneId !== "floating") {
    // Defined only by the object's own VTIMEZONE (e.g. "W. Europe Standard Time"): ical.js applies it.
    return { instant: new Date(t.toUnixTime() * 1000), how: "vtimezone" };
  }
  const windows = tzid ? windowsZoneToIana(tzid) : null;
  if (windows) return { instant: instantInZone(wallClock(t), windows), how: "windows" };
  return { instant: instantInZone(wallClock(t), ctx.fallbackZone), how: "fallback" };
}

/** The TZID parameter of a component's first `property` (e.g. "dtstart", "rdate"). */
export function tzidOf(component: ICAL.Component, property: string): string | null {
  const value = component.getFirstProperty(property)?.getParameter("tzid");
  return typeof value === "string" && value ? value : null;
}
