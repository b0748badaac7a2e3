import Stripe from "stripe";
import { readEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";

/**
 * The official Stripe SDK, configured from the environment. STRIPE_API_BASE points it at a
 * Stripe-compatible server (the tests' fake) through the SDK's own host/port/protocol options.
 * readEnv, not getEnv: the worker and the tests call this with only part of the configuration.
 */
let cached: { key: string; base: string | undefined; client: Stripe } | undefined;

export function stripeConfigured(): boolean {
  return Boolean(readEnv(["STRIPE_SECRET_KEY"]).STRIPE_SECRET_KEY);
}

export function stripeClient(): Stripe {
  const { STRIPE_SECRET_KEY: key, STRIPE_API_BASE: base } = readEnv(["STRIPE_SECRET_KEY", "STRIPE_API_BASE"]);
  if (!key) throw new HoldfastError("not_configured", "Stripe is not configured (STRIPE_SECRET_KEY is unset)");
  if (cached && cached.key === key && cached.base === base) return cached.client;
  const target = base ? new URL(base) : undefined;
  const client = new Stripe(key, {
    // Our own retries (the job queue, the customer's retry) are idempotent by key; the SDK's one
    // retry also reuses its idempotency key.
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === "https:" ? 443 : 80),
          protocol: target.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
  cached = { key, base, client };
  return client;
}

/** A Stripe API failure the caller should retry later (network, 5xx, rate limit), as opposed to a refusal. */
export function isStripeOutage(err: unknown): boolean {
  if (!(err instanceof Stripe.errors.StripeError)) return false;
  return err.type === "StripeConnectionError" || err.type === "StripeAPIError" || err.type === "StripeRateLimitError" || (err.statusCode ?? 0) >= 500;
}

/** Verifies Stripe's signature on the raw body with the endpoint secret; throws on a bad or stale one. */
export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event {
  const { STRIPE_WEBHOOK_SECRET: secret } = readEnv(["STRIPE_WEBHOOK_SECRET"]);
  if (!secret) throw new HoldfastError("not_configured", "The Stripe webhook is not configured (STRIPE_WEBHOOK_SECRET is unset)");
  if (!signature) throw new HoldfastError("bad_request", "Missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (err) {
    throw new HoldfastError("bad_request", "The Stripe signature does not match this endpoint's secret (or is too old)", { cause: err });
  }
}
