/** What the calendar routes answer, as zod schemas for GET /api/openapi.json. None carries a password. */
import { z } from "@/lib/zod";
import { bookingStatusSchema } from "@/lib/bookings/response-schemas";
import { instantSchema } from "@/lib/http/response-schemas";

const resolutionSchema = z.enum(["keep_booking", "accept_calendar", "cancel_booking"]);

/** PublicCalendar (lib/caldav/list-calendars.ts). */
export const publicCalendarSchema = z
  .strictObject({
    id: z.uuid(),
    artistId: z.uuid(),
    serverUrl: z.string(),
    username: z.string(),
    calendarUrl: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(["write", "busy"]),
    active: z.boolean(),
    lastSyncAt: instantSchema.nullable(),
    lastSuccessAt: instantSchema.nullable(),
    lastError: z.string().nullable(),
    lastErrorCode: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    failing: z.boolean().meta({ description: "True after a failed pull until the next successful one." }),
    nextSyncAt: instantSchema,
    createdAt: instantSchema,
  })
  .meta({ id: "Calendar" });

/** listCalendars: a calendar with its artist's name. */
export const listedCalendarSchema = publicCalendarSchema.extend({ artistName: z.string() });

/** GET /api/admin/artists/:id/calendars. */
export const artistCalendarsResponseSchema = z.strictObject({ calendars: z.array(listedCalendarSchema) });

/** listCalendarsWithSkipped (lib/admin/calendar-sync.ts): GET /api/admin/calendars. */
export const calendarsWithSkippedResponseSchema = z.strictObject({
  calendars: z.array(
    listedCalendarSchema.extend({
      skippedObjects: z.array(z.strictObject({ href: z.string(), uid: z.string().nullable(), reason: z.string(), skippedAt: instantSchema.nullable() })),
    }),
  ),
});

/** SyncRunView (lib/admin/calendar-sync.ts). */
export const syncRunsResponseSchema = z.strictObject({
  runs: z.array(
    z.strictObject({
      id: z.uuid(),
      kind: z.string(),
      status: z.string(),
      startedAt: instantSchema,
      finishedAt: instantSchema.nullable(),
      durationMs: z.number().int().nullable(),
      objectsChanged: z.number().int(),
      objectsDeleted: z.number().int(),
      objectsSkipped: z.number().int(),
      requests: z.number().int(),
      bytes: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
});

/** ConflictItem (lib/admin/calendar-sync.ts). */
export const conflictsResponseSchema = z.strictObject({
  conflicts: z.array(
    z.strictObject({
      id: z.uuid(),
      kind: z.string(),
      status: z.enum(["open", "resolved"]),
      resolution: z.string().nullable(),
      createdAt: instantSchema,
      resolvedAt: instantSchema.nullable(),
      eventStart: instantSchema.nullable(),
      eventEnd: instantSchema.nullable(),
      eventSummary: z.string().nullable(),
      calendar: z.strictObject({ id: z.uuid(), name: z.string() }).nullable(),
      booking: z
        .strictObject({
          id: z.uuid(),
          status: bookingStatusSchema,
          start: instantSchema,
          end: instantSchema,
          customerName: z.string().nullable(),
          serviceName: z.string(),
          artistName: z.string(),
          timezone: z.string(),
          version: z.number().int(),
        })
        .nullable(),
      resolutions: z.array(resolutionSchema).meta({ description: "What can be done with it, in the order to offer; [] once resolved." }),
    }),
  ),
});

/** POST /api/admin/calendar-conflicts/:id/resolve. */
export const resolvedConflictResponseSchema = z.strictObject({
  conflict: z.strictObject({
    id: z.uuid(),
    kind: z.string(),
    status: z.enum(["open", "resolved"]),
    resolution: z.string().nullable(),
    resolvedAt: instantSchema.nullable(),
    bookingId: z.uuid().nullable(),
  }),
});

/** POST /api/admin/calendars/:id/sync → 202. */
export const syncQueuedResponseSchema = z.strictObject({
  queued: z.number().int().meta({ description: "How many calendars were marked due (1, or 0 if it was paused meanwhile)." }),
});

/** DELETE /api/admin/calendars/:id. */
export const unlinkedResponseSchema = z.strictObject({ unlinked: z.uuid() });

/** ConnectionTestResult (lib/caldav/test-connection.ts): both outcomes are a 200. */
export const connectionTestResponseSchema = z.discriminatedUnion("ok", [
  z.strictObject({
    ok: z.literal(true),
    calendars: z.array(z.strictObject({ url: z.string(), displayName: z.string().nullable(), supportsSync: z.boolean() })),
  }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({
      code: z.enum([
        "bad_credentials",
        "rate_limited",
        "not_caldav",
        "timeout",
        "unreachable",
        "server_error",
        "no_calendars",
        "no_sync_support",
        "host_not_allowed",
        "cross_origin_discovery",
      ]),
      message: z.string(),
    }),
  }),
]);
