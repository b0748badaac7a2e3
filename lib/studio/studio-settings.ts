import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { studioSettings, type StudioSettings } from "@/db/schema";
import { isValidTimeZone } from "@/lib/time/format-in-zone";

/** The zone of a studio that has not saved its settings yet: APP_TZ when valid, else Berlin (lib/env.ts's default). */
export function defaultStudioZone(): string {
  const configured = process.env.APP_TZ;
  return configured && isValidTimeZone(configured) ? configured : "Europe/Berlin";
}

export type EffectiveStudioSettings = Omit<StudioSettings, "id" | "updatedAt" | "calendarEditPolicy"> & { calendarEditPolicy: "review" | "auto" };

/** What applies while the settings row does not exist (a fresh database before the seed or setup). */
export function studioSettingsDefaults(): EffectiveStudioSettings {
  return {
    name: "Holdfast",
    email: process.env.ADMIN_EMAIL ?? "",
    timezone: defaultStudioZone(),
    cancellationNoticeHours: 24,
    policyText: "",
    calendarEditPolicy: "review",
  };
}

/**
 * The studio's settings with their defaults applied, in one place: every reader (notice period,
 * zone, calendar policy, alert recipient) gets the same answer for a missing row or value.
 */
export async function getStudioSettings(db: Executor): Promise<EffectiveStudioSettings> {
  const [row] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
  const defaults = studioSettingsDefaults();
  if (!row) return defaults;
  return {
    name: row.name,
    email: row.email,
    timezone: isValidTimeZone(row.timezone) ? row.timezone : defaults.timezone,
    cancellationNoticeHours: row.cancellationNoticeHours,
    policyText: row.policyText,
    calendarEditPolicy: row.calendarEditPolicy === "auto" ? "auto" : "review",
  };
}
