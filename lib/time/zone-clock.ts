/**
 * The one zone clock: instant <-> wall clock in an IANA zone, read from the runtime's own tz
 * database through Intl (never the process zone, never a second copy of tzdata). Slot finding,
 * the date formatters, VTIMEZONE and the admin week all read time through here.
 *
 * Wall clocks are handled as "wall ms": the local date and time written as if it were UTC
 * (Date.UTC(y, m - 1, d, h, min, s)). Arithmetic on wall ms is free of DST; only the conversion to
 * an instant needs the zone's offsets.
 */
import { dateTimeFormat } from "./intl-cache";

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

// en-US with numeric parts is the most stable shape across ICU versions; h23 avoids the "24:00"
// some engines print for midnight with hour12: false.
const WALL_OPTIONS: Intl.DateTimeFormatOptions = {
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
};

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return dateTimeFormat("en-US", WALL_OPTIONS, timeZone);
  } catch {
    throw new RangeError(`Unknown time zone ${JSON.stringify(timeZone)}; expected an IANA zone like "America/Denver"`);
  }
}

/** True when `timeZone` is an IANA zone this runtime knows; for values that arrive from browsers. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    wallFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// What WALL_OPTIONS print in en-US: "03/29/2026, 01:59:59".
const WALL_TEXT = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

function readWallClock(formatter: Intl.DateTimeFormat, instant: number): WallClock {
  // format() and one fixed pattern take half the time of formatToParts, and slot finding reads
  // the clock a few times per day it covers. Anything else (a year before 1000, an ICU that
  // prints differently) takes the parts route.
  const text = WALL_TEXT.exec(formatter.format(instant));
  if (text) {
    return { year: Number(text[3]), month: Number(text[1]), day: Number(text[2]), hour: Number(text[4]), minute: Number(text[5]), second: Number(text[6]) };
  }
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(instant)) {
    switch (part.type) {
      case "year":
      case "month":
      case "day":
      case "hour":
      case "minute":
      case "second":
        wall[part.type] = Number(part.value);
        break;
      default:
        break;
    }
  }
  return wall;
}

/** Wall ms of a wall clock. Unlike bare Date.UTC, years 0–99 stay themselves instead of becoming 19xx. */
export function wallMsOf(wall: WallClock): number {
  const ms = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (wall.year >= 100 || wall.year < 0) return ms;
  const date = new Date(ms);
  date.setUTCFullYear(wall.year);
  return date.getTime();
}

/** UTC offset in ms (wall ms − instant) at a whole-second instant; Intl ignores milliseconds. */
function offsetAtSecond(formatter: Intl.DateTimeFormat, wholeSecond: number): number {
  return wallMsOf(readWallClock(formatter, wholeSecond)) - wholeSecond;
}

function assertValidDate(date: Date, what: string): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${what} is not a valid date`);
}

/** Numeric wall-clock fields of `date` as seen on a clock in `timeZone`. */
export function wallClockInZone(date: Date, timeZone: string): WallClock {
  assertValidDate(date, "date");
  return readWallClock(wallFormatter(timeZone), date.getTime());
}

/** UTC offset of `timeZone` at `date`, in ms (east positive). */
export function offsetInZone(date: Date, timeZone: string): number {
  assertValidDate(date, "date");
  return offsetAtSecond(wallFormatter(timeZone), Math.floor(date.getTime() / SECOND_MS) * SECOND_MS);
}

export type DayOffsets = { before: number; after: number };

/**
 * Converts between instants and wall ms in one zone. Offsets are memoised per instance, so create
 * one per computation rather than sharing it globally (the memo would otherwise grow forever).
 */
export class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  /** Throws RangeError for a zone the runtime does not know. */
  constructor(readonly timeZone: string) {
    this.formatter = wallFormatter(timeZone);
  }

  /** UTC offset in ms (local wall ms − instant) in force at `instant`. */
  offsetAt(instant: number): number {
    // Intl ignores milliseconds; aligning to whole seconds keeps the difference exact.
    const seconds = Math.floor(instant / SECOND_MS) * SECOND_MS;
    const cached = this.offsets.get(seconds);
    if (cached !== undefined) return cached;
    const offset = offsetAtSecond(this.formatter, seconds);
    this.offsets.set(seconds, offset);
    return offset;
  }

  /** Wall ms the local clock shows at `instant`. */
  wallMsAt(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The two offsets that can apply to any wall time on the local day starting at `midnightWallMs`.
   * Every instant whose wall time falls on that day (or at the next midnight) lies within ±14h of
   * it, so sampling a day before and two days after brackets them. This assumes a zone changes
   * offset at most once in that three-day span, which holds for every zone in the tz database's
   * modern era.
   */
  dayOffsets(midnightWallMs: number): DayOffsets {
    return { before: this.offsetAt(midnightWallMs - DAY_MS), after: this.offsetAt(midnightWallMs + 2 * DAY_MS) };
  }

  /**
   * Earliest instant at which the local clock shows `wallMs`, or null if that wall time is skipped
   * (spring-forward gap). On a fall-back night both readings are checked explicitly and the earlier
   * wins, whatever the process zone (date-fns-tz's fromZonedTime picks one based on it).
   * `offsets` must bracket `wallMs`: from `dayOffsets` of its local day.
   */
  earliestInstant(wallMs: number, offsets: DayOffsets): number | null {
    const viaBefore = wallMs - offsets.before;
    if (offsets.before === offsets.after) return viaBefore;
    const viaAfter = wallMs - offsets.after;
    const beforeValid = this.offsetAt(viaBefore) === offsets.before;
    const afterValid = this.offsetAt(viaAfter) === offsets.after;
    if (beforeValid && afterValid) return Math.min(viaBefore, viaAfter);
    if (beforeValid) return viaBefore;
    if (afterValid) return viaAfter;
    return null;
  }

  /**
   * First instant at which the local clock shows `wallMs` or later. For a wall time inside a
   * spring-forward gap that is the moment the clocks jump, so a range ending at 02:30 on such a
   * night ends when 02:00 becomes 03:00.
   */
  firstInstantAtOrAfter(wallMs: number, offsets: DayOffsets): number {
    const exact = this.earliestInstant(wallMs, offsets);
    if (exact !== null) return exact;
    // In a gap the clock reads before `wallMs` at one bracket and after it at the other; search
    // whole seconds between them for the jump (tz transitions happen on whole seconds).
    let low = Math.min(wallMs - offsets.before, wallMs - offsets.after) / SECOND_MS;
    let high = Math.max(wallMs - offsets.before, wallMs - offsets.after) / SECOND_MS;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      const instant = middle * SECOND_MS;
      if (instant + this.offsetAt(instant) >= wallMs) high = middle;
      else low = middle;
    }
    return high * SECOND_MS;
  }

  /**
   * The instant a person means by the wall time `wallMs`: the earlier one on a fall-back night; in
   * a spring-forward gap, the wall time read with the offset before the gap (02:30 that never
   * happened is 03:30 new time), as RFC 5545 §3.3.5 prescribes for iCalendar times.
   */
  instantOf(wallMs: number): number {
    const offsets = { before: this.offsetAt(wallMs - DAY_MS), after: this.offsetAt(wallMs + DAY_MS) };
    return this.earliestInstant(wallMs, offsets) ?? wallMs - offsets.before;
  }
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The instant of a local "yyyy-MM-dd", "yyyy-MM-ddTHH:mm" or "yyyy-MM-ddTHH:mm:ss" on a clock in
 * `timeZone` (see ZoneClock.instantOf for clock changes). Invalid Date for anything else, including
 * impossible dates like 2026-02-30, so it drops in where date-fns-tz's fromZonedTime was used.
 * Throws RangeError for an unknown zone.
 */
export function instantInZone(local: string, timeZone: string): Date {
  const clock = new ZoneClock(timeZone);
  const match = LOCAL_DATE_TIME.exec(local);
  if (!match) return new Date(Number.NaN);
  const wall: WallClock = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? 0),
    minute: Number(match[5] ?? 0),
    second: Number(match[6] ?? 0),
  };
  const wallMs = wallMsOf(wall);
  const check = new Date(wallMs);
  const real =
    check.getUTCFullYear() === wall.year &&
    check.getUTCMonth() === wall.month - 1 &&
    check.getUTCDate() === wall.day &&
    check.getUTCHours() === wall.hour &&
    check.getUTCMinutes() === wall.minute &&
    check.getUTCSeconds() === wall.second;
  return real ? new Date(clock.instantOf(wallMs)) : new Date(Number.NaN);
}
