"use server";

import { refresh } from "next/cache";
import { z } from "@/lib/zod";
import type { BookForCustomerResult } from "@/lib/bookings/book-for-customer";
import {
  CUSTOMER_REPEAT_MAX_COUNT,
  cancelBookingAsCustomer,
  cancelSeriesAsCustomer,
  repeatBookingAsCustomer,
  rescheduleBookingAsCustomer,
} from "@/lib/bookings/customer-booking-commands";
import { bookingIdSchema, customerCancelSchema, customerRescheduleSchema } from "@/lib/bookings/schemas";
import { defineAction } from "@/lib/http/define-action";

const cancelSchema = customerCancelSchema.extend({ bookingId: bookingIdSchema });
const rescheduleSchema = customerRescheduleSchema.extend({ bookingId: bookingIdSchema });
const repeatSchema = customerCancelSchema.pick({ token: true }).extend({
  bookingId: bookingIdSchema,
  everyWeeks: z.number({ error: "Choose every how many weeks" }).int().min(1, "Every 1–8 weeks").max(8, "Every 1–8 weeks"),
  count: z
    .number({ error: "Choose how many times" })
    .int()
    .min(2, `Book again 2–${CUSTOMER_REPEAT_MAX_COUNT} times`)
    .max(CUSTOMER_REPEAT_MAX_COUNT, `Book again 2–${CUSTOMER_REPEAT_MAX_COUNT} times`),
});
const addToSeriesSchema = customerRescheduleSchema.extend({ bookingId: bookingIdSchema });
const cancelSeriesSchema = cancelSchema.extend({ scope: z.enum(["this", "following"], { error: "Choose this one or this and the following" }) });

/** What the manage page lists after booking again: the times won and the taken ones with their alternatives. */
function repeatAnswer(result: BookForCustomerResult) {
  return {
    seriesId: result.seriesId,
    timezone: result.bookable.artist.timezone,
    bookings: result.bookings.map((b) => ({ id: b.id, start: b.startsAt.toISOString(), end: b.endsAt.toISOString() })),
    conflicts: result.conflicts.map((c) => ({ start: c.start, message: c.message, alternatives: c.alternatives })),
  };
}

// defineAction checks the manage link before the handler runs; the commands check it again
// because the public REST routes call them too, and they own the rate limit that follows.

export const cancelBookingAction = defineAction({ auth: "customer-manage-token", input: cancelSchema }, async ({ db, client, input }) => {
  const booking = await cancelBookingAsCustomer(db, { bookingId: input.bookingId, token: input.token, reason: input.reason, client });
  refresh();
  return { status: booking.status };
});

export const rescheduleBookingAction = defineAction({ auth: "customer-manage-token", input: rescheduleSchema }, async ({ db, client, input }) => {
  const booking = await rescheduleBookingAsCustomer(db, { bookingId: input.bookingId, token: input.token, start: input.start, client });
  refresh();
  return { start: booking.startsAt.toISOString(), end: booking.endsAt.toISOString() };
});

export const repeatBookingAction = defineAction({ auth: "customer-manage-token", input: repeatSchema }, async ({ db, client, input }) => {
  const result = await repeatBookingAsCustomer(db, {
    bookingId: input.bookingId,
    token: input.token,
    repeat: { everyWeeks: input.everyWeeks, count: input.count },
    client,
  });
  refresh();
  return repeatAnswer(result);
});

/** One alternative the customer picked for a taken week, added to the same series. */
export const addToSeriesAction = defineAction({ auth: "customer-manage-token", input: addToSeriesSchema }, async ({ db, client, input }) => {
  const result = await repeatBookingAsCustomer(db, { bookingId: input.bookingId, token: input.token, start: input.start, client });
  refresh();
  return repeatAnswer(result);
});

export const cancelSeriesAction = defineAction({ auth: "customer-manage-token", input: cancelSeriesSchema }, async ({ db, client, input }) => {
  const outcome = await cancelSeriesAsCustomer(db, { bookingId: input.bookingId, token: input.token, scope: input.scope, reason: input.reason, client });
  refresh();
  return { cancelled: outcome.cancelled.map((b) => ({ id: b.id, start: b.startsAt.toISOString() })), refused: outcome.refused };
});
