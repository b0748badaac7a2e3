import { randomUUID } from "node:crypto";
import { addMinutes } from "date-fns";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings, type Booking } from "@/db/schema";
import { nearbyFreeSlots } from "@/lib/availability/get-availability";
import { enqueueCalendarPush } from "@/lib/caldav/enqueue-calendar-push";
import { HoldfastError, notFound } from "@/lib/errors";
import { queueBookingMessages } from "@/lib/notifications/enqueue-notifications";
import { queueBookingWebhook } from "@/lib/outgoing-webhooks/queue-webhook-event";
import { loadDepositTerms, recordPayment } from "@/lib/payments/ledger";
import { loadBookable, type Bookable } from "@/lib/studio/load-bookable";
import { instantInZone, wallClockInZone } from "@/lib/time/zone-clock";
import { setAuditContext, type Actor } from "./audit-context";
import { BookingConflictError, conflictKindOf, conflictMessage, isSlotConflict, type AlternativeSlot } from "./booking-conflict-error";
import { assertSlotOffered } from "./create-hold";

export const DEFAULT_STUDIO_BOOKING_REASON = "phone booking";
/** The audit reason of the occurrences added after an existing booking. */
export const REPEAT_BOOKING_REASON = "repeat booking";
/** Alternatives offered for each taken time: a handful the admin can read out on the phone. */
const ALTERNATIVES = 3;

export type BookForCustomerInput = {
  artist: string;
  service: string;
  start: Date;
  customer: { name: string; email?: string | null; phone?: string | null; timezone?: string | null };
  notes?: string | null;
  /** Send the customer the confirmation (with invitation and manage link) and the reminders. Default true. */
  notify?: boolean;
  /** Allow times outside the public rules (short notice, outside the window or the working hours); never an overlap. */
  override?: boolean;
  reason?: string | null;
  repeat?: { everyWeeks: number; count: number } | null;
  /**
   * The booking these follow: they join its series (the booking gets a series id, in the first new
   * booking's transaction, when it has none). With `repeat`, `start` is that booking's start and
   * `count` counts only the new occurrences after it; without, the one `start` is added to its series
   * (an alternative picked for a taken week).
   */
  afterBookingId?: string | null;
  /**
   * For a service that takes a deposit: the customer paid it at the desk (cash, card terminal), so
   * it is recorded as a manual payment by the admin. Otherwise the deposit is due and the admin
   * marks it paid later in the booking's payment panel. No Stripe checkout is opened either way.
   * In a series it is the first booked appointment's deposit; the later ones' are due.
   */
  depositPaid?: boolean;
  actor: Actor;
  now?: Date;
};

export type SeriesConflict = { start: string; code: "slot_taken" | "no_room_free" | "not_bookable"; message: string; alternatives: AlternativeSlot[] };

export type BookForCustomerResult = { bookable: Bookable; seriesId: string | null; bookings: Booking[]; conflicts: SeriesConflict[] };

function pad(n: number, width = 2) {
  return String(n).padStart(width, "0");
}

/**
 * The starts of a weekly series: the same wall-clock time in the artist's zone every `everyWeeks`
 * weeks, so a series crossing a clock change keeps its hour (adding 7×24 h would shift it by one).
 */
export function seriesStarts(first: Date, timezone: string, everyWeeks: number, count: number): Date[] {
  const wall = wallClockInZone(first, timezone);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + i * everyWeeks * 7));
    const local = `${pad(day.getUTCFullYear(), 4)}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
    return instantInZone(local, timezone);
  });
}

type OneBooking = {
  bookable: Bookable;
  start: Date;
  customer: { name: string; email: string | null; phone: string | null; timezone: string | null };
  notes: string | null;
  notify: boolean;
  override: boolean;
  reason: string;
  seriesId: string | null;
  /** An existing booking that joins `seriesId` when it has no series yet. */
  linkBookingId: string | null;
  depositPaid: boolean;
  actor: Actor;
  now: Date;
};

/** Thrown inside the transaction when the artist's calendar blocks the time (busy blocks are not covered by the exclusion constraint). */
class BusyError extends Error {
  readonly code = "HFBSY";
}

/**
 * One confirmed booking in its own transaction, with the side effects of an instant booking
 * queued in it. Without override the time must be an offered, free slot (what the customer would
 * see); with it only the database's guards apply: the artist's busy blocks and the exclusion
 * constraint, which also settles a race with a customer's hold on the same slot.
 */
async function bookOne(db: Executor, b: OneBooking): Promise<Booking> {
  const { bookable, start, now } = b;
  if (!b.override) {
    await assertSlotOffered(db, bookable, start, { now });
  } else if (start.getTime() < now.getTime()) {
    throw new HoldfastError("not_bookable", "A booking cannot be made in the past", { fields: { start: ["must be in the future"] } });
  }
  const id = randomUUID();
  const end = addMinutes(start, bookable.rules.durationMinutes);
  const { bufferBeforeMinutes, bufferAfterMinutes } = bookable.rules;
  try {
    return await db.transaction(async (tx) => {
      await setAuditContext(tx, b.actor, b.reason);
      const wanted = sql`holdfast_booking_span(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz, ${bufferBeforeMinutes}::int, ${bufferAfterMinutes}::int)`;
      const busy = await tx.execute(
        sql`select 1 from busy_blocks b where b.artist_id = ${bookable.artist.id}::uuid and tstzrange(b.starts_at, b.ends_at, '[)') && ${wanted} limit 1`,
      );
      if (busy.rows.length > 0) throw new BusyError("the artist is busy at that time");
      // As holdfast_place_hold does: a hold past its expiry must not block the slot.
      await tx.execute(sql`update bookings set status = 'expired'
        where artist_id = ${bookable.artist.id}::uuid and status = 'hold' and hold_expires_at <= now()
          and holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) && ${wanted}`);
      let seriesId = b.seriesId;
      if (b.linkBookingId && seriesId) {
        // The row lock of this update orders two repeats of the same booking: the second one finds the first one's series and joins it.
        const linked = await tx
          .update(bookings)
          .set({ seriesId })
          .where(and(eq(bookings.id, b.linkBookingId), isNull(bookings.seriesId)))
          .returning({ seriesId: bookings.seriesId });
        if (linked.length === 0) {
          const [current] = await tx.select({ seriesId: bookings.seriesId }).from(bookings).where(eq(bookings.id, b.linkBookingId));
          seriesId = current?.seriesId ?? seriesId;
        }
      }
      // The price and deposit are snapshotted as a customer's request does; the studio never sends
      // its own booking to a checkout, so a deposit is manual: due, or paid at the desk.
      const terms = await loadDepositTerms(tx, bookable.artist.id, bookable.service.id);
      const paidAtDesk = terms.depositCents > 0 && b.depositPaid;
      const [booking] = await tx
        .insert(bookings)
        .values({
          id,
          priceCents: terms.priceCents,
          currency: terms.currency,
          depositCents: terms.depositCents,
          paymentState: terms.depositCents === 0 ? "none" : paidAtDesk ? "paid" : "due",
          paymentProvider: terms.depositCents === 0 ? null : "manual",
          paidCents: paidAtDesk ? terms.depositCents : 0,
          paidAt: paidAtDesk ? sql`now()` : null,
          artistId: bookable.artist.id,
          serviceId: bookable.service.id,
          startsAt: start,
          endsAt: end,
          bufferBeforeMinutes,
          bufferAfterMinutes,
          status: "confirmed",
          customerName: b.customer.name,
          customerEmail: b.customer.email,
          customerPhone: b.customer.phone,
          customerTimezone: b.customer.timezone,
          notes: b.notes,
          seriesId,
          caldavUid: `${id}@holdfast`,
          submittedAt: sql`now()`,
          confirmedAt: sql`now()`,
        })
        .returning();
      if (paidAtDesk) {
        await recordPayment(tx, booking!, {
          kind: "paid",
          amountCents: terms.depositCents,
          provider: "manual",
          actor: b.actor,
          detail: { note: "paid at the studio" },
        });
      }
      // The rooms or stations the service needs, in the booking's transaction (HFROM when none is free).
      await tx.execute(sql`select holdfast_take_resources(${id}::uuid)`);
      // A customer booking again is news to the studio, as any booking a customer makes.
      const kinds = [...(b.notify ? (["booking_confirmed"] as const) : []), ...(b.actor.kind === "customer" ? (["studio_new_booking"] as const) : [])];
      await queueBookingMessages(tx, booking!, kinds, { previousStatus: "hold", now }, { reminders: b.notify });
      await queueBookingWebhook(tx, booking!, { previous: null, now });
      await enqueueCalendarPush(tx, booking!);
      return booking!;
    });
  } catch (err) {
    if (err instanceof BusyError || isSlotConflict(err)) {
      const kind = err instanceof BusyError ? "slot_taken" : conflictKindOf(err);
      throw new BookingConflictError(kind, conflictMessage(kind, "That time is taken"), {
        alternatives: await nearbyFreeSlots(db, bookable, start, ALTERNATIVES, { now }),
        cause: err,
      });
    }
    throw err;
  }
}

function normalizeCustomer(customer: BookForCustomerInput["customer"]) {
  const name = customer.name.trim();
  const email = customer.email?.trim().toLowerCase() || null;
  const phone = customer.phone?.trim() || null;
  const timezone = customer.timezone?.trim() || null;
  const fields: Record<string, string[]> = {};
  if (!name) fields["customer.name"] = ["Enter the customer's name"];
  if (!email && !phone) fields["customer.email"] = ["Enter an email or a phone number"];
  if (Object.keys(fields).length) throw new HoldfastError("invalid_input", "The customer needs a name and an email or phone number", { fields });
  return { name, email, phone, timezone };
}

/**
 * Books a customer in from the studio (phone, walk-in, email): confirmed at once, the admin as
 * the audit actor. Without `repeat` one booking, and a taken or unoffered time is the error
 * (409 with alternatives / 422). With `repeat` every free occurrence is booked, each in its own
 * transaction and sharing one series id; the others come back as conflicts with their nearest
 * free alternatives, never skipped silently. Only when none is free is that an error.
 */
export async function bookForCustomer(db: Executor, input: BookForCustomerInput): Promise<BookForCustomerResult> {
  const customer = normalizeCustomer(input.customer);
  const bookable = await loadBookable(db, input.artist, input.service);
  const now = input.now ?? new Date();
  const after = input.afterBookingId
    ? (await db.select({ id: bookings.id, seriesId: bookings.seriesId }).from(bookings).where(eq(bookings.id, input.afterBookingId)))[0]
    : undefined;
  if (input.afterBookingId && !after) throw notFound("That booking");
  const common = {
    bookable,
    customer,
    notes: input.notes?.trim() || null,
    notify: input.notify ?? true,
    override: input.override ?? false,
    depositPaid: input.depositPaid ?? false,
    reason: input.reason?.trim() || (after ? REPEAT_BOOKING_REASON : DEFAULT_STUDIO_BOOKING_REASON),
    actor: input.actor,
    now,
  };
  if (!input.repeat) {
    const seriesId = after ? (after.seriesId ?? randomUUID()) : null;
    const booking = await bookOne(db, { ...common, start: input.start, seriesId, linkBookingId: after && !after.seriesId ? after.id : null });
    return { bookable, seriesId: booking.seriesId, bookings: [booking], conflicts: [] };
  }

  const { everyWeeks, count } = input.repeat;
  if (!Number.isInteger(everyWeeks) || everyWeeks < 1 || everyWeeks > 8 || !Number.isInteger(count) || count < 2 || count > 12) {
    throw new HoldfastError("invalid_input", "Repeat every 1–8 weeks, 2–12 times", { fields: { repeat: ["every 1–8 weeks, 2–12 times"] } });
  }
  let seriesId = after?.seriesId ?? randomUUID();
  let linkBookingId = after && !after.seriesId ? after.id : null;
  const starts = after
    ? seriesStarts(input.start, bookable.artist.timezone, everyWeeks, count + 1).slice(1)
    : seriesStarts(input.start, bookable.artist.timezone, everyWeeks, count);
  const booked: Booking[] = [];
  const conflicts: SeriesConflict[] = [];
  // One after the other: each occurrence is its own booking, and a later one's alternatives must see the earlier ones.
  for (const start of starts) {
    try {
      // A deposit paid at the desk is one payment: it belongs to the first appointment booked; the later ones' stay due.
      const booking = await bookOne(db, { ...common, depositPaid: common.depositPaid && booked.length === 0, start, seriesId, linkBookingId });
      booked.push(booking);
      // The earlier booking is in the series now (or was put into another one meanwhile, which the rest then join).
      seriesId = booking.seriesId ?? seriesId;
      linkBookingId = null;
    } catch (err) {
      if (err instanceof BookingConflictError) {
        conflicts.push({
          start: start.toISOString(),
          code: err.code === "no_room_free" ? "no_room_free" : "slot_taken",
          message: err.message,
          alternatives: err.alternatives.slice(0, ALTERNATIVES),
        });
      } else if (err instanceof HoldfastError && err.code === "not_bookable") {
        const alternatives = (err.details?.alternatives as AlternativeSlot[] | undefined) ?? [];
        conflicts.push({ start: start.toISOString(), code: "not_bookable", message: err.message, alternatives: alternatives.slice(0, ALTERNATIVES) });
      } else {
        throw err;
      }
    }
  }
  if (booked.length === 0) {
    throw new BookingConflictError("slot_taken", "None of the times of this series is free", { alternatives: conflicts[0]?.alternatives ?? [] });
  }
  return { bookable, seriesId, bookings: booked, conflicts };
}

export type RepeatBookingInput = {
  /** A confirmed booking; the new ones copy its artist, service, customer and time of day. */
  bookingId: string;
  /** `count` new occurrences after the booking, `everyWeeks` apart. */
  repeat: { everyWeeks: number; count: number } | null;
  /** Instead of `repeat`: one chosen time (an alternative offered for a taken week), added to the booking's series. */
  start?: Date;
  notify?: boolean;
  override?: boolean;
  reason?: string | null;
  actor: Actor;
  now?: Date;
};

/**
 * "Repeat this booking" (the studio, and the customer through their manage link): bookForCustomer
 * with the booking's own details, so each occurrence is a normal confirmed booking with its own
 * confirmation, invitation and reminders, and taken weeks come back as conflicts with alternatives.
 */
export async function repeatBooking(db: Executor, input: RepeatBookingInput): Promise<BookForCustomerResult> {
  const [original] = await db.select().from(bookings).where(eq(bookings.id, input.bookingId));
  if (!original) throw notFound("That booking");
  if (original.status !== "confirmed") {
    throw new HoldfastError("invalid_transition", `A ${original.status} booking cannot be repeated; only a confirmed one`);
  }
  if (!input.repeat && !input.start) throw new HoldfastError("invalid_input", "Say how often to repeat the booking", { fields: { repeat: ["required"] } });
  return bookForCustomer(db, {
    artist: original.artistId,
    service: original.serviceId,
    start: input.repeat ? original.startsAt : input.start!,
    customer: { name: original.customerName ?? "", email: original.customerEmail, phone: original.customerPhone, timezone: original.customerTimezone },
    notify: input.notify,
    override: input.override,
    reason: input.reason,
    repeat: input.repeat,
    afterBookingId: original.id,
    actor: input.actor,
    now: input.now,
  });
}
