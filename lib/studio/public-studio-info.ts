import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { studioSettings } from "@/db/schema";

export type PublicStudioInfo = { name: string; timezone: string; policyText: string; cancellationNoticeHours: number };

/** What customers may see of the studio's settings: its name, zone, policy and cancellation notice. */
export async function getPublicStudioInfo(db: Executor): Promise<PublicStudioInfo> {
  const [row] = await db
    .select({ name: studioSettings.name, timezone: studioSettings.timezone, policyText: studioSettings.policyText, cancellationNoticeHours: studioSettings.cancellationNoticeHours })
    .from(studioSettings)
    .where(eq(studioSettings.id, 1));
  return row ?? { name: "Holdfast", timezone: process.env.APP_TZ ?? "Europe/Berlin", policyText: "", cancellationNoticeHours: 24 };
}
