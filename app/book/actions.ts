"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { signManageToken } from "@/lib/auth/booking-token";
import { bookingFormSchema } from "@/lib/bookings/booking-form";
import { createHold } from "@/lib/bookings/create-hold";
import { releaseHold } from "@/lib/bookings/release-hold";
import { createHoldSchema, idempotencyKeySchema, submitRequestSchema } from "@/lib/bookings/schemas";
import { submitRequest } from "@/lib/bookings/submit-request";
import { HoldfastError } from "@/lib/errors";
import { actorFrom } from "@/lib/http/client-info";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { actionClientInfo, parseActionInput, runAction, type ActionResult } from "@/lib/http/server-action";

export type HeldSlot = { id: string; token: string; expiresAt: string; start: string; end: string; serverNow: string };

const holdRefSchema = z.object({ holdId: z.uuid(), holdToken: z.string().min(10).max(200) });
const holdSlotSchema = createHoldSchema.extend({ release: holdRefSchema.optional() });

/**
 * Places the hold the moment a customer picks a slot. When they already hold another slot (they
 * changed their mind, or their hold ran out and they take the same time again) that hold is let go
 * first, so one customer never blocks two slots.
 */
export async function holdSlotAction(input: z.input<typeof holdSlotSchema>): Promise<ActionResult<HeldSlot>> {
  return runAction(async () => {
    const body = parseActionInput(holdSlotSchema, input);
    const client = await actionClientInfo();
    await consumeRateLimit("holds_per_ip", client.ip);
    const db = getDb();
    const actor = actorFrom(client, "customer");
    if (body.release) await releaseHold(db, { ...body.release, actor });
    const { hold, booking } = await createHold(db, {
      artist: body.artist,
      service: body.service,
      start: body.start,
      customerTimezone: body.customerTimezone,
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
}

/** The customer went back to pick another time: free their hold now rather than at its expiry. Needs the hold's secret token; counts against the hold limit. */
export async function releaseHoldAction(input: z.input<typeof holdRefSchema>): Promise<ActionResult<{ released: boolean }>> {
  return runAction(async () => {
    const body = parseActionInput(holdRefSchema, input);
    const client = await actionClientInfo();
    await consumeRateLimit("holds_per_ip", client.ip);
    return { released: await releaseHold(getDb(), { ...body, actor: actorFrom(client, "customer") }) };
  });
}

const submitBookingSchema = bookingFormSchema.extend(submitRequestSchema.pick({ holdId: true, holdToken: true, customerTimezone: true }).shape);

export type SubmitBookingInput = z.input<typeof submitBookingSchema> & { idempotencyKey: string };

/**
 * Sends the request: the same form schema the browser checked (name, email, phone, notes and the
 * consent), then the same rate limits and `submitRequest` as POST /api/bookings. The idempotency
 * key is made once per hold in the browser, so a double click or a retry returns the same booking.
 */
export async function submitBookingAction(input: SubmitBookingInput): Promise<ActionResult<{ id: string; status: string; confirmationPath: string }>> {
  return runAction(async () => {
    const body = parseActionInput(submitBookingSchema, input);
    const key = idempotencyKeySchema.safeParse(input?.idempotencyKey);
    if (!key.success)
      throw new HoldfastError("invalid_input", "This booking attempt has no idempotency key; reload the page", {
        fields: { idempotencyKey: key.error.issues.map((i) => i.message) },
      });
    const client = await actionClientInfo();
    await consumeRateLimit("requests_per_ip", client.ip);
    await consumeRateLimit("requests_per_email", body.customer.email);
    const { booking } = await submitRequest(getDb(), {
      holdId: body.holdId,
      holdToken: body.holdToken,
      customer: body.customer,
      notes: body.notes,
      customerTimezone: body.customerTimezone,
      idempotencyKey: key.data,
      actor: actorFrom(client, "customer", body.customer.email),
    });
    return { id: booking.id, status: booking.status, confirmationPath: `/bookings/${booking.id}/confirmed?token=${signManageToken(booking)}` };
  });
}
