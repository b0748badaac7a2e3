"use server";

import { refresh } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { assertCustomerToken } from "@/lib/bookings/get-customer-booking";
import { bookingIdSchema, customerCancelSchema, customerRescheduleSchema } from "@/lib/bookings/schemas";
import { cancelBooking, rescheduleBooking } from "@/lib/bookings/transitions";
import { actorFrom } from "@/lib/http/client-info";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { actionClientInfo, parseActionInput, runAction, type ActionResult } from "@/lib/http/server-action";

const cancelSchema = customerCancelSchema.extend({ bookingId: bookingIdSchema });
const rescheduleSchema = customerRescheduleSchema.extend({ bookingId: bookingIdSchema });

/** The customer cancels through their signed link; the studio's notice period is enforced by cancelBooking. */
export async function cancelBookingAction(input: z.input<typeof cancelSchema>): Promise<ActionResult<{ status: string }>> {
  return runAction(async () => {
    const body = parseActionInput(cancelSchema, input);
    await assertCustomerToken(body.bookingId, body.token);
    const client = await actionClientInfo();
    await consumeRateLimit("requests_per_ip", client.ip);
    const booking = await cancelBooking(getDb(), { bookingId: body.bookingId, reason: body.reason, actor: actorFrom(client, "customer") });
    refresh();
    return { status: booking.status };
  });
}

/** Moves the booking to another offered slot in one update: the old time is released only if the new one is won. */
export async function rescheduleBookingAction(input: z.input<typeof rescheduleSchema>): Promise<ActionResult<{ start: string; end: string }>> {
  return runAction(async () => {
    const body = parseActionInput(rescheduleSchema, input);
    await assertCustomerToken(body.bookingId, body.token);
    const client = await actionClientInfo();
    await consumeRateLimit("holds_per_ip", client.ip);
    const booking = await rescheduleBooking(getDb(), { bookingId: body.bookingId, start: body.start, actor: actorFrom(client, "customer") });
    refresh();
    return { start: booking.startsAt.toISOString(), end: booking.endsAt.toISOString() };
  });
}
