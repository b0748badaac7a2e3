import { z } from "@/lib/zod";
import { isValidTimeZone } from "@/lib/time/format-in-zone";
import { intakeInputSchema } from "@/lib/intake/intake-input";

/*
 * Customer text goes into emails, the admin's pages and the artist's calendar, so it is made
 * plain at the door. One-line fields (names, emails, phones, ids) refuse every control character
 * and the Unicode line/paragraph separators: no keyboard types them into a one-line field, so a
 * value holding one is a broken client or an attack, and a field error says so instead of
 * quietly storing something other than what was sent. Multi-line fields (notes, reasons) keep
 * their line breaks, written one way ("\n"), and refuse the other controls for the same reason
 * (refusing rather than stripping: a customer sees exactly what the studio will read). NUL,
 * which Postgres cannot store, is therefore always a 400 with the field named, never a 500.
 */
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

/** CRLF, a lone CR and the Unicode line/paragraph separators all become "\n". */
export function normalizeLineBreaks(value: string): string {
  return value.replace(LINE_BREAK, "\n");
}

/** A one-line string: `message` when it holds a control character or a line separator. Checked before trimming, which would hide a trailing CR. */
export const singleLineString = (message: string, params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine((v) => !SINGLE_LINE_FORBIDDEN.test(v), message);

/** A multi-line string with its line breaks normalised to "\n" and no other control character. */
export const multiLineString = (message: string, params?: Parameters<typeof z.string>[0]) =>
  z
    .string(params)
    .overwrite(normalizeLineBreaks)
    .refine((v) => !MULTI_LINE_FORBIDDEN.test(v), message);

const NO_CONTROLS = "Remove the control characters";

export const timeZoneSchema = z.string().max(64).refine(isValidTimeZone, "Unknown time zone");
const ref = (what: string) =>
  singleLineString(`Choose ${what}`, { error: `Choose ${what}` })
    .trim()
    .min(1, `Choose ${what}`)
    .max(100);
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
  name: singleLineString("Write your name on one line, without control characters", { error: "Enter your name" })
    .trim()
    .min(1, "Enter your name")
    .max(120, "Keep your name under 120 characters"),
  email: singleLineString("Enter a valid email address", { error: "Enter your email" })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter a valid email address" }))
    .pipe(z.string().max(254)),
  phone: singleLineString("Use digits, spaces and + ( ) - only")
    .trim()
    .max(40, "Keep the phone number under 40 characters")
    .regex(/^[+()0-9 .\-/]*$/, "Use digits, spaces and + ( ) - only")
    .optional()
    .nullable()
    .transform((v) => (v ? v : null)),
});

export const submitRequestSchema = z.object({
  holdId: z.uuid({ error: "holdId must be the id returned when the slot was held" }),
  holdToken: singleLineString("holdToken is not valid", { error: "holdToken is required" }).min(10).max(200),
  customer: customerDetailsSchema,
  notes: multiLineString("Notes can hold text and line breaks, but no control characters")
    .trim()
    .max(2000, "Keep notes under 2000 characters")
    .optional()
    .nullable(),
  customerTimezone: timeZoneSchema.optional(),
  /** Answers to the service's intake questions and its consent line (checked against the service by submitRequest). */
  intake: intakeInputSchema.optional(),
});

export const idempotencyKeySchema = singleLineString("Idempotency-Key must be printable text", {
  error: "Send an Idempotency-Key header (any unique string per booking attempt)",
})
  .min(8, "Idempotency-Key must be 8–200 characters")
  .max(200, "Idempotency-Key must be 8–200 characters");

export const customerCancelSchema = z.object({
  token: singleLineString("token is not valid", { error: "token is required" }).min(10).max(200),
  reason: multiLineString(NO_CONTROLS).trim().max(500).optional().nullable(),
});

export const customerRescheduleSchema = z.object({
  token: singleLineString("token is not valid", { error: "token is required" }).min(10).max(200),
  start: instant,
});

export const bookingIdSchema = z.uuid({ error: "Not a booking id" });

export const adminDecisionSchema = z.object({
  version: z.number({ error: "version is required: send the version you saw" }).int().positive(),
  reason: multiLineString(NO_CONTROLS).trim().max(500).optional().nullable(),
  start: instant.optional(),
});
