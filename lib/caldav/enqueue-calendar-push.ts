import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { calendarObjects, calendars, type Booking } from "@/db/schema";
import { addJob } from "@/lib/jobs/add-job";

/** A Nextcloud outage of a few days is retried through (backoff tops out at ~6 h per attempt). */
export const CALENDAR_PUSH_MAX_ATTEMPTS = 25;

export function calendarPushJobKey(bookingId: string) {
  return `caldav-push:${bookingId}`;
}

/**
 * Queues "write this booking's current state to the artist's calendar", inside the caller's
 * transaction (transactional outbox): the job exists exactly when the booking change commits.
 * One job key per booking, so a burst of changes coalesces into one push of the latest state.
 * One queue per calendar, so pushes to the same calendar never race each other.
 * Does nothing when the artist has no calendar that receives bookings and the booking was never
 * written to one.
 */
export async function enqueueCalendarPush(
  tx: Executor,
  booking: Pick<Booking, "id" | "artistId">,
  opts: { runAt?: Date; payload?: Record<string, unknown> } = {},
): Promise<boolean> {
  const [target] = await tx
    .select({ id: calendars.id })
    .from(calendars)
    .where(and(eq(calendars.artistId, booking.artistId), eq(calendars.role, "write"), eq(calendars.active, true)))
    .limit(1);
  const queueCalendarId =
    target?.id ?? (await tx.select({ id: calendarObjects.calendarId }).from(calendarObjects).where(eq(calendarObjects.bookingId, booking.id)).limit(1))[0]?.id;
  if (!queueCalendarId) return false;
  await addJob(
    tx,
    "push_booking_to_calendar",
    { ...opts.payload, bookingId: booking.id },
    { jobKey: calendarPushJobKey(booking.id), queueName: `caldav:${queueCalendarId}`, maxAttempts: CALENDAR_PUSH_MAX_ATTEMPTS, runAt: opts.runAt },
  );
  return true;
}
