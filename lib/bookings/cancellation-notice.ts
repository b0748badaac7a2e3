/**
 * The studio's cancellation notice: a confirmed booking that starts less than `noticeHours` from
 * `now` can no longer be cancelled by its customer online. The booking page warns with this
 * before the customer commits; lib/bookings/transitions.ts (cancelBooking) enforces the same
 * comparison. Pure, so the browser can run it.
 */
export function isInsideCancellationNotice(input: { startsAt: Date; noticeHours: number; now: Date }): boolean {
  return input.startsAt.getTime() - input.now.getTime() < input.noticeHours * 3_600_000;
}

/** "24 hours", "1 hour": the notice period (whole hours, studio_settings.cancellation_notice_hours) as the customer reads it. */
export function describeNoticeHours(hours: number): string {
  return hours === 1 ? "1 hour" : `${hours} hours`;
}
