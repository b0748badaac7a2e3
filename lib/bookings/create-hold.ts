import { randomUUID } from "node:crypto";
import { formatInTimeZone } from "date-fns-tz";
import { addMinutes } from "date-fns";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { bookings, type Booking } from "@/db/schema";
import { newHoldToken } from "@/lib/auth/booking-token";
import { findSlots } from "@/lib/availability/find-slots";
import { loadBlockedIntervals } from "@/lib/availability/load-blocked-intervals";
import { nearbyFreeSlots } from "@/lib/availability/get-availability";
import { HoldfastError } from "@/lib/errors";
import { loadBookable, type Bookable } from "@/lib/studio/load-bookable";
import { setAuditContext, type Actor } from "./audit-context";
import { BookingConflictError, isSlotConflict } from "./booking-conflict-error";

export const DEFAULT_HOLD_MINUTES = 10;

export type CreateHoldInput = {
  artist: string;
  service: string;
  start: Date;
  actor: Actor;
  customerTimezone?: string | null;
  now?: Date;
};

/**
 * Is `start` one of the slots this service offers that day, and is it still free? Reads the
 * mirror only; the exclusion constraint makes the final decision when the hold is inserted.
 */
export async function assertSlotOffered(db: Database, bookable: Bookable, start: Date, opts: { now?: Date; excludeBookingId?: string } = {}) {
  const tz = bookable.artist.timezone;
  const day = formatInTimeZone(start, tz, "yyyy-MM-dd");
  const now = opts.now ?? new Date();
  const base = { timezone: tz, fromDate: day, toDate: day, now, hours: bookable.hours, rules: bookable.rules };
  const possible = findSlots({ ...base, blocked: [] });
  if (!possible.some((s) => s.start.getTime() === start.getTime())) {
    throw new HoldfastError("not_bookable", `${bookable.artist.name} does not offer ${bookable.service.name} at that time`, {
      fields: { start: ["Not one of the offered start times (outside working hours, too soon, too far ahead, or off the slot grid)"] },
      details: { alternatives: await nearbyFreeSlots(db, bookable, start, 5, opts) },
    });
  }
  const blocked = await loadBlockedIntervals(db, bookable.artist.id, addMinutes(start, -24 * 60), addMinutes(start, 48 * 60), { excludeBookingId: opts.excludeBookingId });
  const free = findSlots({ ...base, blocked });
  if (!free.some((s) => s.start.getTime() === start.getTime())) {
    throw new BookingConflictError("slot_taken", "That time was just taken", { alternatives: await nearbyFreeSlots(db, bookable, start, 5, opts) });
  }
}

/** Places a short hold on a slot while the customer fills in the form. */
export async function createHold(db: Database, input: CreateHoldInput, opts: { holdMinutes?: number } = {}) {
  const bookable = await loadBookable(db, input.artist, input.service);
  await assertSlotOffered(db, bookable, input.start, { now: input.now });

  const id = randomUUID();
  const { token, hash } = newHoldToken();
  const end = addMinutes(input.start, bookable.rules.durationMinutes);
  const { bufferBeforeMinutes, bufferAfterMinutes } = bookable.rules;
  const holdMinutes = opts.holdMinutes ?? Number(process.env.HOLD_MINUTES ?? DEFAULT_HOLD_MINUTES);

  let hold: Booking;
  try {
    hold = await db.transaction(async (tx) => {
      await setAuditContext(tx, input.actor);
      // A hold past its expiry must not block: flip the ones overlapping this slot first, in the
      // same transaction, so the exclusion constraint only sees live bookings.
      await tx.execute(sql`update bookings set status = 'expired'
        where artist_id = ${bookable.artist.id} and status = 'hold' and hold_expires_at <= now()
          and holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes)
           && holdfast_booking_span(${input.start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz, ${bufferBeforeMinutes}::int, ${bufferAfterMinutes}::int)`);
      const [row] = await tx
        .insert(bookings)
        .values({
          id,
          artistId: bookable.artist.id,
          serviceId: bookable.service.id,
          startsAt: input.start,
          endsAt: end,
          bufferBeforeMinutes,
          bufferAfterMinutes,
          status: "hold",
          holdExpiresAt: sql`now() + make_interval(mins => ${holdMinutes}::int)`,
          holdTokenHash: hash,
          customerTimezone: input.customerTimezone ?? null,
          caldavUid: `${id}@holdfast`,
        })
        .returning();
      return row!;
    });
  } catch (err) {
    if (isSlotConflict(err)) {
      throw new BookingConflictError("slot_taken", "That time was just taken", { alternatives: await nearbyFreeSlots(db, bookable, input.start, 5, { now: input.now }), cause: err });
    }
    throw err;
  }
  return { hold: { id: hold.id, token, expiresAt: hold.holdExpiresAt! }, booking: hold, bookable };
}
