"use server";

import { refresh } from "next/cache";
import { cancelBookingAsCustomer, rescheduleBookingAsCustomer } from "@/lib/bookings/customer-booking-commands";
import { bookingIdSchema, customerCancelSchema, customerRescheduleSchema } from "@/lib/bookings/schemas";
import { defineAction } from "@/lib/http/define-action";

const cancelSchema = customerCancelSchema.extend({ bookingId: bookingIdSchema });
const rescheduleSchema = customerRescheduleSchema.extend({ bookingId: bookingIdSchema });

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
