/**
 * VTIMEZONE components derived from the runtime's own tz database (via Intl), so an .ics we send
 * agrees exactly with the times we print in emails, without shipping a second copy of tzdata.
 */
import { serializeIcal, text, token, type IcalComponent } from "@/lib/ical/serialize-ical";
import { DAY_MS } from "./calendar-dates";
import { zoneAbbreviation } from "./format-in-zone";
import { offsetInZone } from "./zone-clock";

/** UTC offset of `timeZone` at `date`, in seconds (east positive). */
export function utcOffsetSeconds(date: Date, timeZone: string): number {
  return offsetInZone(date, timeZone) / 1000;
}

type Transition = { atMs: number; fromOffset: number; toOffset: number };

/** Narrows [loMs, hiMs] (offset differs at the ends) down to the first second with the new offset. */
function bisect(timeZone: string, loMs: number, hiMs: number, loOffset: number): number {
  let lo = Math.floor(loMs / 1000);
  let hi = Math.ceil(hiMs / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (utcOffsetSeconds(new Date(mid * 1000), timeZone) === loOffset) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/**
 * Offset changes in (fromMs, toMs]. Stepping a day at a time can only miss two changes that undo
 * each other within 24 hours, which no zone in current tzdata does.
 */
function transitionsBetween(timeZone: string, fromMs: number, toMs: number): Transition[] {
  const found: Transition[] = [];
  let prevMs = fromMs;
  let prevOffset = utcOffsetSeconds(new Date(prevMs), timeZone);
  while (prevMs < toMs) {
    const nextMs = Math.min(prevMs + DAY_MS, toMs);
    const nextOffset = utcOffsetSeconds(new Date(nextMs), timeZone);
    if (nextOffset !== prevOffset) {
      const atMs = bisect(timeZone, prevMs, nextMs, prevOffset);
      found.push({ atMs, fromOffset: prevOffset, toOffset: utcOffsetSeconds(new Date(atMs), timeZone) });
      // Restart from the change itself so a second change later the same day is still seen.
      prevMs = atMs;
      prevOffset = utcOffsetSeconds(new Date(atMs), timeZone);
      continue;
    }
    prevMs = nextMs;
    prevOffset = nextOffset;
  }
  return found;
}

/** "+0100", "-0600", "+053328" (seconds only when a historical offset has them). */
function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, "0");
  const ss = abs % 60;
  return `${sign}${hh}${mm}${ss ? String(ss).padStart(2, "0") : ""}`;
}

/** Floating iCalendar DATE-TIME ("20260329T020000") of a UTC instant shifted by `offsetSeconds`. */
function localStamp(atMs: number, offsetSeconds: number): string {
  const d = new Date(atMs + offsetSeconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  );
}

/**
 * Largest and smallest offset seen during the calendar year containing `atMs`. Twice-monthly
 * samples are plenty: summer time lasts months, not days.
 */
function yearOffsetRange(timeZone: string, atMs: number, extra: number[]): { min: number; max: number } {
  const year = new Date(atMs).getUTCFullYear();
  const seen = [...extra];
  for (let month = 0; month < 12; month++) {
    for (const day of [1, 16]) {
      const d = new Date(0);
      d.setUTCFullYear(year, month, day);
      seen.push(utcOffsetSeconds(d, timeZone));
    }
  }
  return { min: Math.min(...seen), max: Math.max(...seen) };
}

function observance(timeZone: string, t: Transition, dtstart: string): IcalComponent {
  const { min, max } = yearOffsetRange(timeZone, t.atMs, [t.fromOffset, t.toOffset]);
  return {
    name: t.toOffset === max && max !== min ? "DAYLIGHT" : "STANDARD",
    properties: [
      { name: "DTSTART", value: token(dtstart) },
      { name: "TZOFFSETFROM", value: token(formatOffset(t.fromOffset)) },
      { name: "TZOFFSETTO", value: token(formatOffset(t.toOffset)) },
      { name: "TZNAME", value: text(zoneAbbreviation(new Date(t.atMs), timeZone)) },
    ],
  };
}

// How far before `from` to look for the change that started the observance in force at `from`;
// a little over a year catches it for every zone that changes clocks annually.
const LOOKBACK_MS = 400 * DAY_MS;

/**
 * A VTIMEZONE for `tzid` valid for every instant in [from, to]: the observance in force at `from`
 * plus one STANDARD/DAYLIGHT per clock change up to `to`. DTSTART of each is the wall time of the
 * change on the clock before it changed (RFC 5545 §3.6.5).
 */
export function vTimezoneComponent(tzid: string, from: Date, to: Date): IcalComponent {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError("buildVTimezone: invalid date");
  if (toMs < fromMs) throw new RangeError("buildVTimezone: `to` is before `from`");
  // Throws RangeError for ids the runtime does not know, before we emit a bogus component.
  utcOffsetSeconds(from, tzid);

  const earlier = transitionsBetween(tzid, fromMs - LOOKBACK_MS, fromMs);
  const inForce = earlier.at(-1);
  const inRange = transitionsBetween(tzid, fromMs, toMs);

  const observances: IcalComponent[] = [];
  if (inForce) {
    observances.push(observance(tzid, inForce, localStamp(inForce.atMs, inForce.fromOffset)));
  } else {
    // No change within reach (Asia/Tokyo, UTC, …): the current offset from the conventional epoch,
    // or from before `from` for historical ranges, since an observance must start before it applies.
    const offset = utcOffsetSeconds(from, tzid);
    const startMs = Math.min(0, fromMs - LOOKBACK_MS);
    const dtstart = startMs === 0 ? "19700101T000000" : localStamp(startMs, offset);
    observances.push(observance(tzid, { atMs: fromMs, fromOffset: offset, toOffset: offset }, dtstart));
  }
  for (const t of inRange) observances.push(observance(tzid, t, localStamp(t.atMs, t.fromOffset)));
  return { name: "VTIMEZONE", properties: [{ name: "TZID", value: text(tzid) }], components: observances };
}

/** `vTimezoneComponent` as text: CRLF line endings, trailing CRLF. */
export function buildVTimezone(tzid: string, from: Date, to: Date): string {
  return serializeIcal(vTimezoneComponent(tzid, from, to));
}
