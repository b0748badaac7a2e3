/**
 * Human-readable dates for customers and studio staff. Every instant is rendered in an explicit
 * IANA zone (never the server's), and every printed time names its zone: a customer reading
 * "14:00" in an email cannot tell whose 14:00 it is. Wall clocks come from the one zone clock
 * (./zone-clock), formatters from the one Intl cache (./intl-cache).
 */
import { dateTimeFormat } from "./intl-cache";
import { wallClockInZone } from "./zone-clock";

// Re-exported so existing imports keep working; new code imports these from ./zone-clock.
export { isValidTimeZone, wallClockInZone } from "./zone-clock";

type FormatterKind = "long" | "short" | "abbrUS" | "abbrGB" | "nameGeneric" | "nameLong";

const formatterOptions: Record<FormatterKind, { locale: string; options: Intl.DateTimeFormatOptions }> = {
  long: {
    locale: "en-GB",
    options: { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  },
  short: {
    locale: "en-GB",
    options: { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  },
  // CLDR only has abbreviations where a locale's readers use them: en-US knows MST/MDT but says
  // GMT+1 for Berlin, en-GB knows CET/CEST/BST but says GMT-7 for Denver. Asking both covers the
  // zones our studios are likely to be in.
  abbrUS: { locale: "en-US", options: { timeZoneName: "short" } },
  abbrGB: { locale: "en-GB", options: { timeZoneName: "short" } },
  nameGeneric: { locale: "en-GB", options: { timeZoneName: "longGeneric" } },
  nameLong: { locale: "en-GB", options: { timeZoneName: "long" } },
};

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

function parts(kind: FormatterKind, date: Date, timeZone: string): Parts {
  const { locale, options } = formatterOptions[kind];
  const out: Parts = {};
  for (const p of dateTimeFormat(locale, options, timeZone).formatToParts(date)) out[p.type] = p.value;
  return out;
}

function assertValidDate(date: Date, what: string): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${what} is not a valid date`);
}

const GMT_OFFSET = /^(GMT|UTC)[+\-−]/;

/**
 * Short zone abbreviation in force at `date`: "CET"/"CEST", "MST"/"MDT", "BST", or an offset such as
 * "GMT+9" where no abbreviation is in common English use (so the reader still gets the exact offset).
 */
export function zoneAbbreviation(date: Date, timeZone: string): string {
  assertValidDate(date, "date");
  const us = parts("abbrUS", date, timeZone).timeZoneName ?? "";
  if (us && !GMT_OFFSET.test(us)) return us;
  const gb = parts("abbrGB", date, timeZone).timeZoneName ?? "";
  return gb || us || timeZone;
}

function looksLikeOffsetOrId(name: string, timeZone: string): boolean {
  return !name || name === timeZone || GMT_OFFSET.test(name) || name === "GMT";
}

/** English name of the zone ("Mountain Time"), or null when Intl has nothing better than an offset. */
function zoneName(timeZone: string, at: Date): string | null {
  const generic = parts("nameGeneric", at, timeZone).timeZoneName ?? "";
  if (!looksLikeOffsetOrId(generic, timeZone)) return generic;
  const long = parts("nameLong", at, timeZone).timeZoneName ?? "";
  if (!looksLikeOffsetOrId(long, timeZone)) return long;
  return null;
}

/** "Mountain Time (America/Denver)"; just the IANA id when Intl only knows an offset for it. */
export function zoneLabel(timezone: string, at: Date = new Date()): string {
  assertValidDate(at, "at");
  const name = zoneName(timezone, at);
  return name ? `${name} (${timezone})` : timezone;
}

function longDate(p: Parts): string {
  return `${p.weekday}, ${p.day} ${p.month} ${p.year}`;
}

function hhmm(p: Parts): string {
  return `${p.hour}:${p.minute}`;
}

/** "Tuesday, 3 March 2026, 14:00 CET (Europe/Berlin)". */
export function formatDateTimeInZone(date: Date, timezone: string): string {
  assertValidDate(date, "date");
  const p = parts("long", date, timezone);
  const abbr = zoneAbbreviation(date, timezone);
  const id = abbr === timezone ? "" : ` (${timezone})`;
  return `${longDate(p)}, ${hhmm(p)} ${abbr}${id}`;
}

/** "Tue 3 Mar, 14:00 CET": compact enough for an email subject, still unambiguous about the zone. */
export function formatShortDateTimeInZone(date: Date, timezone: string): string {
  assertValidDate(date, "date");
  const p = parts("short", date, timezone);
  return `${p.weekday} ${p.day} ${p.month}, ${hhmm(p)} ${zoneAbbreviation(date, timezone)}`;
}

/**
 * "Tuesday, 3 March 2026, 14:00–16:00 CET (Central European Time, Europe/Berlin)".
 * The abbreviation is what tells CET from CEST (the generic name is the same all year); when a
 * booking straddles a clock change each end gets its own abbreviation.
 */
export function formatTimeRangeInZone(start: Date, end: Date, timezone: string): string {
  assertValidDate(start, "start");
  assertValidDate(end, "end");
  if (end.getTime() < start.getTime()) throw new RangeError("end is before start");

  const s = parts("long", start, timezone);
  const e = parts("long", end, timezone);
  const startAbbr = zoneAbbreviation(start, timezone);
  const endAbbr = zoneAbbreviation(end, timezone);

  const name = zoneName(timezone, start);
  const about = [name, timezone].filter((x): x is string => !!x && x !== startAbbr && x !== endAbbr);
  const tail = about.length > 0 ? ` (${about.join(", ")})` : "";

  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  const sameAbbr = startAbbr === endAbbr;
  if (sameDay) {
    return sameAbbr ? `${longDate(s)}, ${hhmm(s)}–${hhmm(e)} ${startAbbr}${tail}` : `${longDate(s)}, ${hhmm(s)} ${startAbbr}–${hhmm(e)} ${endAbbr}${tail}`;
  }
  return sameAbbr
    ? `${longDate(s)}, ${hhmm(s)} – ${longDate(e)}, ${hhmm(e)} ${startAbbr}${tail}`
    : `${longDate(s)}, ${hhmm(s)} ${startAbbr} – ${longDate(e)}, ${hhmm(e)} ${endAbbr}${tail}`;
}

/** Calendar date ("2026-03-03") of `date` in `timezone`. */
export function localDateInZone(date: Date, timezone: string): string {
  const w = wallClockInZone(date, timezone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

const DATE_PARTS: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", year: "numeric" };

/**
 * A span of calendar dates (yyyy-MM-dd, already in the studio's zone) as a person writes it:
 * "Mon 7 – Sun 13 Dec 2026", "Mon 28 Sep – Sun 4 Oct 2026", "Mon 28 Dec 2026 – Sun 3 Jan 2027";
 * one day is "Wed 9 Dec 2026". Calendar dates have no zone of their own, so they are read as UTC.
 */
export function formatDateSpan(from: string, to: string = from): string {
  const p = (date: string): Parts => {
    const at = new Date(`${date}T00:00:00Z`);
    assertValidDate(at, date);
    const out: Parts = {};
    for (const part of dateTimeFormat("en-GB", DATE_PARTS, "UTC").formatToParts(at)) out[part.type] = part.value;
    return out;
  };
  const s = p(from);
  const e = p(to);
  const end = `${e.weekday} ${e.day} ${e.month} ${e.year}`;
  if (from === to) return end;
  if (s.year !== e.year) return `${s.weekday} ${s.day} ${s.month} ${s.year} – ${end}`;
  if (s.month !== e.month) return `${s.weekday} ${s.day} ${s.month} – ${end}`;
  return `${s.weekday} ${s.day} – ${end}`;
}
