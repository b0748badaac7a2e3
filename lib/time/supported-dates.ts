/**
 * The calendar range Holdfast works in. JavaScript dates reach year ±275760 and Postgres'
 * timestamptz 4713 BC – 294276 AD, but neither has a year 0000 that both agree on, date-fns-tz
 * gives Invalid Date for some far years, and `toISOString()` writes years past 9999 as
 * `+010000-…`, which Postgres cannot read. A booking studio never needs anything outside these
 * years, so a date or time beyond them is bad input (400), checked before any of that code runs.
 */
export const MIN_SUPPORTED_YEAR = 1900;
export const MAX_SUPPORTED_YEAR = 2999;

export const SUPPORTED_RANGE_MESSAGE = `Use a date between ${MIN_SUPPORTED_YEAR} and ${MAX_SUPPORTED_YEAR}`;

/** A `yyyy-MM-dd` (or ISO time) string whose year is in the supported range. Format is checked elsewhere. */
export function isSupportedDateString(value: string): boolean {
  const year = /^(\d{4})-/.exec(value.trim())?.[1];
  return year !== undefined && Number(year) >= MIN_SUPPORTED_YEAR && Number(year) <= MAX_SUPPORTED_YEAR;
}

/** An instant whose UTC year is in the supported range (Invalid Date is not). */
export function isSupportedInstant(value: Date): boolean {
  const year = value.getUTCFullYear();
  return !Number.isNaN(value.getTime()) && year >= MIN_SUPPORTED_YEAR && year <= MAX_SUPPORTED_YEAR;
}
