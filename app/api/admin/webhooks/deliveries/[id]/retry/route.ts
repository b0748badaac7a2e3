import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { retryWebhookDelivery } from "@/lib/outgoing-webhooks/endpoint-commands";
import { retriedWebhookDeliveryResponseSchema } from "@/lib/outgoing-webhooks/response-schemas";
import { webhookDeliveryIdSchema } from "@/lib/outgoing-webhooks/schemas";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/webhooks/deliveries/[id]/retry",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "Send a delivery that is not delivered yet again now, with the same webhook-id",
    description: "409 when it was already delivered or its endpoint is disabled.",
    params: z.object({ id: webhookDeliveryIdSchema }),
    notFound: "That delivery was not found",
    responses: { 200: retriedWebhookDeliveryResponseSchema },
    errors: [409],
  },
  async ({ db, params }) => Response.json(await retryWebhookDelivery(db, params.id)),
);
