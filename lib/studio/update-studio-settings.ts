import { sql } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { studioSettings } from "@/db/schema";
import { multiLineString, singleLineString } from "@/lib/bookings/schemas";
import { parseOrThrow } from "./parse";
import { studioContactInputSchema } from "./schemas";
import { forgetEmbedOrigins } from "./embed-origins";
import { getStudioSettings, studioSettingsDefaults } from "./studio-settings";

export const CUSTOMER_CANCEL_REFUNDS = ["before_notice", "always", "never"] as const;
export const MAX_EMBED_ORIGINS = 20;

/**
 * One site allowed to frame the booking page, as its origin ("https://studio.example"). Only
 * https: the studio's own site is public; plain http is accepted for localhost and 127.0.0.1 so an
 * embed can be tried on one's own machine. A path, query or anything else is refused rather than
 * silently cut off: the value ends up in the Content-Security-Policy header.
 */
export const embedOriginSchema = z
  .string()
  .trim()
  .max(200, "Keep each origin under 200 characters")
  .refine((value) => {
    const origin = embedOriginOf(value);
    return origin !== null && (origin === value.toLowerCase() || `${origin}/` === value.toLowerCase());
  }, "Use an origin like https://studio.example (https, no path)")
  .transform((value) => embedOriginOf(value)!);

/** The origin of `value` when it is an https origin (or http on loopback), else null. */
export function embedOriginOf(value: string): string | null {
  if (!/^https?:\/\/[a-z0-9.\-:[\]]+\/?$/i.test(value)) return null;
  try {
    const url = new URL(value);
    const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1";
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return null;
    if (url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * What Studio setup edits: the studio's name and contact, its policy text, the cancellation
 * notice, whether a customer who cancels gets the deposit back, and the sites that may embed the
 * booking page. Every field is optional (PATCH): only what is given changes.
 */
const contact = studioContactInputSchema.shape;

export const studioSettingsInputSchema = z
  .object({
    name: singleLineString("Write the studio's name on one line", { error: "Enter the studio's name" })
      .trim()
      .min(1, "Enter the studio's name")
      .max(120, "Keep the name under 120 characters"),
    // The contact fields' own rules, without their defaults: a field left out must stay as it is.
    email: contact.email,
    address: contact.address.unwrap(),
    phone: contact.phone.unwrap(),
    mapUrl: contact.mapUrl.unwrap(),
    policyText: multiLineString("Remove the control characters", { error: "Enter the policy text" }).trim().max(5000, "Keep the policy under 5000 characters"),
    cancellationNoticeHours: z.coerce
      .number({ error: "Enter the notice in hours" })
      .int("Use whole hours")
      .min(0, "Use 0 hours or more")
      .max(24 * 60, "Use at most 1440 hours (60 days)"),
    customerCancelRefund: z.enum(CUSTOMER_CANCEL_REFUNDS, { error: "Choose when a customer who cancels gets the deposit back" }),
    embedOrigins: z
      .array(embedOriginSchema)
      .max(MAX_EMBED_ORIGINS, `List at most ${MAX_EMBED_ORIGINS} sites`)
      .transform((list) => [...new Set(list)]),
  })
  .partial();

export type StudioSettingsInput = z.input<typeof studioSettingsInputSchema>;

/**
 * Saves the studio's settings (one row, id 1; no version: the last save wins, as for any single
 * settings page). A studio without a row yet gets one with the defaults every reader assumed.
 * Returns the settings as every reader now sees them.
 */
export async function updateStudioSettings(db: Executor, input: StudioSettingsInput) {
  const changes = parseOrThrow(studioSettingsInputSchema, input);
  const defaults = studioSettingsDefaults();
  await db
    .insert(studioSettings)
    .values({ id: 1, name: defaults.name, email: defaults.email, timezone: defaults.timezone, ...changes })
    .onConflictDoUpdate({ target: studioSettings.id, set: { ...changes, updatedAt: sql`now()` } });
  if (changes.embedOrigins) forgetEmbedOrigins();
  const s = await getStudioSettings(db);
  return {
    name: s.name,
    email: s.email,
    address: s.address,
    phone: s.phone,
    mapUrl: s.mapUrl,
    policyText: s.policyText,
    cancellationNoticeHours: s.cancellationNoticeHours,
    customerCancelRefund: s.customerCancelRefund as (typeof CUSTOMER_CANCEL_REFUNDS)[number],
    embedOrigins: s.embedOrigins,
  };
}
