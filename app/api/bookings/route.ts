import { z } from "@/lib/zod";
import { manageUrl } from "@/lib/auth/booking-token";
import { bookingRequestResponseSchema } from "@/lib/bookings/response-schemas";
import { idempotencyKeySchema, submitRequestSchema } from "@/lib/bookings/schemas";
import { submitRequest } from "@/lib/bookings/submit-request";
import { getEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";
import { actorFrom } from "@/lib/http/client-info";
import { defineRoute } from "@/lib/http/define-route";
import { consumeRateLimit } from "@/lib/http/rate-limit";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/bookings",
    auth: "public",
    tags: ["booking"],
    summary: "Turn a hold into a booking request (or a confirmed booking, for services that confirm automatically)",
    description:
      "Send an `Idempotency-Key`: the same key and body again answers 200 with `Idempotent-Replayed: true` and the same booking; the same key with another body is a 409 `idempotency_conflict`. 409 `hold_expired` / `already_submitted`; 429 past the per-IP or per-email limit.",
    headers: z.object({ "idempotency-key": idempotencyKeySchema.meta({ description: "Any unique string per booking attempt (8–200 characters)." }) }),
    body: submitRequestSchema,
    responses: {
      201: bookingRequestResponseSchema,
      200: {
        description: "A replay of an earlier request with the same Idempotency-Key",
        schema: bookingRequestResponseSchema,
        headers: { "idempotent-replayed": { description: "Always `true` on a replay", schema: z.literal("true") } },
      },
    },
    errors: [404, 409, 422, 429, 503],
  },
  async ({ req, db, client, body }) => {
    // Checked after the body (a bad body is answered first, as before), with its own message.
    const key = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
    if (!key.success)
      throw new HoldfastError("invalid_input", "Send an Idempotency-Key header", { fields: { "Idempotency-Key": key.error.issues.map((i) => i.message) } });
    await consumeRateLimit("requests_per_ip", client.ip);
    await consumeRateLimit("requests_per_email", body.customer.email);
    const { booking, replayed, payment } = await submitRequest(db, {
      ...body,
      idempotencyKey: key.data,
      actor: actorFrom(client, "customer", body.customer.email),
    });
    return Response.json(
      { booking: { id: booking.id, status: booking.status, manageUrl: manageUrl(getEnv().APP_URL, booking) }, ...(payment ? { payment } : {}) },
      { status: replayed ? 200 : 201, headers: replayed ? { "idempotent-replayed": "true" } : {} },
    );
  },
);
