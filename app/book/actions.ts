"use server";

import { z } from "@/lib/zod";
import { signManageToken } from "@/lib/auth/booking-token";
import { bookingFormSchema } from "@/lib/bookings/booking-form";
import { createHold } from "@/lib/bookings/create-hold";
import { releaseHold } from "@/lib/bookings/release-hold";
import { createHoldSchema, idempotencyKeySchema, submitRequestSchema } from "@/lib/bookings/schemas";
import { submitRequest } from "@/lib/bookings/submit-request";
import { actorFrom } from "@/lib/http/client-info";
import { defineAction } from "@/lib/http/define-action";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { checkoutRedirectPath } from "@/lib/payments/checkout-redirect";

export type HeldSlot = { id: string; token: string; expiresAt: string; start: string; end: string; serverNow: string };

const holdRefSchema = z.object({ holdId: z.uuid(), holdToken: z.string().min(10).max(200) });
const holdSlotSchema = createHoldSchema.extend({ release: holdRefSchema.optional() });

/**
 * Places the hold the moment a customer picks a slot. When they already hold another slot (they
 * changed their mind, or their hold ran out and they take the same time again) that hold is let go
 * first, so one customer never blocks two slots.
 */
export const holdSlotAction = defineAction({ auth: "public", input: holdSlotSchema }, async ({ db, client, input }): Promise<HeldSlot> => {
  await consumeRateLimit("holds_per_ip", client.ip);
  const actor = actorFrom(client, "customer");
  if (input.release) await releaseHold(db, { ...input.release, actor });
  const { hold, booking } = await createHold(db, {
    artist: input.artist,
    service: input.service,
    start: input.start,
    customerTimezone: input.customerTimezone,
    actor,
  });
  return {
    id: hold.id,
    token: hold.token,
    expiresAt: hold.expiresAt.toISOString(),
    start: booking.startsAt.toISOString(),
    end: booking.endsAt.toISOString(),
    serverNow: new Date().toISOString(),
  };
});

/** The customer went back to pick another time: free their hold now rather than at its expiry. Needs the hold's secret token; counts against the hold limit. */
export const releaseHoldAction = defineAction({ auth: "public", input: holdRefSchema }, async ({ db, client, input }) => {
  await consumeRateLimit("holds_per_ip", client.ip);
  return { released: await releaseHold(db, { ...input, actor: actorFrom(client, "customer") }) };
});

// The idempotency key is made once per hold in the browser, so a double click or a retry returns the same booking.
const submitBookingSchema = bookingFormSchema.extend({
  ...submitRequestSchema.pick({ holdId: true, holdToken: true, customerTimezone: true, intake: true }).shape,
  idempotencyKey: idempotencyKeySchema,
});

export type SubmitBookingInput = z.input<typeof submitBookingSchema>;

/**
 * Sends the request: the same form schema the browser checked (name, email, phone, notes and the
 * consent), then the same rate limits and `submitRequest` as POST /api/bookings.
 */
export const submitBookingAction = defineAction({ auth: "public", input: submitBookingSchema }, async ({ db, client, input }) => {
  await consumeRateLimit("requests_per_ip", client.ip);
  await consumeRateLimit("requests_per_email", input.customer.email);
  const { booking, payment } = await submitRequest(db, {
    holdId: input.holdId,
    holdToken: input.holdToken,
    customer: input.customer,
    notes: input.notes,
    customerTimezone: input.customerTimezone,
    intake: input.intake,
    idempotencyKey: input.idempotencyKey,
    actor: actorFrom(client, "customer", input.customer.email),
  });
  const token = signManageToken(booking);
  return {
    id: booking.id,
    status: booking.status,
    confirmationPath: `/bookings/${booking.id}/confirmed?token=${token}`,
    // A deposit paid through Stripe: the browser goes to the checkout instead (lib/payments), and
    // inside the embed the studio's window goes through Holdfast's redirect to it.
    checkoutUrl: payment?.checkoutUrl ?? null,
    checkoutPath: payment?.checkoutUrl ? checkoutRedirectPath(booking.id, token) : null,
  };
});
