/**
 * A month of an artist's availability, day by day, as the booking page's month view shows it: which
 * days have free times, and for every other day why not (closed, fully booked, too soon for the
 * notice period, beyond the booking window, or already past).
 *
 * Pure (every input, `now` included, is passed in) so the server renders the first month and the
 * browser re-summarises the same slots when the customer switches the zone they read times in,
 * and both agree. Days are calendar days in the DISPLAY zone (the customer's chosen one): a 22:00
 * Berlin start is a Tokyo morning of the next day and is counted there. The schedule itself is
 * always the artist's (`studioZone`): the reasons come from running the same slot algorithm
 * (findSlots) with nothing booked and no notice or window, so "closed" means exactly "the
 * schedule, less the artist's time off, offers no start that day", never a second copy of the
 * opening-hours rule.
 */
import { addDays, mondayOf } from "@/lib/time/calendar-dates";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { instantInZone } from "@/lib/time/zone-clock";
import { findSlots, type SlotRules, type WeeklyHours } from "./find-slots";

export type MonthDayState = "free" | "past" | "closed" | "too_soon" | "beyond_window" | "fully_booked";

export type MonthDay = {
  date: string;
  /** False for the leading and trailing days of the neighbouring months that fill the first and last week. */
  inMonth: boolean;
  state: MonthDayState;
  freeCount: number;
};

export type MonthSummary = {
  /** "yyyy-MM" */
  month: string;
  /** Monday-first weeks covering the whole month. */
  weeks: MonthDay[][];
  /** The first day of the month (on or after today) with a free time, in the display zone. */
  firstFreeDate: string | null;
};

export type SummarizeMonthInput = {
  month: string;
  /** The zone whose calendar days the customer reads (the studio's by default). */
  displayZone: string;
  /** The artist's zone: the zone the weekly hours are written in. */
  studioZone: string;
  now: Date;
  hours: WeeklyHours[];
  rules: SlotRules;
  /** Free slots as the availability loader answered them, covering at least monthAvailabilityRange(month). */
  slots: { start: string | Date }[];
  /** The artist's time off: a day it covers is closed, not fully booked. */
  timeOff?: { start: string | Date; end: string | Date }[];
};

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function isMonthString(value: unknown): value is string {
  return typeof value === "string" && MONTH_RE.test(value);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** "2026-12" -> "2027-01" (delta months later; negative goes back). */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

function lastDayOf(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/** The Monday-first calendar grid of a month: from the Monday on or before the 1st to the Sunday on or after the last day. */
export function monthGrid(month: string): { first: string; last: string } {
  if (!isMonthString(month)) throw new RangeError(`month must be yyyy-MM, got ${JSON.stringify(month)}`);
  const first = mondayOf(`${month}-01`);
  const last = addDays(mondayOf(lastDayOf(month)), 6);
  return { first, last };
}

/**
 * The artist-zone dates to ask availability for so every slot of the grid is found in any display
 * zone (a day either side covers every offset between two zones). At most 46 days: one call of
 * getAvailability / slotsFor, never one per week.
 */
export function monthAvailabilityRange(month: string): { from: string; to: string } {
  const { first, last } = monthGrid(month);
  return { from: addDays(first, -2), to: addDays(last, 2) };
}

export function summarizeMonth(input: SummarizeMonthInput): MonthSummary {
  const { month, displayZone, studioZone, now, hours, rules } = input;
  const { first, last } = monthGrid(month);
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("now is an invalid date");

  const freeByDay = new Map<string, number>();
  for (const slot of input.slots) {
    const day = localDateInZone(new Date(slot.start), displayZone);
    freeByDay.set(day, (freeByDay.get(day) ?? 0) + 1);
  }

  const today = localDateInZone(now, displayZone);
  // Only a day without free times (and not past) needs its reason, and often no day does: the
  // schedule is run just over those days (two either side for the zone shift), or not at all.
  let firstEmpty: string | null = null;
  let lastEmpty: string | null = null;
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (date < today || (freeByDay.get(date) ?? 0) > 0) continue;
    firstEmpty ??= date;
    lastEmpty = date;
  }

  // What the schedule would offer with nothing booked, no notice and no window: the "could be open" starts.
  const scheduleFrom = addDays(firstEmpty ?? first, -2);
  const scheduleTo = addDays(lastEmpty ?? first, 2);
  const opened =
    firstEmpty === null
      ? []
      : findSlots({
          timezone: studioZone,
          fromDate: scheduleFrom,
          toDate: scheduleTo,
          now: instantInZone(`${addDays(scheduleFrom, -1)}T00:00:00`, studioZone),
          hours,
          rules: { ...rules, minNoticeMinutes: 0, bookingWindowDays: 60 },
          blocked: (input.timeOff ?? []).map((t) => ({ start: new Date(t.start), end: new Date(t.end) })),
        });
  const openedByDay = new Map<string, number[]>();
  for (const slot of opened) {
    const day = localDateInZone(slot.start, displayZone);
    const list = openedByDay.get(day);
    if (list) list.push(slot.start.getTime());
    else openedByDay.set(day, [slot.start.getTime()]);
  }

  const earliest = nowMs + rules.minNoticeMinutes * MINUTE_MS;
  const latest = nowMs + rules.bookingWindowDays * DAY_MS;

  const stateOf = (date: string, freeCount: number): MonthDayState => {
    if (freeCount > 0) return "free";
    if (date < today) return "past";
    const starts = openedByDay.get(date) ?? [];
    if (starts.length === 0) return "closed";
    if (starts.some((s) => s >= earliest && s <= latest)) return "fully_booked";
    if (starts.every((s) => s > latest)) return "beyond_window";
    return "too_soon";
  };

  const weeks: MonthDay[][] = [];
  let firstFreeDate: string | null = null;
  for (let monday = first; monday <= last; monday = addDays(monday, 7)) {
    const week: MonthDay[] = [];
    for (let i = 0; i < 7; i += 1) {
      const date = addDays(monday, i);
      const inMonth = monthOf(date) === month;
      // A slot before today can only be a stale answer; it is not offered.
      const freeCount = date < today ? 0 : (freeByDay.get(date) ?? 0);
      const state = stateOf(date, freeCount);
      if (state === "free" && inMonth && firstFreeDate === null) firstFreeDate = date;
      week.push({ date, inMonth, state, freeCount });
    }
    weeks.push(week);
  }
  return { month, weeks, firstFreeDate };
}

/** The first day with a free time among slots, in the display zone (slots sorted by start or not). */
export function firstFreeDay(slots: { start: string | Date }[], displayZone: string): string | null {
  let min: number | null = null;
  for (const slot of slots) {
    const t = new Date(slot.start).getTime();
    if (min === null || t < min) min = t;
  }
  return min === null ? null : localDateInZone(new Date(min), displayZone);
}

/** The slots whose start falls on `date` in the display zone, in order. */
export function slotsOnDay<T extends { start: string | Date }>(slots: T[], date: string, displayZone: string): T[] {
  return slots
    .filter((s) => localDateInZone(new Date(s.start), displayZone) === date)
    .sort((a, b) => new Date(a.start).getTime() - new Date(b.start).getTime());
}

/** Why a day has no free time, in the customer's words. */
export function dayStateReason(state: MonthDayState, opts: { noticeText: string; windowDays: number }): string {
  switch (state) {
    case "free":
      return "Free times";
    case "past":
      return "This day has passed";
    case "closed":
      return "Closed: no appointments on this day";
    case "fully_booked":
      return "Fully booked";
    case "too_soon":
      return `Too soon: bookings need ${opts.noticeText} notice`;
    case "beyond_window":
      return `Not open for booking yet: bookings open ${opts.windowDays} days ahead`;
  }
}

/** "Closed", "Fully booked", …: the short word shown in a day's cell and in the legend. */
export const DAY_STATE_SHORT: Record<MonthDayState, string> = {
  free: "Free",
  past: "Past",
  closed: "Closed",
  fully_booked: "Fully booked",
  too_soon: "Too soon",
  beyond_window: "Not open yet",
};
