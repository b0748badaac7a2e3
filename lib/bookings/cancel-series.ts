import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings, type Booking } from "@/db/schema";
import { notFound } from "@/lib/errors";
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
    const later = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .where(and(eq(bookings.seriesId, chosen.seriesId!), gte(bookings.startsAt, chosen.startsAt), inArray(bookings.status, ["pending", "confirmed"])))
      .orderBy(asc(bookings.startsAt));
    const cancelled: Booking[] = [];
    for (const { id } of later) {
      cancelled.push(await cancelBooking(tx, { ...decision, bookingId: id, version: id === chosen.id ? input.version : undefined }));
    }
    return cancelled;
  });
}
