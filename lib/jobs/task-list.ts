import { eq } from "drizzle-orm";
import type { TaskList } from "graphile-worker";
import { z } from "zod";
import type { Database } from "@/db/client";
import { bookings } from "@/db/schema";
import { CalDavError } from "@/lib/caldav/caldav-client";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { pullDueCalendars } from "@/lib/caldav/pull-calendar";
import { pushBookingToCalendar } from "@/lib/caldav/push-booking";
import { pushTimeOffToCalendar } from "@/lib/caldav/push-time-off";
import { deliverNotification } from "@/lib/notifications/deliver-notification";

const notificationPayload = z.object({ notificationId: z.string().uuid() });
const timeOffPushPayload = z.discriminatedUnion("action", [
  z.object({ timeOffId: z.string().uuid(), action: z.literal("write") }),
  z.object({
    timeOffId: z.string().uuid(),
    action: z.literal("delete"),
    calendarId: z.string().uuid(),
    href: z.string().nullable(),
    uid: z.string().min(1),
    etag: z.string().nullable(),
  }),
]);
const pushPayload = z.object({ bookingId: z.string().uuid(), rateLimitedTimes: z.number().int().nonnegative().optional() });

/** How often a push may be put off by 429s (each honouring Retry-After) before it fails like any error. */
const MAX_RATE_LIMIT_DEFERRALS = 20;

/**
 * Email jobs. They run in their own worker (own concurrency), apart from the calendar jobs, so a
 * stalled SMTP server never delays a calendar push and a slow calendar server never delays mail.
 * Handlers throw to be retried with backoff.
 */
export type TaskListOptions = { now?: () => Date };

export function createEmailTaskList(db: Database, opts: TaskListOptions = {}): TaskList {
  return {
    deliver_notification: async (payload, helpers) => {
      const { notificationId } = notificationPayload.parse(payload);
      const outcome = await deliverNotification(db, notificationId, { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts, now: opts.now?.() });
      helpers.logger.debug(`notification ${notificationId}: ${outcome}`);
    },
  };
}

/** Calendar jobs (push to and pull from the artists' CalDAV servers), in their own worker. */
export function createCalendarTaskList(db: Database): TaskList {
  return {
    push_booking_to_calendar: async (payload, helpers) => {
      const { bookingId, rateLimitedTimes = 0 } = pushPayload.parse(payload);
      try {
        const result = await pushBookingToCalendar(db, bookingId);
        helpers.logger.debug(`calendar push ${bookingId}: ${result.outcome}`);
      } catch (err) {
        // A 429 names its own wait (Retry-After); the queue's exponential backoff would ignore it.
        if (err instanceof CalDavError && err.kind === "rate_limited" && err.retryAfterMs !== undefined && rateLimitedTimes < MAX_RATE_LIMIT_DEFERRALS) {
          const [booking] = await db.select({ id: bookings.id, artistId: bookings.artistId }).from(bookings).where(eq(bookings.id, bookingId));
          if (booking) {
            await enqueueCalendarPush(db, booking, { runAt: new Date(Date.now() + err.retryAfterMs), payload: { rateLimitedTimes: rateLimitedTimes + 1 } });
            helpers.logger.info(`calendar push ${bookingId}: rate limited, retrying in ${Math.ceil(err.retryAfterMs / 1000)} s`);
            return;
          }
        }
        throw err;
      }
    },
    push_time_off_to_calendar: async (payload, helpers) => {
      const parsed = timeOffPushPayload.parse(payload);
      const outcome = await pushTimeOffToCalendar(db, parsed);
      helpers.logger.debug(`time off push ${parsed.timeOffId} (${parsed.action}): ${outcome}`);
    },
    pull_calendars: async (_payload, helpers) => {
      const { pulled, failed } = await pullDueCalendars(db, { concurrency: 4 });
      helpers.logger.debug(`calendar pull: ${pulled} pulled, ${failed} failed`);
    },
  };
}
