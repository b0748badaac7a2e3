import { idempotencyKeySchema, submitRequestSchema } from "@/lib/bookings/schemas";
import { submitRequest } from "@/lib/bookings/submit-request";
import { manageUrl } from "@/lib/auth/booking-token";
import { actorFrom } from "@/lib/http/client-info";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { readJson } from "@/lib/http/read-json";
import { withPublic } from "@/lib/http/route-handlers";
import { HoldfastError } from "@/lib/errors";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export const POST = withPublic(async ({ req, db, client }) => {
  const key = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
  const body = await readJson(req, submitRequestSchema);
  if (!key.success) throw new HoldfastError("invalid_input", "Send an Idempotency-Key header", { fields: { "Idempotency-Key": key.error.issues.map((i) => i.message) } });
  await consumeRateLimit("requests_per_ip", client.ip);
  await consumeRateLimit("requests_per_email", body.customer.email);
  const { booking, replayed } = await submitRequest(db, { ...body, idempotencyKey: key.data, actor: actorFrom(client, "customer", body.customer.email) });
  return Response.json(
    { booking: { id: booking.id, status: booking.status, manageUrl: manageUrl(getEnv().APP_URL, booking) } },
    { status: replayed ? 200 : 201, headers: replayed ? { "idempotent-replayed": "true" } : {} },
  );
});
