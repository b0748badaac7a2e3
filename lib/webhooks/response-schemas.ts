/** What the Nextcloud webhook answers, as a zod schema for GET /api/openapi.json. */
import { z } from "@/lib/zod";

/** triggerPullFromWebhook (lib/webhooks/nextcloud.ts) → 202. */
export const webhookResponseSchema = z.strictObject({ calendars: z.number().int().meta({ description: "How many linked calendars were marked due." }) });
