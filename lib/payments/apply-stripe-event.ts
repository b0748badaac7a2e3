import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database, Transaction } from "@/db/client";
import { bookings, payments, stripeEvents, type Booking } from "@/db/schema";
import { setAuditContext, type Actor } from "@/lib/bookings/audit-context";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { queueBookingMessages } from "@/lib/notifications/enqueue-notifications";
import { queueBookingWebhook } from "@/lib/outgoing-webhooks/queue-webhook-event";
import { loadDepositTerms, recordPayment } from "./ledger";
import { stateAfterRefund } from "./payment-states";
import { refundAllHeld } from "./refunds";

const stripeActor: Actor = { kind: "system", id: "stripe" };

export type StripeEventOutcome =
  "duplicate" | "ignored" | "unknown_booking" | "awaiting_async_payment" | "paid" | "already_paid" | "paid_late_refund_queued" | "expired" | "refund_recorded";

/**
 * Applies one verified Stripe event, exactly once: its id goes into `stripe_events` in the same
 * transaction as its effect, so a repeated delivery (or 50 at once: the primary key makes the
 * others wait and then do nothing) is a no-op, and a failure rolls both back for Stripe to retry.
 * Every change reads the booking FOR UPDATE and checks its current state, so events in any order
 * are harmless: an `expired` after the payment changes nothing, a payment after the expiry is
 * refunded (never silently kept, and visible on the booking).
 */
export async function applyStripeEvent(db: Database, event: Stripe.Event, opts: { now?: Date } = {}): Promise<StripeEventOutcome> {
  return db.transaction(async (tx) => {
    await setAuditContext(tx, stripeActor, `stripe ${event.type}`);
    const bookingId = bookingIdOf(event);
    const [fresh] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, bookingId: bookingId && isUuid(bookingId) ? bookingId : null })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!fresh) return "duplicate";
    switch (event.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded": {
        const session = event.data.object;
        if (session.payment_status !== "paid" && session.payment_status !== "no_payment_required") return "awaiting_async_payment";
        return applyCheckoutPaid(tx, session, { eventId: event.id, now: opts.now });
      }
      case "checkout.session.expired":
        return applyCheckoutExpired(tx, event.data.object);
      case "charge.refunded":
        return applyChargeRefunded(tx, event.data.object);
      default:
        return "ignored";
    }
  });
}

function bookingIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as { client_reference_id?: string | null; metadata?: Record<string, string> | null };
  return object.client_reference_id ?? object.metadata?.bookingId ?? null;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

async function lockBooking(tx: Transaction, id: string | null): Promise<Booking | undefined> {
  if (!id || !isUuid(id)) return undefined;
  const [booking] = await tx.select().from(bookings).where(eq(bookings.id, id)).for("update");
  return booking;
}

/**
 * A paid Checkout Session. Shared by the webhook and the expiry tick (which asks Stripe about a
 * session it could not expire because it was already paid): the ledger's unique `paid` row per
 * session makes whichever comes second a no-op.
 */
export async function applyCheckoutPaid(
  tx: Transaction,
  session: Stripe.Checkout.Session,
  opts: { eventId?: string; now?: Date },
): Promise<"paid" | "already_paid" | "paid_late_refund_queued" | "unknown_booking"> {
  const booking = await lockBooking(tx, session.client_reference_id ?? session.metadata?.bookingId ?? null);
  if (!booking || booking.paymentProvider !== "stripe") return "unknown_booking";
  const amount = session.amount_total ?? 0;
  const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  const recorded = await recordPayment(tx, booking, {
    kind: "paid",
    amountCents: amount,
    provider: "stripe",
    providerRef: session.id,
    actor: stripeActor,
    detail: { paymentIntent, eventId: opts.eventId ?? null, currency: session.currency },
  });
  if (!recorded || amount <= 0) return "already_paid";

  if (booking.status === "awaiting_payment" && (booking.paymentRef === null || booking.paymentRef === session.id)) {
    const { autoConfirm } = await loadDepositTerms(tx, booking.artistId, booking.serviceId);
    const [updated] = await tx
      .update(bookings)
      .set({
        status: autoConfirm ? "confirmed" : "pending",
        paymentState: "paid",
        paidCents: amount,
        paidAt: sql`now()`,
        paymentRef: session.id,
        holdExpiresAt: null,
        confirmedAt: autoConfirm ? sql`now()` : null,
      })
      .where(eq(bookings.id, booking.id))
      .returning();
    await queueBookingMessages(tx, updated!, autoConfirm ? ["booking_confirmed", "studio_new_booking"] : ["request_received", "studio_new_request"], {
      previousStatus: "awaiting_payment",
      now: opts.now,
    });
    await queueBookingWebhook(tx, updated!, { previous: booking, now: opts.now });
    await enqueueCalendarPush(tx, updated!);
    return "paid";
  }

  // Paid after the booking stopped waiting (expired, or another session): the money goes back.
  const [withMoney] = await tx
    .update(bookings)
    .set({
      paymentState: stateAfterRefund(booking.paidCents + amount, booking.refundedCents),
      paidCents: booking.paidCents + amount,
      paidAt: sql`coalesce(paid_at, now())`,
    })
    .where(eq(bookings.id, booking.id))
    .returning();
  await refundAllHeld(tx, withMoney!, { actor: stripeActor, reason: `paid after the booking was ${booking.status}: refunded automatically` });
  return "paid_late_refund_queued";
}

async function applyCheckoutExpired(tx: Transaction, session: Stripe.Checkout.Session): Promise<"expired" | "ignored" | "unknown_booking"> {
  const booking = await lockBooking(tx, session.client_reference_id ?? session.metadata?.bookingId ?? null);
  if (!booking) return "unknown_booking";
  return (await expireAwaitingBooking(tx, booking, session.id)) ? "expired" : "ignored";
}

/** Frees the slot of a booking still waiting for this session's payment; false when it is not. */
export async function expireAwaitingBooking(tx: Transaction, booking: Booking, sessionId: string | null): Promise<boolean> {
  if (booking.status !== "awaiting_payment") return false;
  if (sessionId !== null && booking.paymentRef !== null && booking.paymentRef !== sessionId) return false;
  await tx.update(bookings).set({ status: "expired", holdExpiresAt: booking.holdExpiresAt }).where(eq(bookings.id, booking.id));
  await recordPayment(tx, booking, { kind: "checkout_expired", amountCents: 0, provider: "stripe", providerRef: sessionId, actor: stripeActor });
  return true;
}

/**
 * A refund seen by Stripe (ours, or one made in the Stripe dashboard). Refunds Holdfast queued
 * are already counted on the booking; a larger total from Stripe is recorded as a refund made
 * outside Holdfast. Only ever raises the refunded amount, so the order of events does not matter.
 */
async function applyChargeRefunded(tx: Transaction, charge: Stripe.Charge): Promise<"refund_recorded" | "ignored" | "unknown_booking"> {
  const paymentIntent = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  if (!paymentIntent) return "ignored";
  const [paid] = await tx
    .select({ bookingId: payments.bookingId })
    .from(payments)
    .where(and(eq(payments.kind, "paid"), eq(payments.provider, "stripe"), sql`${payments.detail}->>'paymentIntent' = ${paymentIntent}`))
    .limit(1);
  const booking = await lockBooking(tx, paid?.bookingId ?? charge.metadata?.bookingId ?? null);
  if (!booking) return "unknown_booking";
  const total = Math.min(charge.amount_refunded, booking.paidCents);
  if (total <= booking.refundedCents) return "ignored";
  await tx
    .update(bookings)
    .set({ refundedCents: total, paymentState: stateAfterRefund(booking.paidCents, total) })
    .where(eq(bookings.id, booking.id));
  await recordPayment(tx, booking, {
    kind: "refunded",
    amountCents: total - booking.refundedCents,
    provider: "stripe",
    actor: stripeActor,
    detail: { chargeId: charge.id, source: "stripe (outside Holdfast)" },
  });
  return "refund_recorded";
}
