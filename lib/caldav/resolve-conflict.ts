/**
 * An admin's one-click answer to a calendar conflict:
 * - keep_booking: the booking stands as it is; its event is written again (re-created if the
 *   artist deleted it, under a fresh UID if the server remembers the old one);
 * - accept_calendar: the calendar's version becomes the booking's (deleted → rejected/cancelled,
 *   moved → rescheduled, confirmed → approved; an overlapping artist event wins → cancelled);
 * - cancel_booking: cancelled, with the usual e-mail to the customer.
 * Booking changes go through the regular transitions, so they are audited under the admin's
 * name, notify the customer and queue the calendar push.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Database, Executor } from "@/db/client";
import { bookings, calendarConflicts, type Booking, type CalendarConflict } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { cancelBooking, rejectBooking } from "@/lib/bookings/transitions";
import { HoldfastError, notFound } from "@/lib/errors";
import { applyEditToBooking, type ArtistEdit } from "./apply-artist-edits";
import { bookingShowsInCalendar } from "./booking-event";
import { enqueueCalendarPush } from "./enqueue-calendar-push";

export const conflictResolutionSchema = z.enum(["keep_booking", "accept_calendar", "cancel_booking"]);
export type ConflictResolution = z.infer<typeof conflictResolutionSchema>;

const detailsSchema = z.object({ start: z.string().datetime().nullish(), end: z.string().datetime().nullish() }).passthrough();

function editFromConflict(conflict: CalendarConflict): ArtistEdit | "cancel" {
  switch (conflict.kind) {
    case "event_deleted":
      return { kind: "event_deleted" };
    case "event_confirmed":
      return { kind: "event_confirmed" };
    case "event_moved": {
      const details = detailsSchema.parse(conflict.details);
      if (!details.start || !details.end) throw new HoldfastError("internal", "This conflict does not say where the event was moved to");
      return { kind: "event_moved", start: new Date(details.start), end: new Date(details.end) };
    }
    default:
      // An artist event over a booking: accepting the calendar means the booking gives way.
      return "cancel";
  }
}

async function closeBooking(tx: Executor, booking: Booking, actor: Actor, reason: string) {
  if (booking.status === "pending") return rejectBooking(tx, { bookingId: booking.id, actor, reason });
  if (booking.status === "confirmed") return cancelBooking(tx, { bookingId: booking.id, actor, reason });
  return booking;
}

/**
 * One transaction, the conflict row as the lock: two admins answering the same conflict at once
 * are served one after the other, and the second is told it is already resolved (409) instead of
 * acting on a booking the first one just changed. The booking changes and the conflict's
 * resolution commit together, so a failed change leaves the conflict open.
 */
export async function resolveConflict(db: Database, conflictId: string, resolution: ConflictResolution, actor: Actor): Promise<CalendarConflict> {
  conflictResolutionSchema.parse(resolution);
  return db.transaction(async (tx) => {
    const [conflict] = await tx.select().from(calendarConflicts).where(eq(calendarConflicts.id, conflictId)).for("update");
    if (!conflict) throw notFound("That conflict");
    if (conflict.status !== "open") throw new HoldfastError("invalid_transition", `This conflict was already resolved (${conflict.resolution ?? "resolved"})`);
    const [booking] = conflict.bookingId ? await tx.select().from(bookings).where(eq(bookings.id, conflict.bookingId)).for("update") : [];

    if (booking && bookingShowsInCalendar(booking.status) && resolution !== "keep_booking") {
      if (resolution === "cancel_booking") {
        await closeBooking(tx, booking, actor, "Cancelled after a calendar conflict");
      } else {
        const edit = editFromConflict(conflict);
        if (edit === "cancel") await closeBooking(tx, booking, actor, "The artist's calendar has another appointment at this time");
        else await applyEditToBooking(tx, booking, edit, actor);
      }
    }

    const [resolved] = await tx
      .update(calendarConflicts)
      .set({ status: "resolved", resolution, resolvedBy: `${actor.kind}:${actor.id ?? ""}`, resolvedAt: sql`now()` })
      .where(and(eq(calendarConflicts.id, conflictId), eq(calendarConflicts.status, "open")))
      .returning();
    if (!resolved) throw new HoldfastError("invalid_transition", "This conflict was resolved by someone else a moment ago");
    // Pushes were held while the conflict was open: write the booking's state now, whatever the resolution.
    if (booking) await enqueueCalendarPush(tx, booking);
    return resolved;
  });
}
