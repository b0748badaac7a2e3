import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { deleteWebhookEndpoint, getWebhookEndpoint } from "@/lib/outgoing-webhooks/endpoint-commands";
import { deletedWebhookEndpointResponseSchema, webhookEndpointResponseSchema } from "@/lib/outgoing-webhooks/response-schemas";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const notFound = "That webhook endpoint was not found";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/webhooks/[id]",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "One endpoint and its 50 latest deliveries (never its secret)",
    params,
    notFound,
    responses: { 200: webhookEndpointResponseSchema },
  },
  async ({ db, params }) => Response.json(await getWebhookEndpoint(db, params.id)),
);

export const DELETE = defineRoute(
  {
    method: "DELETE",
    path: "/api/admin/webhooks/[id]",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "Delete an endpoint with its delivery log; messages still waiting are dropped",
    params,
    notFound,
    responses: { 200: deletedWebhookEndpointResponseSchema },
  },
  async ({ db, params }) => Response.json(await deleteWebhookEndpoint(db, params.id)),
);
