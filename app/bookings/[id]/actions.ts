"use server";

import { refresh } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { cancelBookingAsCustomer, rescheduleBookingAsCustomer } from "@/lib/bookings/customer-booking-commands";
import { bookingIdSchema, customerCancelSchema, customerRescheduleSchema } from "@/lib/bookings/schemas";
import { actionClientInfo, parseActionInput, runAction, type ActionResult } from "@/lib/http/server-action";

const cancelSchema = customerCancelSchema.extend({ bookingId: bookingIdSchema });
const rescheduleSchema = customerRescheduleSchema.extend({ bookingId: bookingIdSchema });

export async function cancelBookingAction(input: z.input<typeof cancelSchema>): Promise<ActionResult<{ status: string }>> {
  return runAction(async () => {
    const body = parseActionInput(cancelSchema, input);
    const booking = await cancelBookingAsCustomer(getDb(), {
      bookingId: body.bookingId,
      token: body.token,
      reason: body.reason,
      client: await actionClientInfo(),
    });
    refresh();
    return { status: booking.status };
  });
}

export async function rescheduleBookingAction(input: z.input<typeof rescheduleSchema>): Promise<ActionResult<{ start: string; end: string }>> {
  return runAction(async () => {
    const body = parseActionInput(rescheduleSchema, input);
    const booking = await rescheduleBookingAsCustomer(getDb(), {
      bookingId: body.bookingId,
      token: body.token,
      start: body.start,
      client: await actionClientInfo(),
    });
    refresh();
    return { start: booking.startsAt.toISOString(), end: booking.endsAt.toISOString() };
  });
}
