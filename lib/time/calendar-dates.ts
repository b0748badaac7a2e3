/**
 * Calendar-date arithmetic on "yyyy-MM-dd" strings. Dates here are plain calendar days (no zone):
 * which instant a day starts at is always decided by the zone the caller formats in.
 */

export const DAY_MS = 86_400_000;

function toUtcMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isDateString(value: unknown): value is string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(toUtcMs(value));
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** The Monday of the week `date` falls in (weeks run Monday to Sunday). */
export function mondayOf(date: string): string {
  const weekday = (new Date(toUtcMs(date)).getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(date, -weekday);
}

export function weekDates(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/**
 * The artist-zone dates to ask availability for so that every slot of the week is found in any
 * display zone: a day either side covers every offset between two zones (at most 26 hours).
 */
export function availabilityRange(monday: string): { from: string; to: string } {
  return { from: addDays(monday, -2), to: addDays(monday, 8) };
}
