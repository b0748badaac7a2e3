/** What the outgoing-webhook routes answer, as zod schemas for GET /api/openapi.json. None carries the signing secret except creation's answer. */
import { z } from "@/lib/zod";
import { instantSchema } from "@/lib/http/response-schemas";
import { webhookDeliveryIdSchema, webhookEventTypeSchema } from "./schemas";

/** WebhookEndpointView (endpoint-commands.ts). */
export const webhookEndpointSchema = z
  .strictObject({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(webhookEventTypeSchema),
    enabled: z.boolean(),
    failingSince: instantSchema.nullable().meta({ description: "First failed delivery since the last success; a day of failing disables the endpoint." }),
    disabledAt: instantSchema.nullable(),
    disabledReason: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: instantSchema,
    deliveries: z.strictObject({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
    lastDeliveredAt: instantSchema.nullable(),
  })
  .meta({ id: "WebhookEndpoint" });

/** WebhookDeliveryView: one message to one endpoint; `id` is its webhook-id header. */
export const webhookDeliverySchema = z
  .strictObject({
    id: webhookDeliveryIdSchema,
    endpointId: z.uuid(),
    eventType: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    lastAttemptAt: instantSchema.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: instantSchema.nullable(),
    createdAt: instantSchema,
    payload: z.strictObject({ type: z.string(), timestamp: instantSchema, data: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: "WebhookDelivery" });

/** POST /api/admin/webhooks: the endpoint and its signing secret, shown this once. */
export const createdWebhookEndpointResponseSchema = z.strictObject({
  endpoint: webhookEndpointSchema,
  secret: z.string().startsWith("whsec_").meta({ description: "The Standard Webhooks signing secret. Shown only in this answer; store it in the receiver." }),
});

export const webhookEndpointsResponseSchema = z.strictObject({ endpoints: z.array(webhookEndpointSchema) });
export const webhookEndpointResponseSchema = z.strictObject({ endpoint: webhookEndpointSchema, deliveries: z.array(webhookDeliverySchema) });
export const webhookDeliveriesResponseSchema = z.strictObject({ deliveries: z.array(webhookDeliverySchema) });
export const deletedWebhookEndpointResponseSchema = z.strictObject({ deleted: z.uuid() });
export const queuedWebhookDeliveryResponseSchema = z.strictObject({ deliveryId: webhookDeliveryIdSchema });
export const retriedWebhookDeliveryResponseSchema = z.strictObject({ delivery: webhookDeliverySchema });
