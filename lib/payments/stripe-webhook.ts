import type { Database } from "@/db/client";
import { HoldfastError } from "@/lib/errors";
import { applyStripeEvent, type StripeEventOutcome } from "./apply-stripe-event";
import { verifyStripeEvent } from "./stripe-client";

const MAX_EVENT_BYTES = 512 * 1024;

/** POST /api/webhooks/stripe: the raw body is verified with the endpoint secret, then applied once. */
export async function receiveStripeWebhook(db: Database, req: Request): Promise<{ received: true; outcome: StripeEventOutcome }> {
  const raw = await req.text();
  if (Buffer.byteLength(raw) > MAX_EVENT_BYTES) throw new HoldfastError("payload_too_large", "A Stripe event is never this large");
  const event = verifyStripeEvent(raw, req.headers.get("stripe-signature"));
  return { received: true, outcome: await applyStripeEvent(db, event) };
}
