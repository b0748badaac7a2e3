/**
 * Display formatting for the booking pages (browser and server alike). Every time a customer sees
 * is formatted in an explicit zone; which zone is the caller's decision. Prices: formatPrice
 * (lib/studio/format-price).
 */
import { dateTimeFormat } from "@/lib/time/intl-cache";

function fmt(options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  return dateTimeFormat("en-GB", options, timeZone);
}

const CLOCK: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const LONG_DAY: Intl.DateTimeFormatOptions = { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" };
const SHORT_DAY: Intl.DateTimeFormatOptions = { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" };
const FULL_DATE: Intl.DateTimeFormatOptions = { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" };
const DAY_MONTH: Intl.DateTimeFormatOptions = { timeZone: "UTC", day: "numeric", month: "long" };
const MONTH_YEAR: Intl.DateTimeFormatOptions = { timeZone: "UTC", month: "long", year: "numeric" };
const WEEKDAY_LONG: Intl.DateTimeFormatOptions = { timeZone: "UTC", weekday: "long" };
const MONTH_LONG: Intl.DateTimeFormatOptions = { timeZone: "UTC", month: "long" };
const DAY_TIME: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

/** "14:30" on a clock in `timeZone`. */
export function clockTime(iso: string, timeZone: string): string {
  return fmt(CLOCK, timeZone).format(new Date(iso));
}

/** "Tuesday 15 December" for a calendar date. */
export function longDay(date: string): string {
  return fmt(LONG_DAY).format(new Date(`${date}T12:00:00Z`));
}

/** "Tue 15 Dec" for a calendar date. */
export function shortDay(date: string): string {
  return fmt(SHORT_DAY).format(new Date(`${date}T12:00:00Z`));
}

/** "December 2026" for a "yyyy-MM" month. */
export function monthLabel(month: string): string {
  return fmt(MONTH_YEAR).format(new Date(`${month}-15T12:00:00Z`));
}

/** "Wednesday" and "December" for a calendar date, for the month grid's spoken day names. */
export function weekdayName(date: string): string {
  return fmt(WEEKDAY_LONG).format(new Date(`${date}T12:00:00Z`));
}
export function monthName(date: string): string {
  return fmt(MONTH_LONG).format(new Date(`${date}T12:00:00Z`));
}

/** "14 – 20 December 2026" (or "28 December 2026 – 3 January 2027") for the week starting `monday`. */
export function weekLabel(monday: string, sunday: string): string {
  const full = fmt(FULL_DATE);
  const a = new Date(`${monday}T12:00:00Z`);
  const b = new Date(`${sunday}T12:00:00Z`);
  if (monday.slice(0, 7) === sunday.slice(0, 7)) return `${a.getUTCDate()} – ${full.format(b)}`;
  if (monday.slice(0, 4) === sunday.slice(0, 4)) {
    return `${fmt(DAY_MONTH).format(a)} – ${full.format(b)}`;
  }
  return `${full.format(a)} – ${full.format(b)}`;
}

/** "Tue 15 Dec, 14:30" in `timeZone`, for alternatives and summaries. */
export function dayAndTime(iso: string, timeZone: string): string {
  return fmt(DAY_TIME, timeZone).format(new Date(iso));
}

export function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** "9:05" for a countdown. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
