/**
 * A length of time in the largest whole units a person would say: 10080 minutes is "7 days",
 * 120 is "2 hours", 1530 is "1 day 1 hour 30 minutes". Used wherever the studio's rules are shown
 * (a service's minimum notice, a booking window), so an admin never has to divide 10080 by 1440.
 */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`${minutes} is not a length of time`);
  const whole = Math.round(minutes);
  if (whole === 0) return "0 minutes";
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  const unit = (n: number, one: string) => (n === 0 ? [] : [`${n} ${one}${n === 1 ? "" : "s"}`]);
  return [...unit(days, "day"), ...unit(hours, "hour"), ...unit(mins, "minute")].join(" ");
}

/** A service's minimum notice: "none" when a customer may book right up to the start. */
export function formatNotice(minutes: number): string {
  return minutes === 0 ? "none" : formatDuration(minutes);
}
