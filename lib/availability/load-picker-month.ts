import type { Executor } from "@/db/client";
import { MAX_AVAILABILITY_DAYS, slotsFor } from "@/lib/availability/get-availability";
import { isMonthString, monthAvailabilityRange, monthOf } from "@/lib/availability/summarize-month";
import { loadBookable } from "@/lib/studio/load-bookable";
import { listTimeOff } from "@/lib/studio/time-off";
import { addDays, isDateString, mondayOf } from "@/lib/time/calendar-dates";
import { localDateInZone, zoneLabel } from "@/lib/time/format-in-zone";

/** How many 62-day stretches to look through for a first free time (a busy artist can be booked out for months). */
const MAX_LOOKAHEAD_CALLS = 3;

/**
 * What the booking page's month view shows first, read on the server so the page arrives with its
 * free days and the first free day's times: the requested month (or the month of a requested
 * week), else the month of the first free time from today on. The slots cover the month's whole
 * grid plus a day either side (monthAvailabilityRange), so the browser can re-read them in any
 * zone without asking again. Usually one availability read; more only while the stretch read so
 * far has no free time at all.
 */
export async function loadPickerMonth(db: Executor, opts: { artist: string; service: string; month?: string | null; week?: string | null; now?: Date }) {
  const now = opts.now ?? new Date();
  const bookable = await loadBookable(db, opts.artist, opts.service);
  const tz = bookable.artist.timezone;
  // The artist's time off within the window, so the month view says "closed" for it, not "fully booked".
  const timeOff = listTimeOff(db, bookable.artist.id, { from: now, to: new Date(now.getTime() + (bookable.rules.bookingWindowDays + 2) * 86_400_000) });
  const today = localDateInZone(now, tz);
  const lastDay = addDays(today, bookable.rules.bookingWindowDays);
  const minMonth = monthOf(today);
  const maxMonth = monthOf(lastDay);
  const minWeek = mondayOf(today);
  const maxWeek = mondayOf(lastDay);
  const clampMonth = (m: string) => (m < minMonth ? minMonth : m > maxMonth ? maxMonth : m);
  const load = (from: string, to: string) => slotsFor(db, bookable, from, to, { now });

  const week = isDateString(opts.week) ? clampWeek(mondayOf(opts.week), minWeek, maxWeek) : null;
  const requested = week ? monthOf(week) : isMonthString(opts.month) ? clampMonth(opts.month) : null;

  let month = requested ?? minMonth;
  let range = monthAvailabilityRange(month);
  let slots: Awaited<ReturnType<typeof load>>;
  if (requested) {
    slots = await load(range.from, range.to);
  } else {
    // One read from the start of this month's grid, as far as one call may go, to find the first free time.
    let from = range.from;
    slots = [];
    for (let call = 0; call < MAX_LOOKAHEAD_CALLS && from <= lastDay; call += 1) {
      const to = addDays(from, MAX_AVAILABILITY_DAYS - 1);
      slots = await load(from, to);
      const first = slots[0];
      if (first) {
        month = monthOf(localDateInZone(first.start, tz));
        range = monthAvailabilityRange(month);
        // The read so far covers that month's grid unless the month runs past its end: then read the month once.
        if (range.from < from || range.to > to) slots = await load(range.from, range.to);
        break;
      }
      from = addDays(to, 1);
    }
    if (slots.length === 0) {
      month = minMonth;
      range = monthAvailabilityRange(month);
    }
  }
  const inRange = slots.filter((s) => {
    const d = localDateInZone(s.start, tz);
    return d >= range.from && d <= range.to;
  });
  return {
    bookable,
    zoneLabel: zoneLabel(tz, now),
    month,
    week,
    slots: inRange.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
    minMonth,
    maxMonth,
    minWeek,
    maxWeek,
    now: now.toISOString(),
    timeOff: (await timeOff).map((t) => ({ start: t.startsAt.toISOString(), end: t.endsAt.toISOString() })),
  };
}

function clampWeek(monday: string, minWeek: string, maxWeek: string) {
  return monday < minWeek ? minWeek : monday > maxWeek ? maxWeek : monday;
}

export type PickerMonth = Awaited<ReturnType<typeof loadPickerMonth>>;
