import { withPublic } from "@/lib/http/route-handlers";
import { assertWebhookSecret, readWebhookBody, triggerPullFromWebhook, webhookTarget } from "@/lib/webhooks/nextcloud";

export const dynamic = "force-dynamic";

/**
 * POST from Nextcloud 30+ webhook_listeners (no session): the shared secret in
 * `X-Holdfast-Webhook-Secret` (or `Authorization: Bearer`), compared in constant time; 503 while
 * NEXTCLOUD_WEBHOOK_SECRET is unset, 401 without the right secret. Optional `?server=&user=` in
 * the webhook URL, and Nextcloud's own body, narrow which calendars are pulled. 202 {calendars}.
 */
export const POST = withPublic(async ({ req, db }) => {
  assertWebhookSecret(req.headers);
  const target = webhookTarget(new URL(req.url), await readWebhookBody(req));
  const result = await triggerPullFromWebhook(db, target);
  return Response.json(result, { status: 202, headers: { "cache-control": "no-store" } });
});
