/** What the /api/admin routes answer, as zod schemas for GET /api/openapi.json (each mirrors the read model named beside it). */
import { z } from "@/lib/zod";
import { paymentLedgerRowSchema, paymentSchema } from "@/lib/payments/response-schemas";
import { notificationStatus } from "@/db/schema";
import { bookingStatusSchema } from "@/lib/bookings/response-schemas";
import { JOURNEY_STATUSES, JOURNEY_STEPS } from "@/lib/bookings/booking-journey";
import { bookingResourceSchema } from "@/lib/resources/response-schemas";
import { instantSchema, localDateSchema } from "@/lib/http/response-schemas";

const refSchema = z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string() });

/** AdminBookingRow (lib/admin/list-bookings.ts): one row of the bookings table. */
export const adminBookingSchema = z
  .strictObject({
    id: z.uuid(),
    status: bookingStatusSchema,
    version: z.number().int().meta({ description: "Send it back with a decision; a stale one is a 409 stale_version." }),
    start: instantSchema,
    end: instantSchema,
    timezone: z.string(),
    artist: refSchema,
    service: refSchema,
    customer: z.strictObject({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
    notes: z.string().nullable(),
    reason: z.string().nullable(),
    submittedAt: instantSchema.nullable(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: "AdminBooking" });

/** The single-booking decisions (lib/admin/define-decision-route.ts). */
export const adminBookingResponseSchema = z.strictObject({ booking: adminBookingSchema });

/** LastChange (lib/admin/decide.ts): who changed a booking last, in stale_version errors and bulk results. */
export const lastChangeSchema = z.strictObject({
  at: instantSchema,
  actorKind: z.string(),
  actorLabel: z.string(),
  reason: z.string().nullable(),
  fromStatus: bookingStatusSchema.nullable(),
  toStatus: bookingStatusSchema.nullable(),
});

/** decideMany (lib/admin/decide.ts): one result per booking, in the order sent. */
export const bulkDecisionResponseSchema = z.strictObject({
  action: z.enum(["approve", "reject", "cancel"]),
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.discriminatedUnion("ok", [
      z.strictObject({ id: z.uuid(), ok: z.literal(true), booking: adminBookingSchema }),
      z.strictObject({
        id: z.uuid(),
        ok: z.literal(false),
        error: z.strictObject({ code: z.string(), message: z.string(), current: z.unknown().optional(), lastChange: lastChangeSchema.nullable().optional() }),
      }),
    ]),
  ),
});

/** BookingDetail (lib/admin/booking-detail.ts). */
export const bookingDetailResponseSchema = z.strictObject({
  booking: adminBookingSchema.extend({
    artistTimezone: z.string(),
    customerTimezone: z.string().nullable(),
    bufferBeforeMinutes: z.number().int(),
    bufferAfterMinutes: z.number().int(),
    holdExpiresAt: instantSchema.nullable(),
    confirmedAt: instantSchema.nullable(),
    cancelledAt: instantSchema.nullable(),
    idempotencyKey: z.string().nullable(),
    caldavUid: z.string(),
    caldavHref: z.string().nullable(),
    caldavEtag: z.string().nullable(),
    price: z.strictObject({ cents: z.number().int(), currency: z.string(), fromService: z.boolean() }).nullable(),
  }),
  resources: z.array(bookingResourceSchema).describe("the rooms and stations the booking took, one per kind its service needs; empty when none"),
  journey: z
    .array(
      z.strictObject({
        step: z.enum(JOURNEY_STEPS),
        status: z.enum(JOURNEY_STATUSES).describe("late: waited longer than the watchdog allows (60 s for the calendar write and for an email)"),
        at: instantSchema.nullable().describe("when it happened; null while it waits or when skipped"),
        dueAt: instantSchema.nullable().describe("by when a waiting step should happen"),
        detail: z.string().nullable(),
      }),
    )
    .describe("the booking's journey: created, status changes, calendar push queued, written (ETag), seen by the next pull, each email queued and sent"),
  history: z.array(
    z.strictObject({
      at: instantSchema,
      from: bookingStatusSchema.nullable(),
      to: bookingStatusSchema.nullable(),
      actor: z.string(),
      reason: z.string().nullable(),
    }),
  ),
  audit: z.array(
    z.strictObject({
      id: z.number().int(),
      at: instantSchema,
      operation: z.string(),
      fromStatus: bookingStatusSchema.nullable(),
      toStatus: bookingStatusSchema.nullable(),
      actorKind: z.string(),
      actorId: z.string().nullable(),
      actor: z.string(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      reason: z.string().nullable(),
      changes: z.array(z.strictObject({ field: z.string(), before: z.unknown(), after: z.unknown() })),
    }),
  ),
  notifications: z.array(
    z.strictObject({
      id: z.uuid(),
      kind: z.string(),
      recipient: z.string(),
      subject: z.string(),
      status: z.enum(notificationStatus.enumValues),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: instantSchema,
      scheduledFor: instantSchema.nullable().describe("when a reminder goes out; null for mails sent as soon as they are queued"),
      sentAt: instantSchema.nullable(),
      calendarMethod: z.enum(["REQUEST", "CANCEL", "PUBLISH"]).nullable().describe("the iTIP METHOD of the attached calendar file, if any"),
    }),
  ),
  jobs: z.array(
    z.strictObject({
      id: z.string(),
      task: z.string(),
      key: z.string().nullable(),
      attempts: z.number().int(),
      maxAttempts: z.number().int(),
      lastError: z.string().nullable(),
      runAt: instantSchema,
      lockedAt: instantSchema.nullable(),
    }),
  ),
  calendar: z.strictObject({
    calendars: z.array(
      z.strictObject({
        id: z.uuid(),
        displayName: z.string().nullable(),
        calendarUrl: z.string(),
        role: z.enum(["write", "busy"]),
        lastSyncAt: instantSchema.nullable(),
        lastSuccessAt: instantSchema.nullable(),
        lastError: z.string().nullable(),
        consecutiveFailures: z.number().int(),
      }),
    ),
    objects: z.array(z.strictObject({ calendarId: z.uuid(), href: z.string(), etag: z.string().nullable(), updatedAt: instantSchema })),
    openConflicts: z.array(z.strictObject({ id: z.uuid(), kind: z.string(), createdAt: instantSchema })),
  }),
  series: z
    .strictObject({ id: z.uuid(), bookings: z.array(z.strictObject({ id: z.uuid(), start: instantSchema, status: bookingStatusSchema })) })
    .nullable()
    .describe("the repeat series the booking belongs to, every occurrence earliest first (cancelled ones too); null outside a series"),
  payment: paymentSchema,
  paymentLedger: z.array(paymentLedgerRowSchema),
});

/** AdminSummary (lib/admin/summary.ts): what the dashboard polls. */
export const adminSummaryResponseSchema = z.strictObject({
  pendingCount: z.number().int(),
  oldestPendingAt: instantSchema.nullable(),
  unreadAlerts: z.number().int(),
  failedNotifications: z.number().int(),
  deadJobs: z.number().int(),
  openConflicts: z.number().int(),
  latestEventId: z.number().int(),
  at: instantSchema,
});

/** FeedItem (lib/admin/feed.ts). */
export const adminFeedResponseSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      at: instantSchema,
      kind: z.enum(["new_request", "auto_confirmed", "cancellation", "alert", "notification_failed", "job_failed"]),
      severity: z.enum(["info", "warning", "error"]),
      title: z.string(),
      detail: z.string().nullable(),
      href: z.string().nullable(),
      unread: z.boolean(),
    }),
  ),
});

/** listOutbox (lib/admin/outbox.ts). */
export const outboxResponseSchema = z.strictObject({
  notifications: z.array(
    z.strictObject({
      id: z.uuid(),
      bookingId: z.uuid().nullable(),
      kind: z.string(),
      recipient: z.string(),
      subject: z.string(),
      status: z.enum([...notificationStatus.enumValues, "sending"]),
      sendingStartedAt: instantSchema.nullable(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: instantSchema,
      updatedAt: instantSchema,
      sentAt: instantSchema.nullable(),
      textBody: z.string(),
    }),
  ),
  byStatus: z.strictObject({
    queued: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    scheduled: z.number().int(),
    cancelled: z.number().int(),
  }),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  smtpConfigured: z.boolean(),
});

/** getJobOverview (lib/admin/outbox.ts). */
export const jobOverviewResponseSchema = z.strictObject({
  queues: z.array(
    z.strictObject({
      task: z.string(),
      waiting: z.number().int(),
      due: z.number().int(),
      running: z.number().int(),
      retrying: z.number().int(),
      dead: z.number().int(),
      oldestWaitingSeconds: z.number().int().nullable(),
    }),
  ),
  problems: z.array(
    z.strictObject({
      id: z.string(),
      task: z.string(),
      key: z.string().nullable(),
      attempts: z.number().int(),
      maxAttempts: z.number().int(),
      dead: z.boolean(),
      lastError: z.string().nullable(),
      runAt: instantSchema,
      updatedAt: instantSchema,
      locked: z.boolean(),
    }),
  ),
});

/** retryJobs (lib/jobs/retry-jobs.ts). */
export const retryJobsResponseSchema = z.strictObject({ retried: z.array(z.string()), skipped: z.array(z.string()) });

/** retryNotification (lib/jobs/retry-jobs.ts); "missing" is a 404. */
export const retryNotificationResponseSchema = z.strictObject({ outcome: z.enum(["requeued", "already_sent"]) });

const calendarItemSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("booking"),
    id: z.uuid(),
    status: bookingStatusSchema,
    startMin: z.number().int(),
    endMin: z.number().int(),
    timeLabel: z.string(),
    title: z.string(),
    subtitle: z.string(),
    continues: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal("busy"),
    id: z.uuid(),
    startMin: z.number().int(),
    endMin: z.number().int(),
    timeLabel: z.string(),
    source: z.enum(["calendar", "time_off"]).describe("mirrored from the artist's calendar, or time off entered in Holdfast"),
  }),
]);

/** CalendarWeek (lib/admin/calendar-week.ts): minutes are after local midnight in each artist's zone. */
export const calendarWeekResponseSchema = z.strictObject({
  weekStart: localDateSchema,
  weekEnd: localDateSchema,
  prevWeek: localDateSchema,
  nextWeek: localDateSchema,
  days: z.array(localDateSchema),
  startHour: z.number().int(),
  endHour: z.number().int(),
  artists: z.array(
    z.strictObject({
      id: z.uuid(),
      slug: z.string(),
      name: z.string(),
      timezone: z.string(),
      zoneLabel: z.string(),
      zoneAbbr: z.string(),
      days: z.array(
        z.strictObject({
          date: localDateSchema,
          label: z.string(),
          hours: z.array(z.strictObject({ startMin: z.number().int(), endMin: z.number().int() })),
          items: z.array(calendarItemSchema),
        }),
      ),
    }),
  ),
  allArtists: z.array(z.strictObject({ slug: z.string(), name: z.string() })),
  selected: z.string().nullable(),
  lanes: z.enum(["artists", "rooms"]).describe("what each entry of `artists` is: an artist, or a room/station on the studio's clock (`lanes=rooms`)"),
});

/** OutsideHoursBooking (lib/studio/working-hours.ts). */
export const outsideHoursResponseSchema = z.strictObject({
  bookings: z.array(
    z.strictObject({
      id: z.uuid(),
      status: bookingStatusSchema,
      version: z.number().int(),
      start: instantSchema,
      end: instantSchema,
      timezone: z.string(),
      localDate: localDateSchema,
      customerName: z.string().nullable(),
      customerEmail: z.string().nullable(),
      serviceName: z.string(),
      artistId: z.uuid(),
      artistName: z.string(),
      hoursThatDay: z.array(z.string()).meta({ description: 'The hours in force that day, e.g. ["10:00–14:00"]; [] for a day off.' }),
    }),
  ),
});

/** ListBookingsResult (lib/admin/list-bookings.ts): one page of the bookings table. */
export const adminBookingListResponseSchema = z.strictObject({
  bookings: z.array(adminBookingSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  timezone: z.string().meta({ description: "The zone `from` and `to` dates were read in." }),
});

/** rotateManageLink (lib/bookings/rotate-manage-link.ts). */
export const manageLinkResponseSchema = z.strictObject({ manageUrl: z.string() });
