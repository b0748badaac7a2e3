import { eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Executor, Transaction } from "@/db/client";
import { bookings, type Booking, type BookingStatus } from "@/db/schema";
import { nearbyFreeSlots } from "@/lib/availability/get-availability";
import { HoldfastError, notFound } from "@/lib/errors";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { queueBookingMessages, type BookingNotificationExtra } from "@/lib/notifications/enqueue-notifications";
import { queueBookingWebhook } from "@/lib/outgoing-webhooks/queue-webhook-event";
import type { NotificationKind } from "@/lib/notifications/templates";
import { loadBookable } from "@/lib/studio/load-bookable";
import { setAuditContext, type Actor } from "./audit-context";
import { BookingConflictError, conflictKindOf, isSlotConflict } from "./booking-conflict-error";
import { isInsideCancellationNotice } from "./cancellation-notice";
import { assertSlotOffered } from "./create-hold";
import { serializeBooking } from "./serialize-booking";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { childLogger } from "@/lib/log/logger";
import { settleDepositOnEnd } from "@/lib/payments/payment-commands";

const log = childLogger("bookings");

export type DecisionInput = {
  bookingId: string;
  /** The version the caller saw; a mismatch is a 409, never a silent overwrite. Omit only for customers acting through their signed link. */
  version?: number;
  actor: Actor;
  reason?: string | null;
  /** The clock of the change (tests pass it; reminders already due by then are skipped). */
  now?: Date;
};

type Transition = {
  verb: string;
  from: BookingStatus[];
  set: (current: Booking) => PgUpdateSetSource<typeof bookings>;
  notify: (current: Booking) => NotificationKind[];
  extra?: (current: Booking) => BookingNotificationExtra;
  check?: (tx: Transaction, current: Booking) => Promise<void>;
  /** What the change does to a paid deposit (lib/payments: refund or keep by policy). */
  settlePayment?: (tx: Transaction, updated: Booking, now: Date) => Promise<Booking>;
};

/**
 * Given the database it opens a transaction; given the caller's transaction it joins it (as a
 * savepoint), so a caller such as a conflict resolution can change the booking and its own rows
 * atomically, and a refused transition (slot taken) rolls back only its own part.
 */
async function applyTransition(db: Executor, input: DecisionInput, t: Transition): Promise<Booking> {
  return db.transaction(async (tx) => {
    await setAuditContext(tx, input.actor, input.reason);
    // The booking row is the lock: a concurrent decision waits here and then sees the new version.
    const [current] = await tx.select().from(bookings).where(eq(bookings.id, input.bookingId)).for("update");
    if (!current) throw notFound("That booking");
    if (input.version !== undefined && current.version !== input.version) {
      throw new BookingConflictError("stale_version", `This booking was changed since you loaded it (now ${current.status}, version ${current.version})`, {
        current: serializeBooking(current),
      });
    }
    if (!t.from.includes(current.status)) {
      throw new HoldfastError("invalid_transition", `A ${current.status} booking cannot be ${t.verb}`, { details: { current: serializeBooking(current) } });
    }
    await t.check?.(tx, current);
    const [changed] = await tx.update(bookings).set(t.set(current)).where(eq(bookings.id, current.id)).returning();
    const now = input.now ?? new Date();
    // The deposit follows the status in the same transaction (a refund job commits with a rejection).
    const updated = t.settlePayment ? await t.settlePayment(tx, changed!, now) : changed;
    await queueBookingMessages(tx, updated!, t.notify(current), { ...t.extra?.(current), previousStatus: current.status, now });
    await queueBookingWebhook(tx, updated!, { previous: current, now });
    await enqueueCalendarPush(tx, updated!);
    // Written just before the commit: a caller's enclosing transaction that rolls back afterwards is rare and logs its own error.
    log.info(
      { bookingId: current.id, from: current.status, to: updated!.status, change: t.verb, version: updated!.version, actor: input.actor.kind },
      "booking transition",
    );
    return updated!;
  });
}

export function approveBooking(db: Executor, input: DecisionInput) {
  return applyTransition(db, input, {
    verb: "approved",
    from: ["pending"],
    set: () => ({ status: "confirmed", confirmedAt: sql`now()`, decisionReason: input.reason ?? null }),
    notify: () => ["booking_confirmed"],
  });
}

export function rejectBooking(db: Executor, input: DecisionInput) {
  return applyTransition(db, input, {
    verb: "rejected",
    from: ["pending"],
    set: () => ({ status: "rejected", decisionReason: input.reason ?? null }),
    notify: () => ["booking_rejected"],
    extra: () => ({ reason: input.reason ?? null }),
    settlePayment: async (tx, updated, now) =>
      settleDepositOnEnd(tx, updated, { kind: "rejected", byCustomer: false, studio: await getStudioSettings(tx), actor: input.actor, now }),
  });
}

/** Customers may cancel a pending request any time, a confirmed booking only before the studio's notice period. */
export function cancelBooking(db: Executor, input: DecisionInput) {
  const byCustomer = input.actor.kind === "customer";
  return applyTransition(db, input, {
    verb: "cancelled",
    from: ["pending", "confirmed"],
    set: () => ({ status: "cancelled", cancelledAt: sql`now()`, decisionReason: input.reason ?? null }),
    notify: () => (byCustomer ? ["booking_cancelled", "studio_booking_cancelled"] : ["booking_cancelled"]),
    extra: () => ({ reason: input.reason ?? null, cancelledBy: byCustomer ? "customer" : "studio" }),
    settlePayment: async (tx, updated, now) =>
      settleDepositOnEnd(tx, updated, { kind: "cancelled", byCustomer, studio: await getStudioSettings(tx), actor: input.actor, now }),
    check: async (tx, current) => {
      if (!byCustomer || current.status !== "confirmed") return;
      const noticeHours = (await getStudioSettings(tx)).cancellationNoticeHours;
      const now = input.now ?? new Date();
      if (isInsideCancellationNotice({ startsAt: current.startsAt, noticeHours, now })) {
        throw new HoldfastError(
          "cancellation_window_passed",
          `Confirmed bookings can be cancelled online up to ${noticeHours} hours before they start; please contact the studio`,
          {
            details: { noticeHours },
          },
        );
      }
    },
  });
}

export function completeBooking(db: Executor, input: DecisionInput) {
  return applyTransition(db, input, {
    verb: "completed",
    from: ["confirmed"],
    set: () => ({ status: "completed" }),
    notify: () => [],
  });
}

/**
 * Moves a booking to a new start in one update of the same row: the exclusion constraint checks
 * the new time, so the old time is released only if the new one is won. Customers may only pick
 * an offered slot; admins may place it anywhere that does not overlap.
 */
export async function rescheduleBooking(db: Executor, input: DecisionInput & { start: Date }) {
  const [existing] = await db.select().from(bookings).where(eq(bookings.id, input.bookingId));
  if (!existing) throw notFound("That booking");
  const bookable = await loadBookable(db, existing.artistId, existing.serviceId);
  if (input.actor.kind === "customer") {
    await assertSlotOffered(db, bookable, input.start, { now: input.now, excludeBookingId: existing.id });
  } else if (input.start.getTime() < (input.now ?? new Date()).getTime()) {
    throw new HoldfastError("not_bookable", "A booking cannot be moved into the past", { fields: { start: ["must be in the future"] } });
  }
  const duration = existing.endsAt.getTime() - existing.startsAt.getTime();
  try {
    return await applyTransition(db, input, {
      verb: "rescheduled",
      from: ["pending", "confirmed"],
      set: () => ({ startsAt: input.start, endsAt: new Date(input.start.getTime() + duration) }),
      // The studio hears of every change a customer makes; its own changes it already knows.
      notify: () => (input.actor.kind === "customer" ? ["booking_rescheduled", "studio_booking_rescheduled"] : ["booking_rescheduled"]),
      extra: (current) => ({ previousStartsAt: current.startsAt, previousEndsAt: current.endsAt }),
    });
  } catch (err) {
    if (isSlotConflict(err)) {
      const kind = conflictKindOf(err);
      const message =
        kind === "no_room_free"
          ? "No room or station is free at the new time; the booking keeps its old time"
          : "The new time is taken; the booking keeps its old time";
      throw new BookingConflictError(kind, message, {
        alternatives: await nearbyFreeSlots(db, bookable, input.start, 5, { excludeBookingId: existing.id, now: input.now }),
        cause: err,
      });
    }
    throw err;
  }
}

/** Flips every hold past its expiry to `expired` (the availability query already ignores them). */
export async function expireStaleHolds(db: Executor, actor: Actor = { kind: "system", id: "expire-holds" }) {
  return db.transaction(async (tx) => {
    await setAuditContext(tx, actor, "hold expired");
    const result = await tx.execute<{ id: string }>(
      sql`update bookings set status = 'expired' where status = 'hold' and hold_expires_at <= now() returning id`,
    );
    return result.rows.length;
  });
}
