import type { Database } from "@/db/client";
import type { Booking } from "@/db/schema";
import { actorFrom, type ClientInfo } from "@/lib/http/client-info";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { assertCustomerToken } from "./get-customer-booking";
import { cancelBooking, rescheduleBooking } from "./transitions";

/**
 * What a customer may do through their signed manage link, with its token check and rate limit,
 * in one place: the manage page's server actions and the public REST routes both call these, so
 * the two ways in cannot drift apart (they once did: only the action was rate-limited).
 */
export type CustomerCommandInput = { bookingId: string; token: string; client: ClientInfo; now?: Date };

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
