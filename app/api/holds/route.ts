import { createHold } from "@/lib/bookings/create-hold";
import { createHoldSchema } from "@/lib/bookings/schemas";
import { actorFrom } from "@/lib/http/client-info";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { readJson } from "@/lib/http/read-json";
import { withPublic } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

export const POST = withPublic(async ({ req, db, client }) => {
  const body = await readJson(req, createHoldSchema);
  await consumeRateLimit("holds_per_ip", client.ip);
  const { hold } = await createHold(db, { ...body, actor: actorFrom(client, "customer") });
  return Response.json({ hold: { id: hold.id, token: hold.token, expiresAt: hold.expiresAt.toISOString() } }, { status: 201 });
});
