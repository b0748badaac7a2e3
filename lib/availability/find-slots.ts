/**
 * Free booking slots for one artist, computed from weekly hours, booking rules and busy time.
 *
 * Pure: every input (including `now`) is passed in, so the same call always gives the same answer
 * regardless of the server's clock or process time zone.
 *
 * Wall-clock times are handled as "wall ms": the local date and time written as if it were UTC
 * (Date.UTC(y, m - 1, d, h, min, s)). That keeps grid arithmetic free of DST, and only the final step
 * turns a wall time into a real instant in the artist's zone, through the one zone clock (lib/time).
 */
import { DAY_MS } from "@/lib/time/calendar-dates";
import { ZoneClock } from "@/lib/time/zone-clock";

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
/** One room or station a service may use, with the time its other bookings (cleanup included) take. */
export type ResourceOption = { id: string; cleanupMinutes: number; blocked: BlockedInterval[] };
/** A kind of resource the service needs one of ("room"), and the resources of it the service may use. */
export type ResourceNeed = { kind: string; options: ResourceOption[] };
export type FindSlotsInput = {
  timezone: string;
  fromDate: string;
  toDate: string;
  now: Date;
  hours: WeeklyHours[];
  rules: SlotRules;
  blocked: BlockedInterval[];
  /**
   * What the service needs besides the artist: a start is offered only when, for every need, some
   * option is free for [start - bufferBefore, end + max(its cleanup, bufferAfter)). Omitted or
   * empty: the artist alone decides.
   */
  resources?: ResourceNeed[];
};
export type Slot = { start: Date; end: Date };

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
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
  const needs = (input.resources ?? []).map((need) =>
    need.options.map((option) => {
      if (!Number.isInteger(option.cleanupMinutes) || option.cleanupMinutes < 0) {
        throw new RangeError(`resource ${option.id} cleanupMinutes must be a whole number of 0 or more, got ${option.cleanupMinutes}`);
      }
      return { afterMs: Math.max(option.cleanupMinutes, rules.bufferAfterMinutes) * MINUTE_MS, index: indexBlocked(option.blocked) };
    }),
  );

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
        if (!needs.every((options) => options.some((o) => !o.index.overlaps(start - bufferBeforeMs, end + o.afterMs)))) continue;
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
  const day = formatLocalDate(new ZoneClock(input.timezone).wallMsAt(instant));
  return findSlots({ ...input, fromDate: day, toDate: day }).some((s) => s.start.getTime() === instant);
}
