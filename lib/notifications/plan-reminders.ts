/**
 * When a confirmed booking's reminders go out. Lead times are real elapsed time ("24 hours
 * before" is 24 hours of the clock on the wall turning, also across a DST change, when the wall
 * clock reading moves by an hour), so a reminder can never land after its appointment or twice.
 */
export const DEFAULT_REMINDER_LEAD_MINUTES: readonly number[] = [1440];
export const MAX_REMINDERS_PER_SERVICE = 5;
/** 30 days: a reminder further ahead than this is a marketing mail, not a reminder. */
export const MAX_REMINDER_LEAD_MINUTES = 43_200;

export type PlannedReminder = { leadMinutes: number; sendAt: Date };

/**
 * One reminder per distinct lead time, earliest first. A reminder whose time has already passed
 * (the booking was made or moved closer than its lead time) is skipped rather than sent late: the
 * confirmation the customer just got says the same.
 */
export function planReminders(input: { startsAt: Date; leadMinutes: readonly number[]; now: Date }): PlannedReminder[] {
  const start = input.startsAt.getTime();
  if (Number.isNaN(start)) throw new RangeError("planReminders: invalid start");
  const distinct = [...new Set(input.leadMinutes)].filter((m) => Number.isInteger(m) && m > 0).sort((a, b) => b - a);
  return distinct
    .map((leadMinutes) => ({ leadMinutes, sendAt: new Date(start - leadMinutes * 60_000) }))
    .filter((r) => r.sendAt.getTime() > input.now.getTime());
}

/** "24 hours", "2 days", "90 minutes": how the studio and the customer read a lead time. */
export function describeLeadTime(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "1 day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}
