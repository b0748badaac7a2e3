import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { bookings, payments, type Booking } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { HoldfastError } from "@/lib/errors";
import { addJob } from "@/lib/jobs/add-job";
import { latestLedgerRow, recordPayment } from "./ledger";
import { holdsMoney, stateAfterRefund } from "./payment-states";
import { stripeClient } from "./stripe-client";
import { enqueueBookingNotifications } from "@/lib/notifications/enqueue-notifications";

/**
 * Gives `amountCents` of a booking's paid deposit back, inside the caller's transaction (which
 * holds the booking row): the booking's refunded amount and state change now, so the CHECK keeps
 * refunds within what was paid even when two admins click at once, and for Stripe a
 * `refund_deposit` job is queued in the same transaction. The job calls the Stripe API with an
 * idempotency key of its ledger row, so a retry after an outage never refunds twice. In the
 * manual mode the studio hands the money back itself; the row records that it did.
 */
export async function queueRefund(tx: Executor, booking: Booking, amountCents: number, opts: { actor: Actor; reason: string }): Promise<Booking> {
  const refundable = booking.paidCents - booking.refundedCents;
  if (!holdsMoney(booking.paymentState) && booking.paymentState !== "kept") {
    throw new HoldfastError("invalid_transition", `Nothing to refund: the deposit is ${booking.paymentState.replace("_", " ")}`);
  }
  if (!Number.isInteger(amountCents) || amountCents <= 0 || amountCents > refundable) {
    throw new HoldfastError("invalid_input", `A refund must be between 1 and ${refundable} cents`, { fields: { amountCents: [`must be 1–${refundable}`] } });
  }
  const refundedCents = booking.refundedCents + amountCents;
  const [updated] = await tx
    .update(bookings)
    .set({ refundedCents, paymentState: stateAfterRefund(booking.paidCents, refundedCents) })
    .where(eq(bookings.id, booking.id))
    .returning();
  const provider = booking.paymentProvider === "stripe" ? "stripe" : "manual";
  if (provider === "manual") {
    await recordPayment(tx, booking, { kind: "refunded", amountCents, provider, actor: opts.actor, detail: { reason: opts.reason } });
    return updated!;
  }
  const queued = await recordPayment(tx, booking, { kind: "refund_queued", amountCents, provider, actor: opts.actor, detail: { reason: opts.reason } });
  await addJob(
    tx,
    "refund_deposit",
    { refundId: queued!.id, bookingId: booking.id },
    { jobKey: `refund_deposit:${queued!.id}:${booking.id}`, maxAttempts: 15 },
  );
  return updated!;
}

/** The whole refundable rest of a deposit, or nothing when none is held. */
export async function refundAllHeld(tx: Executor, booking: Booking, opts: { actor: Actor; reason: string }): Promise<Booking> {
  if (!holdsMoney(booking.paymentState)) return booking;
  return queueRefund(tx, booking, booking.paidCents - booking.refundedCents, opts);
}

/** The studio keeps what it holds of the deposit (a no-show, a late cancellation by policy). */
export async function keepDeposit(tx: Executor, booking: Booking, opts: { actor: Actor; reason: string }): Promise<Booking> {
  if (!holdsMoney(booking.paymentState)) return booking;
  const [updated] = await tx.update(bookings).set({ paymentState: "kept" }).where(eq(bookings.id, booking.id)).returning();
  await recordPayment(tx, booking, {
    kind: "kept",
    amountCents: booking.paidCents - booking.refundedCents,
    provider: booking.paymentProvider === "stripe" ? "stripe" : "manual",
    actor: opts.actor,
    detail: { reason: opts.reason },
  });
  return updated!;
}

/**
 * The `refund_deposit` job: one Stripe refund per `refund_queued` ledger row. Idempotent: a row
 * already answered by a `refunded` row is done, and the Stripe idempotency key is the row's id,
 * so a crash between the API call and the record asks Stripe again and gets the same refund.
 * Throws on failure (the queue retries with backoff; out of attempts it shows in Outbox & jobs).
 */
export async function processQueuedRefund(db: Database, refundId: string): Promise<"refunded" | "already_done"> {
  const [queued] = await db.select().from(payments).where(eq(payments.id, refundId));
  if (!queued || queued.kind !== "refund_queued") throw new Error(`refund ${refundId} is not a queued refund`);
  const done = await db.execute(sql`select 1 from payments where booking_id = ${queued.bookingId} and kind = 'refunded' and detail->>'refundId' = ${refundId}`);
  if (done.rows.length > 0) return "already_done";
  const paid = await latestLedgerRow(db, queued.bookingId, "paid");
  const paymentIntent = typeof paid?.detail === "object" && paid.detail ? (paid.detail as { paymentIntent?: string }).paymentIntent : undefined;
  if (!paymentIntent) throw new Error(`booking ${queued.bookingId} has no Stripe payment to refund`);

  const refund = await stripeClient().refunds.create(
    { payment_intent: paymentIntent, amount: queued.amountCents, reason: "requested_by_customer", metadata: { bookingId: queued.bookingId, refundId } },
    { idempotencyKey: `holdfast-refund-${refundId}` },
  );
  await db.transaction(async (tx) => {
    const recorded = await recordPayment(
      tx,
      { id: queued.bookingId, currency: queued.currency },
      {
        kind: "refunded",
        amountCents: queued.amountCents,
        provider: "stripe",
        providerRef: refund.id,
        actor: { kind: "system", id: "refund-job" },
        detail: { refundId, status: refund.status },
      },
    );
    // The customer hears that the money went back once, with the refund row that records it.
    const [booking] = recorded ? await tx.select().from(bookings).where(eq(bookings.id, queued.bookingId)) : [];
    if (booking) await enqueueBookingNotifications(tx, booking, ["deposit_refunded"], { refundedCents: queued.amountCents });
  });
  return "refunded";
}
