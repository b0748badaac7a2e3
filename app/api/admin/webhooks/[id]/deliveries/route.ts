import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { getWebhookEndpoint } from "@/lib/outgoing-webhooks/endpoint-commands";
import { webhookDeliveriesResponseSchema } from "@/lib/outgoing-webhooks/response-schemas";
import { deliveryLogQuerySchema } from "@/lib/outgoing-webhooks/schemas";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/webhooks/[id]/deliveries",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "The endpoint's delivery log, newest first: status, attempts, last answer or error, payload",
    params: z.object({ id: z.uuid() }),
    notFound: "That webhook endpoint was not found",
    query: deliveryLogQuerySchema,
    responses: { 200: webhookDeliveriesResponseSchema },
  },
  async ({ db, params, query }) => Response.json({ deliveries: (await getWebhookEndpoint(db, params.id, { limit: query.limit })).deliveries }),
);
