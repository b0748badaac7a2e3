/** What the public booking routes answer (the customer's view of a booking), as zod schemas for GET /api/openapi.json. */
import { z } from "@/lib/zod";
import { bookingStatus } from "@/db/schema";
import { instantSchema } from "@/lib/http/response-schemas";
import { checkoutLinkSchema } from "@/lib/payments/response-schemas";

export const bookingStatusSchema = z.enum(bookingStatus.enumValues);

const artistRefSchema = z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string(), timezone: z.string() });
const serviceRefSchema = z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string() });

/** getCustomerBooking: serializeBooking (lib/bookings/serialize-booking.ts) plus the status history. */
export const customerBookingSchema = z
  .strictObject({
    id: z.uuid(),
    status: bookingStatusSchema,
    start: instantSchema,
    end: instantSchema,
    timezone: z.string().meta({ description: "The artist's IANA zone; times are shown in it." }),
    artist: artistRefSchema,
    service: serviceRefSchema,
    version: z.number().int(),
    holdExpiresAt: instantSchema.nullable(),
    customer: z.strictObject({ name: z.string().nullable(), email: z.string(), phone: z.string().nullable() }).nullable(),
    customerTimezone: z.string().nullable(),
    notes: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "The studio's reason for a rejection or cancellation." }),
    createdAt: instantSchema,
    updatedAt: instantSchema,
    manageUrl: z.string().meta({ description: "The signed link to this page (the token in it is the one to send back)." }),
    history: z.array(
      z.strictObject({
        at: instantSchema,
        status: bookingStatusSchema.nullable(),
        by: z.enum(["you", "the studio"]),
        reason: z.string().nullable(),
        rescheduledFrom: z.string().nullable().meta({ description: "The earlier start, when this entry is a reschedule." }),
      }),
    ),
    resources: z
      .array(z.strictObject({ id: z.uuid(), name: z.string(), kind: z.string() }))
      .meta({ description: "The room or station the booking takes (one per kind its service needs); empty when none." }),
  })
  .meta({ id: "CustomerBooking" });

export const customerBookingResponseSchema = z.strictObject({ booking: customerBookingSchema });

/** POST /api/holds → 201. */
export const holdResponseSchema = z.strictObject({
  hold: z.strictObject({
    id: z.uuid(),
    token: z.string().meta({ description: "Send it back as holdToken with the booking request." }),
    expiresAt: instantSchema,
  }),
});

/** POST /api/bookings → 201 (200 with `Idempotent-Replayed: true` for a replay). */
export const bookingRequestResponseSchema = z.strictObject({
  booking: z.strictObject({ id: z.uuid(), status: bookingStatusSchema, manageUrl: z.string() }),
  /** Only for a service with a deposit: `awaiting_payment` bookings go to `checkoutUrl` (lib/payments). */
  payment: checkoutLinkSchema.optional(),
});
