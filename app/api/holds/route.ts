import { createHold } from "@/lib/bookings/create-hold";
import { holdResponseSchema } from "@/lib/bookings/response-schemas";
import { createHoldSchema } from "@/lib/bookings/schemas";
import { actorFrom } from "@/lib/http/client-info";
import { defineRoute } from "@/lib/http/define-route";
import { consumeRateLimit } from "@/lib/http/rate-limit";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/holds",
    auth: "public",
    tags: ["booking"],
    summary: "Hold a slot for a few minutes while the customer fills in the form",
    description:
      "404 for an unknown artist or service, 409 `slot_taken` (with `alternatives`) when the start was just taken, 422 `not_bookable` when it is not offered, 429 past the per-IP limit.",
    body: createHoldSchema,
    responses: { 201: holdResponseSchema },
    errors: [404, 409, 422, 429],
  },
  async ({ db, body, client }) => {
    await consumeRateLimit("holds_per_ip", client.ip);
    const { hold } = await createHold(db, { ...body, actor: actorFrom(client, "customer") });
    return Response.json({ hold: { id: hold.id, token: hold.token, expiresAt: hold.expiresAt.toISOString() } }, { status: 201 });
  },
);
