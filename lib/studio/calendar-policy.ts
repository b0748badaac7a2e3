/**
 * The studio's answer to "an artist changed one of Holdfast's events in their calendar":
 * `review` opens a conflict for an admin, `auto` applies the change to the booking (lib/caldav
 * reads the setting; this is where it is written).
 */
import { eq, sql } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { studioSettings } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { parseOrThrow } from "./parse";
import { getStudioSettings } from "./studio-settings";

export const CALENDAR_EDIT_POLICIES = ["review", "auto"] as const;
export type CalendarEditPolicy = (typeof CALENDAR_EDIT_POLICIES)[number];

export const calendarEditPolicySchema = z.object({
  policy: z.enum(CALENDAR_EDIT_POLICIES, { error: 'Choose "review" or "auto"' }),
});

export type CalendarEditPolicyInput = z.input<typeof calendarEditPolicySchema>;

export async function getCalendarEditPolicy(db: Executor): Promise<CalendarEditPolicy> {
  return (await getStudioSettings(db)).calendarEditPolicy;
}

export async function saveCalendarEditPolicy(db: Executor, input: CalendarEditPolicyInput): Promise<CalendarEditPolicy> {
  const { policy } = parseOrThrow(calendarEditPolicySchema, input);
  const updated = await db
    .update(studioSettings)
    .set({ calendarEditPolicy: policy, updatedAt: sql`now()` })
    .where(eq(studioSettings.id, 1))
    .returning({ id: studioSettings.id });
  if (updated.length === 0) throw notFound("The studio settings");
  return policy;
}
