import { asc, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { bookings, services, type Booking } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { actorFrom, type ClientInfo } from "@/lib/http/client-info";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { repeatBooking, type BookForCustomerResult } from "./book-for-customer";
import { cancelSeriesExceptInsideNotice, type CancelSeriesOutcome } from "./cancel-series";
import { assertCustomerToken } from "./get-customer-booking";
import { cancelBooking, rescheduleBooking } from "./transitions";

/**
 * What a customer may do through their signed manage link, with its token check and rate limit,
 * in one place: the manage page's server actions and the public REST routes both call these, so
 * the two ways in cannot drift apart (they once did: only the action was rate-limited).
 */
export type CustomerCommandInput = { bookingId: string; token: string; client: ClientInfo; now?: Date };

/** A customer books again at most this many times in one go (the studio: 12). */
export const CUSTOMER_REPEAT_MAX_COUNT = 6;

/** The customer cancels; the studio's notice period is enforced by cancelBooking. */
export async function cancelBookingAsCustomer(db: Database, input: CustomerCommandInput & { reason?: string | null }): Promise<Booking> {
  await assertCustomerToken(db, input.bookingId, input.token, input.now);
  await consumeRateLimit("requests_per_ip", input.client.ip);
  return cancelBooking(db, { bookingId: input.bookingId, reason: input.reason, actor: actorFrom(input.client, "customer"), now: input.now });
}

/** The customer moves the booking to another offered slot; the old time is released only if the new one is won. */
export async function rescheduleBookingAsCustomer(db: Database, input: CustomerCommandInput & { start: Date }): Promise<Booking> {
  await assertCustomerToken(db, input.bookingId, input.token, input.now);
  await consumeRateLimit("holds_per_ip", input.client.ip);
  return rescheduleBooking(db, { bookingId: input.bookingId, start: input.start, actor: actorFrom(input.client, "customer"), now: input.now });
}

async function serviceLetsCustomersRepeat(db: Executor, bookingId: string): Promise<boolean> {
  const [row] = await db
    .select({ allowed: services.customerCanRepeat })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .where(eq(bookings.id, bookingId));
  return row?.allowed ?? false;
}

/**
 * "Book again every N weeks" from the manage page of a confirmed booking, when its service allows
 * it: only offered, free times (never the studio's override), each a confirmed booking with its own
 * mails; taken weeks come back with alternatives. With `start` instead of `repeat`, the one
 * alternative the customer picked is added to the same series.
 */
export async function repeatBookingAsCustomer(
  db: Database,
  input: CustomerCommandInput & ({ repeat: { everyWeeks: number; count: number }; start?: undefined } | { repeat?: undefined; start: Date }),
): Promise<BookForCustomerResult> {
  await assertCustomerToken(db, input.bookingId, input.token, input.now);
  await consumeRateLimit(input.repeat ? "repeats_per_ip" : "holds_per_ip", input.client.ip);
  if (!(await serviceLetsCustomersRepeat(db, input.bookingId))) {
    throw new HoldfastError("forbidden", "This service cannot be booked again online; please contact the studio");
  }
  if (input.repeat && (input.repeat.count < 2 || input.repeat.count > CUSTOMER_REPEAT_MAX_COUNT)) {
    throw new HoldfastError("invalid_input", `Book again 2–${CUSTOMER_REPEAT_MAX_COUNT} times`, {
      fields: { count: [`Book again 2–${CUSTOMER_REPEAT_MAX_COUNT} times`] },
    });
  }
  return repeatBooking(db, {
    bookingId: input.bookingId,
    repeat: input.repeat ?? null,
    start: input.start,
    override: false,
    notify: true,
    reason: "booked again by the customer",
    actor: actorFrom(input.client, "customer"),
    now: input.now,
  });
}

/** "Cancel this one" / "this and the following"; see cancelSeriesExceptInsideNotice for the notice period. */
export async function cancelSeriesAsCustomer(
  db: Database,
  input: CustomerCommandInput & { scope: "this" | "following"; reason?: string | null },
): Promise<CancelSeriesOutcome> {
  await assertCustomerToken(db, input.bookingId, input.token, input.now);
  await consumeRateLimit("requests_per_ip", input.client.ip);
  return cancelSeriesExceptInsideNotice(db, {
    bookingId: input.bookingId,
    scope: input.scope,
    reason: input.reason,
    actor: actorFrom(input.client, "customer"),
    now: input.now,
  });
}

export type CustomerSeriesView = {
  /** The service lets customers book it again every few weeks. */
  canRepeat: boolean;
  series: { id: string; bookings: { id: string; start: string; status: Booking["status"] }[] } | null;
};

/** What the manage page needs for the series controls; the page has checked the link already, this checks it again as every command does. */
export async function getCustomerSeriesView(db: Database, input: { bookingId: string; token: string; now?: Date }): Promise<CustomerSeriesView> {
  await assertCustomerToken(db, input.bookingId, input.token, input.now);
  const [row] = await db.select({ seriesId: bookings.seriesId }).from(bookings).where(eq(bookings.id, input.bookingId));
  const canRepeat = await serviceLetsCustomersRepeat(db, input.bookingId);
  if (!row?.seriesId) return { canRepeat, series: null };
  const members = await db
    .select({ id: bookings.id, startsAt: bookings.startsAt, status: bookings.status })
    .from(bookings)
    .where(eq(bookings.seriesId, row.seriesId))
    .orderBy(asc(bookings.startsAt));
  return { canRepeat, series: { id: row.seriesId, bookings: members.map((m) => ({ id: m.id, start: m.startsAt.toISOString(), status: m.status })) } };
}
