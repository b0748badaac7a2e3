import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings, type Booking } from "@/db/schema";
import { HoldfastError, notFound } from "@/lib/errors";
import type { Actor } from "./audit-context";
import { cancelBooking } from "./transitions";

export type CancelSeriesInput = {
  bookingId: string;
  /** The version of the chosen booking the admin saw; the later ones are taken as they are now. */
  version?: number;
  /** "this": only the chosen booking; "following": it and every later open booking of its series. */
  scope: "this" | "following";
  actor: Actor;
  reason?: string | null;
  now?: Date;
};

/**
 * Cancels a booking, or it and the rest of its series, through the one cancel transition (so each
 * one's mails, reminders and calendar push are queued as for a single cancel). All in one
 * transaction: given the caller's, it joins it; a refused one (changed meanwhile) undoes them all,
 * so the admin never ends up with half a series cancelled without knowing which half.
 */
export async function cancelSeries(db: Executor, input: CancelSeriesInput): Promise<Booking[]> {
  const [chosen] = await db.select().from(bookings).where(eq(bookings.id, input.bookingId));
  if (!chosen) throw notFound("That booking");
  const decision = { actor: input.actor, reason: input.reason, now: input.now };
  if (input.scope === "this" || !chosen.seriesId) return [await cancelBooking(db, { ...decision, bookingId: chosen.id, version: input.version })];
  return db.transaction(async (tx) => {
    const later = await openBookingsFrom(tx, chosen);
    const cancelled: Booking[] = [];
    for (const { id } of later) {
      cancelled.push(await cancelBooking(tx, { ...decision, bookingId: id, version: id === chosen.id ? input.version : undefined }));
    }
    return cancelled;
  });
}

/** The chosen booking and every later open one of its series, earliest first. */
function openBookingsFrom(db: Executor, chosen: Booking) {
  return db
    .select({ id: bookings.id, startsAt: bookings.startsAt })
    .from(bookings)
    .where(and(eq(bookings.seriesId, chosen.seriesId!), gte(bookings.startsAt, chosen.startsAt), inArray(bookings.status, ["pending", "confirmed"])))
    .orderBy(asc(bookings.startsAt));
}

export type SeriesCancelRefusal = { id: string; start: string; code: string; message: string };
export type CancelSeriesOutcome = { cancelled: Booking[]; refused: SeriesCancelRefusal[] };

/**
 * The customer's "this one" / "this and the following". The cancellation notice applies to each
 * confirmed booking on its own (cancelBooking checks it): the ones that start inside it are refused
 * and listed with the notice error, the later ones are still cancelled — a customer leaving a
 * weekly series tomorrow must not have to phone the studio for the ten weeks after. Each cancel is
 * a savepoint of one transaction, so a refusal undoes only itself; any other failure (the booking
 * changed meanwhile) undoes them all. When nothing could be cancelled the notice error itself is
 * thrown, as for a single booking.
 */
export async function cancelSeriesExceptInsideNotice(db: Executor, input: Omit<CancelSeriesInput, "version">): Promise<CancelSeriesOutcome> {
  const [chosen] = await db.select().from(bookings).where(eq(bookings.id, input.bookingId));
  if (!chosen) throw notFound("That booking");
  const decision = { actor: input.actor, reason: input.reason, now: input.now };
  return db.transaction(async (tx) => {
    const targets = input.scope === "following" && chosen.seriesId ? await openBookingsFrom(tx, chosen) : [chosen];
    const outcome: CancelSeriesOutcome = { cancelled: [], refused: [] };
    let firstRefusal: HoldfastError | null = null;
    for (const target of targets) {
      try {
        outcome.cancelled.push(await cancelBooking(tx, { ...decision, bookingId: target.id }));
      } catch (err) {
        if (!(err instanceof HoldfastError) || err.code !== "cancellation_window_passed") throw err;
        firstRefusal ??= err;
        outcome.refused.push({ id: target.id, start: target.startsAt.toISOString(), code: err.code, message: err.message });
      }
    }
    if (outcome.cancelled.length === 0 && firstRefusal) throw firstRefusal;
    return outcome;
  });
}
