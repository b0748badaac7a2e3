import type { Executor } from "@/db/client";
import { getStudioSettings } from "./studio-settings";

export type PublicStudioInfo = { name: string; timezone: string; policyText: string; cancellationNoticeHours: number };

/** What customers may see of the studio's settings: its name, zone, policy and cancellation notice. */
export async function getPublicStudioInfo(db: Executor): Promise<PublicStudioInfo> {
  const { name, timezone, policyText, cancellationNoticeHours } = await getStudioSettings(db);
  return { name, timezone, policyText, cancellationNoticeHours };
}
