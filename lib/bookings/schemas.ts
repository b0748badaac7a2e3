import { z } from "zod";
import { isValidTimeZone } from "@/lib/time/format-in-zone";


export const timeZoneSchema = z.string().max(64).refine(isValidTimeZone, "Unknown time zone");
const ref = (what: string) => z.string({ error: `Choose ${what}` }).trim().min(1, `Choose ${what}`).max(100);
const localDate = z.iso.date({ error: "Use a date like 2026-03-14" });
const instant = z.iso.datetime({ offset: true, error: "Use an ISO-8601 time with a zone, like 2026-03-14T10:00:00Z" }).transform((s) => new Date(s));

export const availabilityQuerySchema = z.object({ artist: ref("an artist"), service: ref("a service"), from: localDate, to: localDate });

export const createHoldSchema = z.object({
  artist: ref("an artist"),
  service: ref("a service"),
  start: instant,
  customerTimezone: timeZoneSchema.optional(),
});

/** The customer's details; the booking form validates with this same schema in the browser. */
export const customerDetailsSchema = z.object({
  name: z.string({ error: "Enter your name" }).trim().min(1, "Enter your name").max(120, "Keep your name under 120 characters"),
  email: z.string({ error: "Enter your email" }).trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address" })).pipe(z.string().max(254)),
  phone: z
    .string()
    .trim()
    .max(40, "Keep the phone number under 40 characters")
    .regex(/^[+()0-9 .\-/]*$/, "Use digits, spaces and + ( ) - only")
    .optional()
    .nullable()
    .transform((v) => (v ? v : null)),
});

export const submitRequestSchema = z.object({
  holdId: z.uuid({ error: "holdId must be the id returned when the slot was held" }),
  holdToken: z.string({ error: "holdToken is required" }).min(10).max(200),
  customer: customerDetailsSchema,
  notes: z.string().trim().max(2000, "Keep notes under 2000 characters").optional().nullable(),
  customerTimezone: timeZoneSchema.optional(),
});

export const idempotencyKeySchema = z
  .string({ error: "Send an Idempotency-Key header (any unique string per booking attempt)" })
  .min(8, "Idempotency-Key must be 8–200 characters")
  .max(200, "Idempotency-Key must be 8–200 characters");

export const customerCancelSchema = z.object({
  token: z.string({ error: "token is required" }).min(10).max(200),
  reason: z.string().trim().max(500).optional().nullable(),
});

export const customerRescheduleSchema = z.object({
  token: z.string({ error: "token is required" }).min(10).max(200),
  start: instant,
});

export const bookingIdSchema = z.uuid({ error: "Not a booking id" });

export const adminDecisionSchema = z.object({
  version: z.number({ error: "version is required: send the version you saw" }).int().positive(),
  reason: z.string().trim().max(500).optional().nullable(),
  start: instant.optional(),
});
