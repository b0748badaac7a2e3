import { z } from "@/lib/zod";
import { multiLineString, singleLineString, timeZoneSchema } from "@/lib/bookings/schemas";
import { describeLeadTime, MAX_REMINDER_LEAD_MINUTES, MAX_REMINDERS_PER_SERVICE } from "@/lib/notifications/plan-reminders";

/** Form posts send everything as strings; these accept both strings and real values. */
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
/** A checkbox that older callers may leave out: left out keeps the stored value (or the column default). */
const optionalCheckbox = z.preprocess((v) => (v === undefined ? undefined : v === true || v === "on" || v === "true" || v === "1"), z.boolean().optional());
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
  /** Also send the artist the studio's "a customer changed a booking" mails (to `email`). */
  notifyByEmail: optionalCheckbox,
});

/** Prices are entered as "90" or "90.50" in the service's currency and stored in cents. */
const price = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? 0 : Math.round(Number(v.replace(",", ".")) * 100)) : v),
  z.number({ error: "Enter a price like 90 or 90.50" }).int().min(0, "The price cannot be negative").max(100_000_00),
);

/**
 * How long before a confirmed appointment each reminder goes out, in minutes. The same bounds as
 * the database's check (services_reminders_sane), so the admin gets a field message instead of a
 * failed insert; two equal lead times would send the same reminder twice.
 */
export const reminderLeadMinutesSchema = z
  .array(
    z.preprocess(
      (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
      z
        .number({ error: "Enter how long before the appointment" })
        .int("Use whole minutes")
        .min(1, "A reminder must go out before the appointment")
        .max(MAX_REMINDER_LEAD_MINUTES, `A reminder can go out at most ${describeLeadTime(MAX_REMINDER_LEAD_MINUTES)} before`),
    ),
    { error: "Give the reminder times as a list" },
  )
  .max(MAX_REMINDERS_PER_SERVICE, `At most ${MAX_REMINDERS_PER_SERVICE} reminders per service`)
  .refine((list) => new Set(list).size === list.length, "Each reminder time only once")
  .transform((list) => [...list].sort((a, b) => b - a));

export const DEPOSIT_KINDS = ["none", "fixed", "percent"] as const;
export type DepositKind = (typeof DEPOSIT_KINDS)[number];

/**
 * A service's deposit as the form sends it. A string is what the admin typed: a fixed amount in the
 * service's currency like the price ("90" or "90.50"), or a percentage of the price ("20"). A number
 * is already in stored units (cents, or the percentage), which is what an API caller sends and what
 * a first parse returns, so parsing twice (the action, then saveService) changes nothing.
 */
const depositValue = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.union([z.number(), z.string().trim()]).optional());

/**
 * The stored value of a deposit, or the message the admin sees under the input. The bounds are the
 * database's (services_deposit_sane): a fixed amount above 0, a percentage 1–100; a fixed amount
 * above the price would ask for more than the appointment costs.
 */
export function depositValueOrError(kind: DepositKind, value: number | string | undefined, priceCents: number): { value: number } | { error: string } {
  if (kind === "none") return { value: 0 };
  if (value === undefined) return { error: kind === "fixed" ? "Enter the deposit amount" : "Enter the percentage" };
  if (kind === "fixed") {
    const cents = typeof value === "string" ? Math.round(Number(value.replace(",", ".")) * 100) : value;
    if (!Number.isFinite(cents) || !Number.isInteger(cents)) return { error: "Enter an amount like 50 or 50.50" };
    if (cents <= 0) return { error: "The deposit must be more than 0 (choose None for no deposit)" };
    if (cents > priceCents) return { error: "The deposit cannot be more than the price" };
    return { value: cents };
  }
  const percent = typeof value === "string" ? Number(value) : value;
  if (!Number.isFinite(percent)) return { error: "Enter a percentage like 20" };
  if (!Number.isInteger(percent)) return { error: "Use a whole percentage" };
  if (percent < 1 || percent > 100) return { error: "Use a percentage from 1 to 100" };
  return { value: percent };
}

export const serviceInputSchema = z
  .object({
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
    /** "Customers may book this again every few weeks" from their manage page; left out keeps the stored value. */
    customerCanRepeat: optionalCheckbox,
    minNoticeMinutes: intField("the minimum notice", 0, 365 * 24 * 60),
    bookingWindowDays: intField("the booking window", 1, 3650),
    slotStepMinutes: intField("the slot step", 5, 24 * 60),
    /** Left out keeps the stored lead times (a new service gets the default, 24 hours); empty means no reminders. */
    reminderLeadMinutes: reminderLeadMinutesSchema.optional(),
    active: checkbox,
    /** Left out keeps the stored deposit; "none" clears it. */
    // Typed as a string on the way in, like the column, so a stored service row can be sent back as it is.
    depositKind: z
      .string()
      .pipe(z.enum(DEPOSIT_KINDS, { error: "Choose None, a fixed amount or a percentage" }))
      .optional(),
    depositValue,
  })
  .transform((data, ctx) => {
    const { depositKind, depositValue: value, ...rest } = data;
    if (depositKind === undefined) return rest;
    const deposit = depositValueOrError(depositKind, value, rest.priceCents);
    if ("error" in deposit) {
      ctx.issues.push({ code: "custom", message: deposit.error, path: ["depositValue"], input: value });
      return z.NEVER;
    }
    return { ...rest, depositKind, depositValue: deposit.value };
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

/** Where customers reach the studio: the footer of every customer page, every customer email, the invitation's LOCATION. */
export const studioContactInputSchema = z.object({
  email: singleLineString("Enter a valid email", { error: "Enter the studio's email" })
    .trim()
    .toLowerCase()
    .min(1, "Enter the studio's email")
    .pipe(z.email("Enter a valid email"))
    .pipe(z.string().max(254, "Keep the email under 254 characters")),
  address: multiLineString("Remove the control characters", { error: "Enter the address" })
    .transform((v) =>
      v
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .join("\n"),
    )
    .pipe(
      z
        .string()
        .max(500, "Keep the address under 500 characters")
        .refine((v) => v.split("\n").length <= 6, "Use at most 6 lines"),
    )
    .default(""),
  phone: singleLineString("Write the phone number on one line")
    .trim()
    .max(40, "Keep the phone number under 40 characters")
    .regex(/^[+()0-9 .\-/]*$/, { message: "Use digits, spaces and + ( ) - only", abort: true })
    .refine((v) => v === "" || /[0-9]/.test(v), "Enter a phone number with digits")
    .default(""),
  mapUrl: singleLineString("Paste the map link on one line")
    .trim()
    .max(2000, "Keep the map link under 2000 characters")
    .refine((v) => v === "" || isHttpUrl(v), "Use a link starting with https:// or http://")
    .default(""),
});

/** Only web links: a javascript: or data: "map" in a customer's page would run in their browser. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export type ArtistInput = z.input<typeof artistInputSchema>;
export type ServiceInput = z.input<typeof serviceInputSchema>;
export type StudioContactInput = z.input<typeof studioContactInputSchema>;
export type StudioContact = z.output<typeof studioContactInputSchema>;
export type WorkingHoursInput = z.input<typeof workingHoursInputSchema>;
