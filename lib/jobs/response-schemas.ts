/** What the cron route answers, as a zod schema for GET /api/openapi.json. */
import { z } from "@/lib/zod";

/** runScheduledTick (lib/jobs/run-scheduled-tick.ts). */
export const scheduledTickResponseSchema = z.strictObject({
  holdsExpired: z.number().int(),
  referenceImagesDeleted: z.number().int(),
  checkoutsExpired: z.number().int().meta({ description: "Unpaid Stripe checkouts past the payment window whose slot was freed." }),
  jobsOfDeadWorkersUnlocked: z.number().int(),
  jobsDueBefore: z.number().int().nullable(),
  jobsDueAfter: z.number().int().nullable(),
  calendarsPulled: z.number().int(),
  calendarsFailed: z.number().int(),
  syncRunsPruned: z.number().int(),
  /** The watchdog's round (lib/watchdog/run-watchdog.ts): alerts open after it, opened and cleared by it. */
  watchdog: z.strictObject({ incidentsOpen: z.number().int(), incidentsOpened: z.number().int(), incidentsCleared: z.number().int() }),
  durationMs: z.number().int(),
});
