import { z } from "@/lib/zod";
import { instantSchema } from "@/lib/http/response-schemas";
import type { BookForCustomerResult } from "./book-for-customer";
import { bookingStatusSchema } from "./response-schemas";
import { customerDetailsSchema, multiLineString, singleLineString } from "./schemas";

const NO_CONTROLS = "Remove the control characters";
const ref = (what: string) =>
  singleLineString(`Choose ${what}`, { error: `Choose ${what}` })
    .trim()
    .min(1, `Choose ${what}`)
    .max(100);

/** The studio enters an email or a phone (or both): a walk-in may leave only a number. */
export const studioCustomerSchema = z
  .object({
    name: customerDetailsSchema.shape.name,
    email: customerDetailsSchema.shape.email.optional().nullable(),
    phone: customerDetailsSchema.shape.phone,
  })
  .refine((c) => Boolean(c.email) || Boolean(c.phone), { message: "Enter an email or a phone number", path: ["email"] });

export const repeatSchema = z.object({
  everyWeeks: z.number({ error: "everyWeeks is a number of weeks" }).int().min(1, "Repeat every 1–8 weeks").max(8, "Repeat every 1–8 weeks"),
  count: z.number({ error: "count is a number of bookings" }).int().min(2, "Book 2–12 times").max(12, "Book 2–12 times"),
});

/** POST /api/admin/bookings, the admin's "New booking" form and `npm run book`. */
export const bookForCustomerSchema = z.object({
  artist: ref("an artist"),
  service: ref("a service"),
  start: z.iso.datetime({ offset: true, error: "Use an ISO-8601 time with a zone, like 2026-03-14T10:00:00Z" }).transform((s) => new Date(s)),
  customer: studioCustomerSchema,
  notes: multiLineString(NO_CONTROLS).trim().max(2000, "Keep notes under 2000 characters").optional().nullable(),
  notify: z.boolean().optional(),
  override: z.boolean().optional(),
  reason: multiLineString(NO_CONTROLS).trim().max(500).optional().nullable(),
  repeat: repeatSchema.optional().nullable(),
  /** Adds the booking to this booking's series (an alternative picked for a taken week). */
  afterBookingId: z.uuid("Not a booking id").optional().nullable(),
  /** For a deposit service: the customer paid the deposit at the desk (recorded as a manual payment). Otherwise it is due. */
  depositPaid: z.boolean().optional(),
});

export const searchCustomersQuerySchema = z.object({
  q: singleLineString(NO_CONTROLS, { error: "Send q, the name, email or phone to search for" }).trim().min(2, "Type at least 2 characters").max(100),
});

const alternativeSchema = z.strictObject({ start: instantSchema, end: instantSchema });

/** A booking the studio made, as the admin sees it right after (phone-only customers included). */
export const studioBookingSchema = z
  .strictObject({
    id: z.uuid(),
    status: bookingStatusSchema,
    start: instantSchema,
    end: instantSchema,
    timezone: z.string().meta({ description: "The artist's IANA zone." }),
    artist: z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string() }),
    service: z.strictObject({ id: z.uuid(), slug: z.string(), name: z.string() }),
    version: z.number().int(),
    seriesId: z.uuid().nullable(),
    customer: z.strictObject({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
    notes: z.string().nullable(),
  })
  .meta({ id: "StudioBooking" });

export const seriesConflictSchema = z.strictObject({
  start: instantSchema,
  code: z.enum(["slot_taken", "no_room_free", "not_bookable"]),
  message: z.string(),
  alternatives: z.array(alternativeSchema).meta({ description: "Up to 3 nearest free times." }),
});

/** 201: `{booking}` for one booking, `{seriesId, bookings, conflicts}` with `repeat`. */
export const bookForCustomerResponseSchema = z.union([
  z.strictObject({ booking: studioBookingSchema }),
  z.strictObject({ seriesId: z.uuid(), bookings: z.array(studioBookingSchema), conflicts: z.array(seriesConflictSchema) }),
]);

export const customerSearchResponseSchema = z.strictObject({
  customers: z.array(
    z.strictObject({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), lastBookedAt: instantSchema, bookings: z.number().int() }),
  ),
});

export type StudioBooking = z.infer<typeof studioBookingSchema>;
export type BookForCustomerResponse = z.infer<typeof bookForCustomerResponseSchema>;

/** The JSON of a result, shared by the route, the admin action and the CLI. */
export function serializeBookForCustomer(result: BookForCustomerResult, repeat: boolean): BookForCustomerResponse {
  const { artist, service } = result.bookable;
  const one = (b: BookForCustomerResult["bookings"][number]): StudioBooking => ({
    id: b.id,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    timezone: artist.timezone,
    artist: { id: artist.id, slug: artist.slug, name: artist.name },
    service: { id: service.id, slug: service.slug, name: service.name },
    version: b.version,
    seriesId: b.seriesId,
    customer: { name: b.customerName, email: b.customerEmail, phone: b.customerPhone },
    notes: b.notes,
  });
  if (!repeat) return { booking: one(result.bookings[0]!) };
  return { seriesId: result.seriesId!, bookings: result.bookings.map(one), conflicts: result.conflicts };
}
