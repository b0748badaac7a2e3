import { z } from "zod";
import { timeZoneSchema } from "@/lib/bookings/schemas";

/** Form posts send everything as strings; these accept both strings and real values. */
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
const intField = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    z
      .number({ error: `Enter ${label}` })
      .int(`${label} must be a whole number`)
      .min(min, `${label} must be at least ${min}`)
      .max(max, `${label} must be at most ${max}`),
  );
const optionalId = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.uuid().optional());
const slug = z
  .string({ error: "Enter a slug" })
  .trim()
  .toLowerCase()
  .min(2, "The slug needs at least 2 characters")
  .max(60, "Keep the slug under 60 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single dashes (it becomes part of the booking link)");

export const artistInputSchema = z.object({
  id: optionalId,
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(120),
  slug,
  bio: z.string().trim().max(2000, "Keep the bio under 2000 characters").default(""),
  email: z.preprocess((v) => (v === "" ? null : v), z.email("Enter a valid email").max(254).nullable().optional()),
  timezone: timeZoneSchema,
  active: checkbox,
});

/** Prices are entered as "90" or "90.50" in the service's currency and stored in cents. */
const price = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? 0 : Math.round(Number(v.replace(",", ".")) * 100)) : v),
  z.number({ error: "Enter a price like 90 or 90.50" }).int().min(0, "The price cannot be negative").max(100_000_00),
);

export const serviceInputSchema = z.object({
  id: optionalId,
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(120),
  slug,
  description: z.string().trim().max(2000).default(""),
  durationMinutes: intField("the duration", 5, 24 * 60),
  bufferBeforeMinutes: intField("the buffer before", 0, 24 * 60),
  bufferAfterMinutes: intField("the buffer after", 0, 24 * 60),
  priceCents: price,
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a three-letter currency code like EUR")
    .default("EUR"),
  autoConfirm: checkbox,
  minNoticeMinutes: intField("the minimum notice", 0, 365 * 24 * 60),
  bookingWindowDays: intField("the booking window", 1, 3650),
  slotStepMinutes: intField("the slot step", 5, 24 * 60),
  active: checkbox,
});

export const artistServicesInputSchema = z.object({
  artistId: z.uuid(),
  serviceIds: z.array(z.uuid()).max(200).default([]),
});

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use a time like 09:30");

export const hoursRangeSchema = z
  .object({ weekday: z.coerce.number().int().min(1).max(7), start: timeOfDay, end: timeOfDay })
  .refine((r) => r.end > r.start, { message: "Each range must end after it starts", path: ["end"] });

export const workingHoursInputSchema = z.object({
  artistId: z.uuid(),
  effectiveFrom: z.iso.date({ error: "Use a date like 2026-03-09" }),
  hours: z.array(hoursRangeSchema).min(1, "Add at least one time range (to stop all bookings, set the artist inactive)").max(70),
});

export type ArtistInput = z.input<typeof artistInputSchema>;
export type ServiceInput = z.input<typeof serviceInputSchema>;
export type WorkingHoursInput = z.input<typeof workingHoursInputSchema>;
