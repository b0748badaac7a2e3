import { randomUUID } from "node:crypto";
import { addMinutes } from "date-fns";
import { getTableColumns, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { bookings, type Booking } from "@/db/schema";
import { newHoldToken } from "@/lib/auth/booking-token";
import { offersStart } from "@/lib/availability/find-slots";
import { loadBusyTime, nearbyFreeSlots } from "@/lib/availability/get-availability";
import { readEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";
import { loadBookable, type Bookable } from "@/lib/studio/load-bookable";
import type { Actor } from "./audit-context";
import { BookingConflictError, conflictKindOf, conflictMessage, isSlotConflict } from "./booking-conflict-error";

export type CreateHoldInput = {
  artist: string;
  service: string;
  start: Date;
  actor: Actor;
  customerTimezone?: string | null;
  now?: Date;
};

/** Is `start` one of the starts this service offers that day (hours, notice, window, grid)? 422 if not. */
async function assertStartOffered(db: Executor, bookable: Bookable, start: Date, opts: { now: Date; excludeBookingId?: string }) {
  if (offersStart({ timezone: bookable.artist.timezone, now: opts.now, hours: bookable.hours, rules: bookable.rules, blocked: [] }, start)) return;
  throw new HoldfastError("not_bookable", `${bookable.artist.name} does not offer ${bookable.service.name} at that time`, {
    fields: { start: ["Not one of the offered start times (outside working hours, too soon, too far ahead, or off the slot grid)"] },
    details: { alternatives: await nearbyFreeSlots(db, bookable, start, 5, opts) },
  });
}

/**
 * Is `start` one of the slots this service offers that day, and is it still free? Reads the
 * mirror only; the exclusion constraint makes the final decision when the booking is written.
 */
export async function assertSlotOffered(db: Executor, bookable: Bookable, start: Date, opts: { now?: Date; excludeBookingId?: string } = {}) {
  const now = opts.now ?? new Date();
  await assertStartOffered(db, bookable, start, { ...opts, now });
  const { blocked, resources } = await loadBusyTime(db, bookable, addMinutes(start, -24 * 60), addMinutes(start, 48 * 60), {
    excludeBookingId: opts.excludeBookingId,
  });
  const schedule = { timezone: bookable.artist.timezone, now, hours: bookable.hours, rules: bookable.rules, blocked };
  if (!offersStart({ ...schedule, resources }, start)) {
    // The artist's own time decides which conflict it is: free artist, no free room -> no_room_free.
    const kind = offersStart(schedule, start) ? "no_room_free" : "slot_taken";
    throw new BookingConflictError(kind, conflictMessage(kind), { alternatives: await nearbyFreeSlots(db, bookable, start, 5, { ...opts, now }) });
  }
}

/** A `bookings` row as Postgres returned it (snake_case, driver values) -> the drizzle type. */
function toBooking(row: Record<string, unknown>): Booking {
  const entries = Object.entries(getTableColumns(bookings)).map(([key, column]) => {
    const value = row[column.name];
    return [key, value === null || value === undefined ? null : column.mapFromDriverValue(value)];
  });
  return Object.fromEntries(entries) as Booking;
}

/**
 * Places a short hold on a slot while the customer fills in the form. Which starts are offered
 * (hours, notice, window, grid) is decided here from the schedule; whether the time is still free
 * is decided by the database in one statement (holdfast_place_hold): busy blocks, stale holds and
 * the exclusion constraint, so two customers can never both win.
 */
export async function createHold(db: Database, input: CreateHoldInput, opts: { holdMinutes?: number } = {}) {
  const bookable = await loadBookable(db, input.artist, input.service);
  const now = input.now ?? new Date();
  await assertStartOffered(db, bookable, input.start, { now });

  const id = randomUUID();
  const { token, hash } = newHoldToken();
  const end = addMinutes(input.start, bookable.rules.durationMinutes);
  // readEnv, not getEnv: the benchmark calls createHold with its own database handle and no DATABASE_URL.
  const holdMinutes = opts.holdMinutes ?? readEnv(["HOLD_MINUTES"]).HOLD_MINUTES;
  const { actor } = input;

  let hold: Booking;
  try {
    // The hold commits without waiting for the WAL flush (synchronous_commit off for this one
    // statement's transaction): under a burst every hold otherwise queues on fsync. A crash can lose
    // only the last fraction of a second of holds, which is a hold that ended early: the slot is
    // free again and that customer's request answers "your hold ran out", never a double booking
    // (the exclusion constraint decides, and the request's own commit flushes the WAL before it).
    const result = await db.execute<Record<string, unknown>>(sql`with fast_commit as (select set_config('synchronous_commit', 'off', true))
      select hold.* from fast_commit, holdfast_place_hold(
      ${id}::uuid, ${bookable.artist.id}::uuid, ${bookable.service.id}::uuid,
      ${input.start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz,
      ${bookable.rules.bufferBeforeMinutes}::int, ${bookable.rules.bufferAfterMinutes}::int, ${holdMinutes}::int,
      ${hash}, ${input.customerTimezone ?? null}, ${actor.kind}, ${actor.id ?? null}, ${actor.ip ?? null}, ${actor.userAgent ?? null}) hold`);
    hold = toBooking(result.rows[0]!);
  } catch (err) {
    if (isSlotConflict(err)) {
      const kind = conflictKindOf(err);
      throw new BookingConflictError(kind, conflictMessage(kind), {
        alternatives: await nearbyFreeSlots(db, bookable, input.start, 5, { now }),
        cause: err,
      });
    }
    throw err;
  }
  return { hold: { id: hold.id, token, expiresAt: hold.holdExpiresAt! }, booking: hold, bookable };
}
