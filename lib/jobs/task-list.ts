import { eq } from "drizzle-orm";
import type { TaskList } from "graphile-worker";
import { z } from "@/lib/zod";
import type { Database } from "@/db/client";
import { bookings } from "@/db/schema";
import { CalDavError } from "@/lib/caldav/caldav-client";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { pullDueCalendars } from "@/lib/caldav/pull-calendar";
import { pushBookingToCalendar } from "@/lib/caldav/push-booking";
import { pushTimeOffToCalendar } from "@/lib/caldav/push-time-off";
import { deliverNotification } from "@/lib/notifications/deliver-notification";
import { jobLogger } from "@/lib/log/logger";
import { processQueuedRefund } from "@/lib/payments/refunds";
import { deliverWebhook } from "@/lib/outgoing-webhooks/deliver-webhook";

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
      await deliverNotification(db, notificationId, {
        finalAttempt: helpers.job.attempts >= helpers.job.max_attempts,
        now: opts.now?.(),
        log: jobLogger(helpers.job, "notifications"),
      });
    },
  };
}

/** Calendar jobs (push to and pull from the artists' CalDAV servers), in their own worker. */
export function createCalendarTaskList(db: Database): TaskList {
  return {
    push_booking_to_calendar: async (payload, helpers) => {
      const { bookingId, rateLimitedTimes = 0 } = pushPayload.parse(payload);
      try {
        await pushBookingToCalendar(db, bookingId, { log: jobLogger(helpers.job, "caldav.push") });
      } catch (err) {
        // A 429 names its own wait (Retry-After); the queue's exponential backoff would ignore it.
        if (err instanceof CalDavError && err.kind === "rate_limited" && err.retryAfterMs !== undefined && rateLimitedTimes < MAX_RATE_LIMIT_DEFERRALS) {
          const [booking] = await db.select({ id: bookings.id, artistId: bookings.artistId }).from(bookings).where(eq(bookings.id, bookingId));
          if (booking) {
            await enqueueCalendarPush(db, booking, { runAt: new Date(Date.now() + err.retryAfterMs), payload: { rateLimitedTimes: rateLimitedTimes + 1 } });
            jobLogger(helpers.job, "caldav.push").info({ bookingId, retryInMs: err.retryAfterMs }, "calendar push rate limited; put off as the server asked");
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

const webhookPayload = z.object({ deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/) });

/**
 * Outgoing webhook deliveries, in their own worker: a receiver that hangs until the timeout must
 * not take mail or calendar slots. The handler keeps its own retry schedule (it re-queues the
 * delivery), so a failing receiver is an outcome, not a thrown error.
 */
export function createWebhookTaskList(db: Database, opts: TaskListOptions = {}): TaskList {
  return {
    deliver_webhook: async (payload, helpers) => {
      const { deliveryId } = webhookPayload.parse(payload);
      const outcome = await deliverWebhook(db, deliveryId, { now: opts.now?.() });
      helpers.logger.debug(`webhook ${deliveryId}: ${outcome}`);
    },
  };
}

const refundPayload = z.object({ refundId: z.string().uuid() });

/** Payment jobs (Stripe refunds), in their own worker: a Stripe outage never delays mail or calendars. */
export function createPaymentTaskList(db: Database): TaskList {
  return {
    refund_deposit: async (payload, helpers) => {
      const { refundId } = refundPayload.parse(payload);
      const outcome = await processQueuedRefund(db, refundId);
      helpers.logger.debug(`refund ${refundId}: ${outcome}`);
    },
  };
}
