import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings, type Booking } from "@/db/schema";
import { setAuditContext, type Actor } from "@/lib/bookings/audit-context";
import { BookingConflictError } from "@/lib/bookings/booking-conflict-error";
import { isInsideCancellationNotice } from "@/lib/bookings/cancellation-notice";
import { serializeBooking } from "@/lib/bookings/serialize-booking";
import { HoldfastError, notFound } from "@/lib/errors";
import type { EffectiveStudioSettings } from "@/lib/studio/studio-settings";
import { customerCancelRefundsDeposit } from "./deposit";
import { recordPayment, serializePayment } from "./ledger";
import { holdsMoney } from "./payment-states";
import { keepDeposit, queueRefund, refundAllHeld } from "./refunds";
import { enqueueBookingNotifications } from "@/lib/notifications/enqueue-notifications";
import type { PaymentActionInput } from "./schemas";

/**
 * What happens to a paid deposit when a booking ends early, by the studio's policy: the studio
 * rejecting or cancelling always refunds in full; a customer's cancellation refunds or keeps it
 * per `customerCancelRefund` (outside or inside the notice period). Runs inside the transition's
 * transaction, after its update, so the refund job commits with the status change.
 */
export async function settleDepositOnEnd(
  tx: Executor,
  booking: Booking,
  change: {
    kind: "rejected" | "cancelled";
    byCustomer: boolean;
    studio: Pick<EffectiveStudioSettings, "customerCancelRefund" | "cancellationNoticeHours">;
    actor: Actor;
    now: Date;
  },
): Promise<Booking> {
  if (!holdsMoney(booking.paymentState)) return booking;
  if (change.kind === "rejected" || !change.byCustomer) {
    return refundAllHeld(tx, booking, {
      actor: change.actor,
      reason: change.kind === "rejected" ? "request declined by the studio" : "cancelled by the studio",
    });
  }
  const insideNotice = isInsideCancellationNotice({ startsAt: booking.startsAt, noticeHours: change.studio.cancellationNoticeHours, now: change.now });
  if (customerCancelRefundsDeposit(change.studio.customerCancelRefund, insideNotice)) {
    return refundAllHeld(tx, booking, { actor: change.actor, reason: "cancelled by the customer (refunded by the studio's policy)" });
  }
  return keepDeposit(tx, booking, { actor: change.actor, reason: "cancelled by the customer (kept by the studio's policy)" });
}

/**
 * An admin's action on a booking's deposit (POST /api/admin/bookings/:id/payment and the panel):
 * mark a manual deposit paid, refund (all or part) of what is held, or mark a no-show (the
 * studio keeps it). The booking row is the lock and the version the admin saw must match.
 */
export async function applyPaymentAction(db: Executor, input: PaymentActionInput & { bookingId: string; actor: Actor; now?: Date }) {
  return db.transaction(async (tx) => {
    await setAuditContext(tx, input.actor, `payment: ${input.action}`);
    const [current] = await tx.select().from(bookings).where(eq(bookings.id, input.bookingId)).for("update");
    if (!current) throw notFound("That booking");
    if (current.version !== input.version) {
      throw new BookingConflictError("stale_version", `This booking was changed since you loaded it (now ${current.status}, version ${current.version})`, {
        current: serializeBooking(current),
      });
    }
    if (current.paymentState === "none") throw new HoldfastError("invalid_transition", "This booking has no deposit");
    const now = input.now ?? new Date();
    let updated: Booking;
    switch (input.action) {
      case "mark_paid": {
        if (current.paymentProvider !== "manual" || current.paymentState !== "due") {
          throw new HoldfastError(
            "invalid_transition",
            `Only a manual deposit that is still due can be marked paid (this one is ${current.paymentState.replace("_", " ")})`,
          );
        }
        if (!["pending", "confirmed", "completed"].includes(current.status)) {
          throw new HoldfastError("invalid_transition", `A ${current.status} booking's deposit cannot be marked paid`);
        }
        const amount = input.amountCents ?? current.depositCents;
        [updated] = (await tx
          .update(bookings)
          .set({ paymentState: "paid", paidCents: amount, paidAt: sql`now()` })
          .where(eq(bookings.id, current.id))
          .returning()) as [Booking];
        await recordPayment(tx, current, { kind: "paid", amountCents: amount, provider: "manual", providerRef: input.note ?? null, actor: input.actor });
        if (input.note) [updated] = (await tx.update(bookings).set({ paymentRef: input.note }).where(eq(bookings.id, current.id)).returning()) as [Booking];
        break;
      }
      case "refund":
        updated = await queueRefund(tx, current, input.amountCents ?? current.paidCents - current.refundedCents, {
          actor: input.actor,
          reason: input.note ?? "refunded by the studio",
        });
        // A manual refund is done when the admin records it (a Stripe one mails when its job completes).
        if (current.paymentProvider !== "stripe") {
          await enqueueBookingNotifications(tx, updated, ["deposit_refunded"], { refundedCents: updated.refundedCents - current.refundedCents });
        }
        break;
      case "mark_no_show": {
        if (!["confirmed", "completed"].includes(current.status))
          throw new HoldfastError("invalid_transition", `A ${current.status} booking cannot be a no-show`);
        if (current.startsAt.getTime() > now.getTime())
          throw new HoldfastError("invalid_transition", "A no-show can only be marked once the appointment has started");
        if (!holdsMoney(current.paymentState))
          throw new HoldfastError("invalid_transition", `Nothing to keep: the deposit is ${current.paymentState.replace("_", " ")}`);
        updated = await keepDeposit(tx, current, { actor: input.actor, reason: input.note ?? "no-show" });
        await enqueueBookingNotifications(tx, updated, ["deposit_kept"], { now });
        break;
      }
    }
    return { booking: updated, payment: serializePayment(updated) };
  });
}
