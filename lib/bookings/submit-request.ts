import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { bookings, services, type Booking } from "@/db/schema";
import { holdTokenMatches } from "@/lib/auth/booking-token";
import { nearbyFreeSlots } from "@/lib/availability/get-availability";
import { HoldfastError } from "@/lib/errors";
import { validateIntake, type IntakeInput } from "@/lib/intake/answers";
import { parseStoredQuestions } from "@/lib/intake/questions";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { queueBookingMessages } from "@/lib/notifications/enqueue-notifications";
import { queueBookingWebhook } from "@/lib/outgoing-webhooks/queue-webhook-event";
import { loadBookable } from "@/lib/studio/load-bookable";
import { paymentForRequest, type CheckoutLink } from "@/lib/payments/checkout";
import { depositOnRequest } from "@/lib/payments/deposit-on-request";
import { setAuditContext, type Actor } from "./audit-context";
import { BookingConflictError, isSlotConflict } from "./booking-conflict-error";

export type SubmitRequestInput = {
  holdId: string;
  holdToken: string;
  customer: { name: string; email: string; phone?: string | null };
  notes?: string | null;
  customerTimezone?: string | null;
  idempotencyKey: string;
  /** Answers to the service's intake questions and its consent line, checked against the service here. */
  intake?: IntakeInput | null;
  actor: Actor;
  /** The clock of the submission (tests pass it; reminders already due by then are skipped). */
  now?: Date;
};

export type SubmitRequestResult = { booking: Booking; replayed: boolean; payment?: CheckoutLink | null };

/**
 * Turns a hold into a request (or straight into a confirmed booking for auto-confirm services).
 * Idempotent by key: the same key returns the same booking, so a double click or a retried
 * request never makes two. The hold row itself is the lock.
 */
export async function submitRequest(db: Database, input: SubmitRequestInput): Promise<SubmitRequestResult> {
  try {
    const submitted = await db.transaction(async (tx): Promise<SubmitRequestResult> => {
      await setAuditContext(tx, input.actor);
      const [byKey] = await tx.select().from(bookings).where(eq(bookings.idempotencyKey, input.idempotencyKey)).limit(1);
      if (byKey && byKey.id !== input.holdId) {
        throw new HoldfastError("idempotency_conflict", "This Idempotency-Key was already used for another booking");
      }

      const [hold] = await tx.select().from(bookings).where(eq(bookings.id, input.holdId)).for("update");
      // The same answer for "no such hold" and "wrong token": a guessed id reveals nothing.
      if (!hold) throw new HoldfastError("not_found", "That hold was not found");
      // A replay proves itself with the same hold token as the first call: the key alone (which may
      // leak through logs or a shared screen) must never hand out the booking and its manage link.
      if (!holdTokenMatches(input.holdToken, hold.holdTokenHash)) throw new HoldfastError("not_found", "That hold was not found");
      if (hold.idempotencyKey === input.idempotencyKey) return { booking: hold, replayed: true };
      if (hold.status === "expired") {
        throw new BookingConflictError("slot_taken", "Your hold ran out and someone else took the time");
      }
      if (hold.status !== "hold") {
        throw new HoldfastError("already_submitted", "This hold was already submitted", { details: { bookingId: hold.id, status: hold.status } });
      }

      const [service] = await tx
        .select({
          autoConfirm: services.autoConfirm,
          intakeQuestions: services.intakeQuestions,
          consentText: services.consentText,
          currency: services.currency,
          asksReferenceImages: services.asksReferenceImages,
        })
        .from(services)
        .where(eq(services.id, hold.serviceId));
      const autoConfirm = service?.autoConfirm ?? false;
      // Checked against the service as it is now, inside the transaction: the answers are stored with the request or not at all.
      const intake = validateIntake(
        {
          questions: parseStoredQuestions(service?.intakeQuestions),
          consentText: service?.consentText ?? "",
          currency: service?.currency ?? "EUR",
          asksReferenceImages: service?.asksReferenceImages ?? false,
        },
        input.intake,
      );
      if (!intake.ok) throw new HoldfastError("invalid_input", "Some answers are missing or not valid", { fields: intake.fields });
      const deposit = await depositOnRequest(tx, hold);
      // An expired hold that nobody else took is still honoured; the exclusion constraint
      // re-checks the slot on this update, so that is safe.
      const [booking] = await tx
        .update(bookings)
        .set({
          status: autoConfirm ? "confirmed" : "pending",
          customerName: input.customer.name,
          customerEmail: input.customer.email,
          customerPhone: input.customer.phone ?? null,
          customerTimezone: input.customerTimezone ?? hold.customerTimezone,
          notes: input.notes ?? null,
          intakeAnswers: intake.stored,
          consentGivenAt: intake.consentGiven ? sql`now()` : null,
          idempotencyKey: input.idempotencyKey,
          // The hash stays: a replay of this submission must show the same hold token (see above).
          holdExpiresAt: null,
          submittedAt: sql`now()`,
          confirmedAt: autoConfirm ? sql`now()` : null,
          // Price and deposit as booked; a deposit paid through Stripe makes it awaiting_payment (lib/payments).
          ...deposit.columns,
        })
        .where(eq(bookings.id, hold.id))
        .returning();
      // In the checkout: the mails, the calendar push and the webhook follow the payment (applyCheckoutPaid).
      if (deposit.awaitingPayment) return { booking: booking!, replayed: false };

      await queueBookingMessages(tx, booking!, autoConfirm ? ["booking_confirmed", "studio_new_booking"] : ["request_received", "studio_new_request"], {
        previousStatus: "hold",
        now: input.now,
      });
      await queueBookingWebhook(tx, booking!, { previous: hold, now: input.now });
      await enqueueCalendarPush(tx, booking!);
      return { booking: booking!, replayed: false };
    });
    // After the commit (no network call inside a transaction): the Stripe checkout, if one is due.
    return { ...submitted, payment: await paymentForRequest(db, submitted.booking, { now: input.now }) };
  } catch (err) {
    if (err instanceof BookingConflictError || isSlotConflict(err)) {
      const [hold] = await db.select().from(bookings).where(eq(bookings.id, input.holdId));
      const alternatives = hold ? await nearbyFreeSlots(db, await loadBookable(db, hold.artistId, hold.serviceId), hold.startsAt) : [];
      throw new BookingConflictError("slot_taken", "Your hold ran out and someone else took the time", { alternatives, cause: err });
    }
    throw err;
  }
}
