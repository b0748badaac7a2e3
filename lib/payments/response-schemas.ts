/** What the payment routes answer, as zod schemas for GET /api/openapi.json. */
import { z } from "@/lib/zod";
import { paymentState } from "@/db/schema";
import { instantSchema } from "@/lib/http/response-schemas";

export const paymentSchema = z
  .strictObject({
    state: z.enum(paymentState.enumValues),
    amountCents: z.number().int().meta({ description: "The deposit asked for (0 = none)." }),
    currency: z.string().nullable(),
    paidCents: z.number().int(),
    paidAt: instantSchema.nullable(),
    refundedCents: z.number().int(),
    provider: z.enum(["stripe", "manual"]).nullable(),
    providerRef: z.string().nullable().meta({ description: "The Stripe Checkout Session id, or the reference an admin gave a manual payment." }),
  })
  .meta({ id: "BookingPayment" });

/** POST /api/admin/bookings/:id/payment → 200. */
export const paymentActionResponseSchema = z.strictObject({ payment: paymentSchema, version: z.number().int() });

/** The `payment` of POST /api/bookings for a deposit service. */
export const checkoutLinkSchema = z.strictObject({
  checkoutUrl: z.string().nullable().meta({ description: "Stripe Checkout; null in the manual mode (pay by bank transfer / at the studio)." }),
  amountCents: z.number().int(),
  currency: z.string(),
  expiresAt: instantSchema.nullable().meta({ description: "When the unpaid booking lets the slot go." }),
});

/** POST /api/webhooks/stripe → 200. */
export const stripeWebhookResponseSchema = z.strictObject({ received: z.literal(true), outcome: z.string() });

/** A payments ledger row on GET /api/admin/bookings/:id. */
export const paymentLedgerRowSchema = z.strictObject({
  id: z.uuid(),
  at: instantSchema,
  kind: z.enum(["checkout_opened", "checkout_expired", "paid", "refund_queued", "refunded", "kept"]),
  amountCents: z.number().int(),
  currency: z.string(),
  provider: z.enum(["stripe", "manual"]),
  providerRef: z.string().nullable(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  reason: z.string().nullable(),
});
