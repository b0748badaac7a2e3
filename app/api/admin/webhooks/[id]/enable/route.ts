import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { enableWebhookEndpoint } from "@/lib/outgoing-webhooks/endpoint-commands";
import { webhookEndpointResponseSchema } from "@/lib/outgoing-webhooks/response-schemas";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/webhooks/[id]/enable",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "Switch a disabled endpoint back on (its failure record cleared; its alert clears on the next watchdog round)",
    params: z.object({ id: z.uuid() }),
    notFound: "That webhook endpoint was not found",
    responses: { 200: webhookEndpointResponseSchema },
  },
  async ({ db, params }) => Response.json(await enableWebhookEndpoint(db, params.id)),
);
