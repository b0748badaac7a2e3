import { addMinutes } from "date-fns";
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { artists, bookings, services, type Booking } from "@/db/schema";
import { manageUrl } from "@/lib/auth/booking-token";
import { appUrl } from "@/lib/app-url";
import { setAuditContext, systemActor } from "@/lib/bookings/audit-context";
import { HoldfastError } from "@/lib/errors";
import { latestLedgerRow, recordPayment } from "./ledger";
import { stripeClient } from "./stripe-client";

export type CheckoutLink = { checkoutUrl: string | null; amountCents: number; currency: string; expiresAt: string | null };

/** Stripe refuses a Checkout Session that expires sooner than 30 minutes after it is created. */
const STRIPE_MIN_EXPIRY_MINUTES = 31;

/**
 * Opens (or finds again) the Stripe Checkout Session of a booking in `awaiting_payment`. Runs
 * after the booking's transaction committed (no network call inside a transaction). The Stripe
 * idempotency key is the booking id, so a retried submission (the customer's retry after an
 * outage, a replay by Idempotency-Key) gets the same session rather than a second one. The URL is
 * kept in the ledger's `checkout_opened` row so a replay can answer it without calling Stripe.
 */
export async function openCheckout(db: Database, booking: Booking, opts: { now?: Date } = {}): Promise<CheckoutLink> {
  const base = { amountCents: booking.depositCents, currency: booking.currency ?? "EUR" };
  const opened = await latestLedgerRow(db, booking.id, "checkout_opened");
  if (opened) {
    const detail = opened.detail as { url?: string; expiresAt?: string };
    return { ...base, checkoutUrl: detail.url ?? null, expiresAt: booking.holdExpiresAt?.toISOString() ?? null };
  }
  if (booking.status !== "awaiting_payment" || !booking.holdExpiresAt) {
    return { ...base, checkoutUrl: null, expiresAt: null };
  }
  const [names] = await db
    .select({ artist: artists.name, service: services.name })
    .from(artists)
    .innerJoin(services, eq(services.id, booking.serviceId))
    .where(eq(artists.id, booking.artistId));
  const now = opts.now ?? new Date();
  // Stripe's own expiry a little after ours: our tick expires the session first (via the API)
  // and only then frees the slot, so a payment can never land on a slot already given away.
  const stripeExpiry = new Date(Math.max(addMinutes(booking.holdExpiresAt, 2).getTime(), addMinutes(now, STRIPE_MIN_EXPIRY_MINUTES).getTime()));
  const manage = manageUrl(appUrl(), booking);
  let session;
  try {
    session = await stripeClient().checkout.sessions.create(
      {
        mode: "payment",
        client_reference_id: booking.id,
        customer_email: booking.customerEmail ?? undefined,
        metadata: { bookingId: booking.id },
        payment_intent_data: { metadata: { bookingId: booking.id } },
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: base.currency.toLowerCase(),
              unit_amount: booking.depositCents,
              product_data: { name: `Deposit: ${names?.service ?? "appointment"} with ${names?.artist ?? "the studio"}` },
            },
          },
        ],
        expires_at: Math.floor(stripeExpiry.getTime() / 1000),
        // Back on the confirmation page, which reads the state (never trusts the return itself).
        success_url: `${manage.replace(`/bookings/${booking.id}?`, `/bookings/${booking.id}/confirmed?`)}&checkout=returned`,
        cancel_url: `${manage}&checkout=cancelled`,
      },
      { idempotencyKey: `holdfast-checkout-${booking.id}` },
    );
  } catch (err) {
    throw new HoldfastError("unavailable", "The payment page could not be opened just now; please try again in a minute (your time is held)", {
      cause: err,
      headers: { "retry-after": "30" },
    });
  }
  await db.transaction(async (tx) => {
    await setAuditContext(tx, systemActor, "checkout opened");
    const [updated] = await tx
      .update(bookings)
      .set({ paymentRef: session.id })
      .where(and(eq(bookings.id, booking.id), isNull(bookings.paymentRef)))
      .returning({ id: bookings.id });
    if (updated) {
      await recordPayment(tx, booking, {
        kind: "checkout_opened",
        amountCents: booking.depositCents,
        provider: "stripe",
        providerRef: session.id,
        actor: systemActor,
        detail: { url: session.url, expiresAt: booking.holdExpiresAt!.toISOString() },
      });
    }
  });
  return { ...base, checkoutUrl: session.url, expiresAt: booking.holdExpiresAt.toISOString() };
}

/** The `payment` part of POST /api/bookings: the checkout to go to, or (manual mode) what is due; null without a deposit. */
export async function paymentForRequest(db: Database, booking: Booking, opts: { now?: Date } = {}): Promise<CheckoutLink | null> {
  if (booking.depositCents === 0) return null;
  if (booking.paymentProvider === "stripe" && booking.status === "awaiting_payment") return openCheckout(db, booking, opts);
  return { checkoutUrl: null, amountCents: booking.depositCents, currency: booking.currency ?? "EUR", expiresAt: null };
}
