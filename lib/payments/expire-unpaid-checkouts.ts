import { childLogger } from "@/lib/log/logger";
import { and, eq, lte, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Database } from "@/db/client";
import { bookings } from "@/db/schema";
import { setAuditContext, type Actor } from "@/lib/bookings/audit-context";
import { applyCheckoutPaid, expireAwaitingBooking } from "./apply-stripe-event";
import { stripeClient, stripeConfigured } from "./stripe-client";

const log = childLogger("payments");

const tickActor: Actor = { kind: "system", id: "expire-checkouts" };

export type ExpireCheckoutsResult = { expired: number; paid: number; deferred: number };

/**
 * Frees the slots of bookings whose checkout ran past the studio's payment window. The session
 * is expired through the Stripe API first (outside any transaction), and only then is the booking
 * marked expired: Stripe refuses to expire a session that was already paid, and then the payment
 * is applied instead (the webhook may be late), so a paid customer never loses the slot. When
 * Stripe cannot be reached the booking keeps blocking until a later tick gets an answer.
 */
export async function expireUnpaidCheckouts(db: Database, opts: { now?: Date; limit?: number } = {}): Promise<ExpireCheckoutsResult> {
  const now = opts.now ?? new Date();
  const due = await db
    .select({ id: bookings.id, paymentRef: bookings.paymentRef })
    .from(bookings)
    .where(and(eq(bookings.status, "awaiting_payment"), lte(bookings.holdExpiresAt, now)))
    .orderBy(bookings.holdExpiresAt)
    .limit(opts.limit ?? 50);
  const result: ExpireCheckoutsResult = { expired: 0, paid: 0, deferred: 0 };
  for (const row of due) {
    let paidSession: Stripe.Checkout.Session | null = null;
    if (row.paymentRef && stripeConfigured()) {
      try {
        await stripeClient().checkout.sessions.expire(row.paymentRef);
      } catch (err) {
        if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) {
          result.deferred++;
          log.warn({ bookingId: row.id, checkoutSession: row.paymentRef, err }, "could not expire the checkout");
          continue;
        }
        // Not open any more: paid (apply it) or already expired (fall through and free the slot).
        try {
          const session = await stripeClient().checkout.sessions.retrieve(row.paymentRef);
          if (session.status === "complete") paidSession = session;
        } catch (retrieveErr) {
          result.deferred++;
          log.warn({ bookingId: row.id, checkoutSession: row.paymentRef, err: retrieveErr }, "could not read the checkout");
          continue;
        }
      }
    }
    await db.transaction(async (tx) => {
      await setAuditContext(tx, tickActor, paidSession ? "checkout paid (found by the expiry tick)" : "checkout expired unpaid");
      if (paidSession && (paidSession.payment_status === "paid" || paidSession.payment_status === "no_payment_required")) {
        const outcome = await applyCheckoutPaid(tx, paidSession, { now });
        if (outcome === "paid") result.paid++;
        return;
      }
      const [booking] = await tx.select().from(bookings).where(eq(bookings.id, row.id)).for("update");
      if (booking && booking.holdExpiresAt && booking.holdExpiresAt <= now && (await expireAwaitingBooking(tx, booking, null))) result.expired++;
    });
  }
  return result;
}

/** How many bookings are waiting for a payment right now (for the health report). */
export async function countAwaitingPayment(db: Database): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from bookings where status = 'awaiting_payment'`);
  return r.rows[0]?.n ?? 0;
}
