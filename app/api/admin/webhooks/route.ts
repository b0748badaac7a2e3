import { defineRoute } from "@/lib/http/define-route";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/outgoing-webhooks/endpoint-commands";
import { createdWebhookEndpointResponseSchema, webhookEndpointsResponseSchema } from "@/lib/outgoing-webhooks/response-schemas";
import { createWebhookEndpointSchema } from "@/lib/outgoing-webhooks/schemas";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/webhooks",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "Every outgoing webhook endpoint with its delivery counts (never its secret)",
    responses: { 200: webhookEndpointsResponseSchema },
  },
  async ({ db }) => Response.json({ endpoints: await listWebhookEndpoints(db) }),
);

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/webhooks",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "Register an endpoint; the answer carries its whsec_ signing secret, shown this once",
    description:
      "400 with a `url` field error when the URL is not http(s), carries credentials, does not resolve, or points at a loopback, private or link-local address whose host is not in WEBHOOK_ALLOWED_PRIVATE_HOSTS.",
    body: createWebhookEndpointSchema,
    responses: { 201: createdWebhookEndpointResponseSchema },
  },
  async ({ db, body, actor }) => Response.json(await createWebhookEndpoint(db, body, { actor }), { status: 201 }),
);
