import type { Executor } from "@/db/client";
import { MAX_AVAILABILITY_DAYS, slotsFor } from "@/lib/availability/get-availability";
import { localDateInZone, zoneLabel } from "@/lib/time/format-in-zone";
import { loadBookable } from "@/lib/studio/load-bookable";
import { addDays, availabilityRange, isDateString, mondayOf, weekDates } from "@/lib/time/calendar-dates";

const iso = (slots: { start: Date; end: Date }[]) => slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));

/**
 * What the slot picker shows first, read on the server so the page arrives with its times: the
 * requested week, else the week of `around`, else this week — or, when that has no free time at
 * all, the first week that does (a customer should not land on an empty week and give up).
 */
export async function loadPickerWeek(
  db: Executor,
  opts: { artist: string; service: string; week?: string | null; around?: string | null; excludeBookingId?: string },
) {
  const bookable = await loadBookable(db, opts.artist, opts.service);
  const tz = bookable.artist.timezone;
  const today = localDateInZone(new Date(), tz);
  const lastDay = addDays(today, bookable.rules.bookingWindowDays);
  const minWeek = mondayOf(today);
  const maxWeek = mondayOf(lastDay);
  const clamp = (monday: string) => (monday < minWeek ? minWeek : monday > maxWeek ? maxWeek : monday);

  const load = async (monday: string) => {
    const { from, to } = availabilityRange(monday);
    return slotsFor(db, bookable, from, to, { excludeBookingId: opts.excludeBookingId });
  };
  const inWeek = (monday: string, slots: { start: Date }[]) => {
    const dates = new Set(weekDates(monday));
    return slots.some((s) => dates.has(localDateInZone(s.start, tz)));
  };

  const explicit = isDateString(opts.week) ? clamp(mondayOf(opts.week)) : null;
  let week = explicit ?? clamp(mondayOf(isDateString(opts.around) ? opts.around : today));
  let slots = await load(week);
  if (!explicit && !inWeek(week, slots)) {
    const ahead = await slotsFor(db, bookable, week, addDays(week, MAX_AVAILABILITY_DAYS - 1), { excludeBookingId: opts.excludeBookingId });
    const first = ahead[0];
    if (first) {
      const firstWeek = mondayOf(localDateInZone(first.start, tz));
      if (firstWeek !== week) {
        week = firstWeek;
        slots = await load(week);
      }
    }
  }
  return { bookable, zoneLabel: zoneLabel(tz), week, slots: iso(slots), minWeek, maxWeek };
}

export type PickerWeek = Awaited<ReturnType<typeof loadPickerWeek>>;
