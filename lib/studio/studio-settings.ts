import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { studioSettings, type StudioSettings } from "@/db/schema";
import { readEnv } from "@/lib/env";
import { isValidTimeZone } from "@/lib/time/format-in-zone";

/*
 * readEnv, not getEnv: the settings are read on the CalDAV pull's path (the studio's calendar
 * policy), which the benchmark runs with its own database handle and no DATABASE_URL.
 */

/** The zone of a studio that has not saved its settings yet: APP_TZ (default Europe/Berlin). */
export function defaultStudioZone(): string {
  return readEnv(["APP_TZ"]).APP_TZ;
}

export type EffectiveStudioSettings = Omit<StudioSettings, "id" | "updatedAt" | "calendarEditPolicy"> & { calendarEditPolicy: "review" | "auto" };

/** What applies while the settings row does not exist (a fresh database before the seed or setup). */
export function studioSettingsDefaults(): EffectiveStudioSettings {
  return {
    name: "Holdfast",
    email: readEnv(["ADMIN_EMAIL"]).ADMIN_EMAIL ?? "",
    timezone: defaultStudioZone(),
    address: "",
    phone: "",
    mapUrl: "",
    cancellationNoticeHours: 24,
    policyText: "",
    calendarEditPolicy: "review",
    customerCancelRefund: "before_notice",
    paymentWindowMinutes: 30,
    manualPaymentInstructions: "",
    embedOrigins: [],
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
    address: row.address,
    phone: row.phone,
    mapUrl: row.mapUrl,
    cancellationNoticeHours: row.cancellationNoticeHours,
    policyText: row.policyText,
    calendarEditPolicy: row.calendarEditPolicy === "auto" ? "auto" : "review",
    customerCancelRefund: row.customerCancelRefund,
    paymentWindowMinutes: row.paymentWindowMinutes,
    manualPaymentInstructions: row.manualPaymentInstructions,
    embedOrigins: row.embedOrigins,
  };
}
