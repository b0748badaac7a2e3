import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { stripeWebhookResponseSchema } from "@/lib/payments/response-schemas";
import { receiveStripeWebhook } from "@/lib/payments/stripe-webhook";

export const dynamic = "force-dynamic";

/**
 * Stripe's webhook endpoint. The signature (Stripe-Signature, STRIPE_WEBHOOK_SECRET) is checked
 * on the raw body by lib/payments with the SDK's own verification, so the body is not parsed here.
 */
export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/webhooks/stripe",
    auth: "public",
    tags: ["operations"],
    summary: "Stripe events (checkout.session.completed / async_payment_succeeded / expired, charge.refunded), each applied once",
    description:
      "Signed by Stripe (`Stripe-Signature`, verified with STRIPE_WEBHOOK_SECRET); 400 for a bad or stale signature, 503 `not_configured` while the secret is unset. A repeated event id answers 200 with outcome `duplicate`.",
    body: z.object({}).catchall(z.unknown()).meta({ description: "Stripe's event JSON, verified against its signature." }),
    parseBody: false,
    responses: { 200: stripeWebhookResponseSchema },
    errors: [400, 413, 503],
  },
  async ({ req, db }) => Response.json(await receiveStripeWebhook(db, req), { headers: { "cache-control": "no-store" } }),
);
