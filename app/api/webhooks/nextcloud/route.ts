import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { readWebhookBody, triggerPullFromWebhook, webhookTarget } from "@/lib/webhooks/nextcloud";
import { webhookResponseSchema } from "@/lib/webhooks/response-schemas";

export const dynamic = "force-dynamic";

/**
 * Nextcloud 30+ webhook_listeners (no session). `auth: "webhook"` checks the shared secret first
 * (X-Holdfast-Webhook-Secret or Authorization: Bearer, constant time; 503 while
 * NEXTCLOUD_WEBHOOK_SECRET is unset, 401 without the right secret). Query and body are read by
 * lib/webhooks/nextcloud.ts, which never refuses Nextcloud's body and words its own 400.
 */
export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/webhooks/nextcloud",
    auth: "webhook",
    tags: ["operations"],
    summary: "Nextcloud 30+ webhook_listeners call: pull the matching calendars now",
    description:
      "Only a trigger: nothing in it is trusted as calendar data. `?server=` and `?user=` in the webhook URL, and `user.uid` / `event.calendarData.uri` in Nextcloud's body, narrow which calendars are pulled. 503 `not_configured` while NEXTCLOUD_WEBHOOK_SECRET is unset.",
    query: z.object({ server: z.url().optional().meta({ description: "An http(s) Nextcloud base URL" }), user: z.string().max(200).optional() }),
    parseQuery: false,
    body: z
      .object({})
      .catchall(z.unknown())
      .meta({ description: "Nextcloud's event JSON; optional, never refused (an empty, oversized or non-JSON body counts as none)." }),
    parseBody: false,
    responses: { 202: webhookResponseSchema },
    errors: [400],
  },
  async ({ req, db }) => {
    const target = webhookTarget(new URL(req.url), await readWebhookBody(req));
    const result = await triggerPullFromWebhook(db, target);
    return Response.json(result, { status: 202, headers: { "cache-control": "no-store" } });
  },
);
