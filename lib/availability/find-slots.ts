/**
 * Free booking slots for one artist, computed from weekly hours, booking rules and busy time.
 *
 * Pure: every input (including `now`) is passed in, so the same call always gives the same answer
 * regardless of the server's clock or process time zone.
 *
 * Wall-clock times are handled as "wall ms": the local date and time written as if it were UTC
 * (Date.UTC(y, m - 1, d, h, min, s)). That keeps grid arithmetic free of DST, and only the final step
 * turns a wall time into a real instant in the artist's zone.
 */

export type WeeklyHours = {
  effectiveFrom: string; // "yyyy-MM-dd": this row belongs to the schedule version taking effect on that date
  weekday: number; // ISO weekday 1 = Monday … 7 = Sunday
  startTime: string; // "HH:mm" or "HH:mm:ss" wall-clock time in the artist's zone
  endTime: string; // same; always > startTime (no overnight ranges)
};
export type BlockedInterval = { start: Date; end: Date }; // half-open [start, end)
export type SlotRules = {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  bookingWindowDays: number;
  slotStepMinutes: number;
};
export type FindSlotsInput = {
  timezone: string;
  fromDate: string;
  toDate: string;
  now: Date;
  hours: WeeklyHours[];
  rules: SlotRules;
  blocked: BlockedInterval[];
};
export type Slot = { start: Date; end: Date };

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_SECONDS = 86_400;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Wall ms of local midnight for a "yyyy-MM-dd" string; rejects impossible dates like 2026-02-30. */
function parseLocalDate(value: string, label: string): number {
  const match = DATE_PATTERN.exec(value);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const wallMs = Date.UTC(year, month - 1, day);
    const check = new Date(wallMs);
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return wallMs;
    }
  }
  throw new RangeError(`${label} must be a real date in the form yyyy-MM-dd, got ${JSON.stringify(value)}`);
}

function formatLocalDate(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 10);
}

/**
 * Seconds after local midnight. Postgres `time` columns may hold 24:00:00, which studios use for
 * "until midnight", so it is accepted as an end time (it resolves to the next day's 00:00).
 */
function parseTimeOfDay(value: string, label: string, allowEndOfDay: boolean): number {
  const match = TIME_PATTERN.exec(value);
  if (match) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    const seconds = match[3] === undefined ? 0 : Number(match[3]);
    if (hours <= 23 && minutes <= 59 && seconds <= 59) return hours * 3600 + minutes * 60 + seconds;
    if (allowEndOfDay && hours === 24 && minutes === 0 && seconds === 0) return DAY_SECONDS;
  }
  throw new RangeError(`${label} must be a time in the form HH:mm or HH:mm:ss, got ${JSON.stringify(value)}`);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a wall-ms midnight. */
function isoWeekday(wallMs: number): number {
  const day = new Date(wallMs).getUTCDay();
  return day === 0 ? 7 : day;
}

// Intl.DateTimeFormat construction is expensive (tens of microseconds); one per zone is enough.
const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatterCache.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        // h23 avoids the "24:00" some engines print for midnight with hour12: false.
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new RangeError(`Unknown time zone ${JSON.stringify(timeZone)}; expected an IANA zone like "America/Denver"`);
    }
    formatterCache.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Converts between instants and wall ms in one zone. Offsets are memoised per instance, so create
 * one per computation rather than sharing it globally (the memo would otherwise grow forever).
 */
class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(timeZone: string) {
    this.formatter = formatterFor(timeZone);
  }

  /** UTC offset in ms (local wall ms − instant) in force at `instant`. */
  offsetAt(instant: number): number {
    // Intl ignores milliseconds; aligning to whole seconds keeps the difference exact.
    const seconds = Math.floor(instant / SECOND_MS) * SECOND_MS;
    const cached = this.offsets.get(seconds);
    if (cached !== undefined) return cached;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.formatter.formatToParts(seconds)) {
      switch (part.type) {
        case "year":
          year = Number(part.value);
          break;
        case "month":
          month = Number(part.value);
          break;
        case "day":
          day = Number(part.value);
          break;
        case "hour":
          hour = Number(part.value);
          break;
        case "minute":
          minute = Number(part.value);
          break;
        case "second":
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    const offset = Date.UTC(year, month - 1, day, hour, minute, second) - seconds;
    this.offsets.set(seconds, offset);
    return offset;
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
   * wins, because date-fns-tz's fromZonedTime picks one based on the process zone.
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
}

type DayOffsets = { before: number; after: number };

/**
 * Answers "does [start, end) overlap any blocked interval?" in O(log n).
 * Blocked intervals are sorted by start once; a running maximum of their ends means that among all
 * intervals starting before `end`, only the one reaching furthest matters — so long busy blocks that
 * start early are never hidden behind short ones that start later.
 */
export type BlockedIndex = { overlaps(start: number, end: number): boolean };

export function indexBlocked(blocked: readonly BlockedInterval[]): BlockedIndex {
  const pairs: Array<[number, number]> = [];
  for (const interval of blocked) {
    const start = interval.start.getTime();
    const end = interval.end.getTime();
    if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError("Blocked interval has an invalid date");
    // An inverted interval is a data bug upstream; guessing what it meant could hide a double booking.
    if (end < start) {
      throw new RangeError(`Blocked interval ends before it starts: ${interval.start.toISOString()} – ${interval.end.toISOString()}`);
    }
    // Empty intervals cover no time under half-open semantics.
    if (end > start) pairs.push([start, end]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const starts = new Float64Array(pairs.length);
  const maxEndSoFar = new Float64Array(pairs.length);
  let runningMax = -Infinity;
  pairs.forEach(([start, end], i) => {
    starts[i] = start;
    runningMax = Math.max(runningMax, end);
    maxEndSoFar[i] = runningMax;
  });

  return {
    overlaps(start: number, end: number): boolean {
      if (end <= start) return false;
      // Count intervals starting strictly before `end` (touching at `end` is not an overlap).
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((starts[middle] as number) < end) low = middle + 1;
        else high = middle;
      }
      return low > 0 && (maxEndSoFar[low - 1] as number) > start;
    },
  };
}

type ParsedRow = { row: WeeklyHours; startSeconds: number; endSeconds: number };
type ScheduleVersions = { effectiveFroms: string[]; rowsByVersion: Map<string, ParsedRow[]> };

function parseHours(hours: readonly WeeklyHours[]): ScheduleVersions {
  const rowsByVersion = new Map<string, ParsedRow[]>();
  hours.forEach((row, i) => {
    const label = `hours[${i}]`;
    // Validating the format matters beyond tidiness: versions are compared as strings.
    parseLocalDate(row.effectiveFrom, `${label}.effectiveFrom`);
    if (!Number.isInteger(row.weekday) || row.weekday < 1 || row.weekday > 7) {
      throw new RangeError(`${label}.weekday must be an ISO weekday 1–7, got ${row.weekday}`);
    }
    const startSeconds = parseTimeOfDay(row.startTime, `${label}.startTime`, false);
    const endSeconds = parseTimeOfDay(row.endTime, `${label}.endTime`, true);
    if (endSeconds <= startSeconds) {
      throw new RangeError(`${label} must end after it starts, got ${row.startTime}–${row.endTime}`);
    }
    const rows = rowsByVersion.get(row.effectiveFrom);
    const parsed = { row, startSeconds, endSeconds };
    if (rows) rows.push(parsed);
    else rowsByVersion.set(row.effectiveFrom, [parsed]);
  });
  for (const rows of rowsByVersion.values()) rows.sort((a, b) => a.startSeconds - b.startSeconds);
  const effectiveFroms = [...rowsByVersion.keys()].sort().reverse();
  return { effectiveFroms, rowsByVersion };
}

function rowsInForce(versions: ScheduleVersions, date: string, weekday: number): ParsedRow[] {
  const version = versions.effectiveFroms.find((effectiveFrom) => effectiveFrom <= date);
  if (version === undefined) return [];
  return (versions.rowsByVersion.get(version) ?? []).filter((parsed) => parsed.row.weekday === weekday);
}

/** Rows of the schedule version in force on `date` for that date's weekday, ordered by start time. */
export function scheduleForDate(hours: WeeklyHours[], date: string): WeeklyHours[] {
  const midnight = parseLocalDate(date, "date");
  return rowsInForce(parseHours(hours), date, isoWeekday(midnight)).map((parsed) => parsed.row);
}

/** Every local date from `fromDate` to `toDate`, both included. */
export function localDatesBetween(fromDate: string, toDate: string): string[] {
  const first = parseLocalDate(fromDate, "fromDate");
  const last = parseLocalDate(toDate, "toDate");
  if (first > last) throw new RangeError(`fromDate ${fromDate} is after toDate ${toDate}`);
  const dates: string[] = [];
  for (let day = first; day <= last; day += DAY_MS) dates.push(formatLocalDate(day));
  return dates;
}

function validateRules(rules: SlotRules): void {
  const positive: Array<keyof SlotRules> = ["durationMinutes", "slotStepMinutes"];
  const nonNegative: Array<keyof SlotRules> = ["bufferBeforeMinutes", "bufferAfterMinutes", "minNoticeMinutes", "bookingWindowDays"];
  for (const key of positive) {
    const value = rules[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`rules.${key} must be a whole number greater than 0, got ${value}`);
    }
  }
  for (const key of nonNegative) {
    const value = rules[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`rules.${key} must be a whole number of 0 or more, got ${value}`);
    }
  }
}

/** Free slots for the local dates `fromDate`…`toDate` in `timezone`, sorted by start, one per start. */
export function findSlots(input: FindSlotsInput): Slot[] {
  const { timezone, fromDate, toDate, now, hours, rules, blocked } = input;
  const clock = new ZoneClock(timezone);
  const dates = localDatesBetween(fromDate, toDate);
  validateRules(rules);
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("now is an invalid date");
  const versions = parseHours(hours);
  const busy = indexBlocked(blocked);

  const durationMs = rules.durationMinutes * MINUTE_MS;
  const bufferBeforeMs = rules.bufferBeforeMinutes * MINUTE_MS;
  const bufferAfterMs = rules.bufferAfterMinutes * MINUTE_MS;
  const stepSeconds = rules.slotStepMinutes * 60;
  const earliestStart = nowMs + rules.minNoticeMinutes * MINUTE_MS;
  const latestStart = nowMs + rules.bookingWindowDays * DAY_MS;

  const starts: number[] = [];
  for (const date of dates) {
    const midnight = parseLocalDate(date, "date");
    // No offset exceeds a day, so once local midnight is a day past the window nothing later can fit.
    if (midnight - DAY_MS > latestStart) break;
    const rows = rowsInForce(versions, date, isoWeekday(midnight));
    if (rows.length === 0) continue;
    const offsets = clock.dayOffsets(midnight);
    for (const { startSeconds, endSeconds } of rows) {
      const rangeEnd = clock.firstInstantAtOrAfter(midnight + endSeconds * SECOND_MS, offsets);
      for (let seconds = startSeconds; seconds < endSeconds; seconds += stepSeconds) {
        const start = clock.earliestInstant(midnight + seconds * SECOND_MS, offsets);
        if (start === null) continue; // the wall time does not exist (spring-forward gap)
        if (start < earliestStart || start > latestStart) continue;
        const end = start + durationMs;
        if (end > rangeEnd) continue;
        if (busy.overlaps(start - bufferBeforeMs, end + bufferAfterMs)) continue;
        starts.push(start);
      }
    }
  }

  // Overlapping ranges on one day can propose the same start twice.
  starts.sort((a, b) => a - b);
  const slots: Slot[] = [];
  let previous = Number.NaN;
  for (const start of starts) {
    if (start === previous) continue;
    previous = start;
    slots.push({ start: new Date(start), end: new Date(start + durationMs) });
  }
  return slots;
}

/**
 * Up to `count` slots whose starts are closest to `target`, returned sorted by start. Equally close
 * slots prefer the earlier one so the suggestion list is stable between requests.
 */
export function nearestSlots(slots: Slot[], target: Date, count: number): Slot[] {
  const targetMs = target.getTime();
  if (Number.isNaN(targetMs)) throw new RangeError("target is an invalid date");
  if (!Number.isFinite(count) || count <= 0) return [];
  const ranked = slots
    .map((slot) => ({ slot, startMs: slot.start.getTime() }))
    .sort((a, b) => Math.abs(a.startMs - targetMs) - Math.abs(b.startMs - targetMs) || a.startMs - b.startMs);
  return ranked
    .slice(0, Math.floor(count))
    .sort((a, b) => a.startMs - b.startMs)
    .map((entry) => entry.slot);
}

/**
 * Would `findSlots` offer exactly `start` on its own local day? The one test of "is this a start
 * the schedule offers", shared by holds, reschedules and the outside-hours review.
 */
export function offersStart(input: Omit<FindSlotsInput, "fromDate" | "toDate">, start: Date): boolean {
  const instant = start.getTime();
  const day = formatLocalDate(instant + new ZoneClock(input.timezone).offsetAt(instant));
  return findSlots({ ...input, fromDate: day, toDate: day }).some((s) => s.start.getTime() === instant);
}
