import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { sendTestWebhook } from "@/lib/outgoing-webhooks/endpoint-commands";
import { queuedWebhookDeliveryResponseSchema } from "@/lib/outgoing-webhooks/response-schemas";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/webhooks/[id]/test",
    auth: "admin",
    tags: ["admin: webhooks"],
    summary: "Queue a signed webhook.test message to this endpoint (409 while it is disabled)",
    params: z.object({ id: z.uuid() }),
    notFound: "That webhook endpoint was not found",
    responses: { 202: queuedWebhookDeliveryResponseSchema },
    errors: [409],
  },
  async ({ db, params }) => Response.json(await sendTestWebhook(db, params.id), { status: 202 }),
);
