/** Input of the outgoing-webhook commands (the REST routes and the admin screen send the same). */
import { z } from "@/lib/zod";
import { singleLineString } from "@/lib/bookings/schemas";
import { WEBHOOK_EVENT_TYPES } from "./event-types";
import { webhookUrlFormProblem } from "./webhook-url-guard";

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const createWebhookEndpointSchema = z.object({
  url: z
    .string({ error: "Enter the endpoint's URL" })
    .trim()
    .max(2000, "must be at most 2000 characters")
    .superRefine((value, ctx) => {
      const problem = webhookUrlFormProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  events: z
    .array(webhookEventTypeSchema, { error: "Choose the events to send" })
    .min(1, "Choose at least one event")
    .transform((events) => [...new Set(events)]),
  description: singleLineString("Write the description on one line").trim().max(200, "must be at most 200 characters").optional(),
});
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointSchema>;

/** A delivery's id is its webhook-id: `msg_` and 32 hex digits. */
export const webhookDeliveryIdSchema = z.string().regex(/^msg_[0-9a-f]{32}$/);

export const deliveryLogQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
