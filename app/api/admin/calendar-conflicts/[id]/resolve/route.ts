import { z } from "zod";
import { conflictResolutionSchema, resolveConflict } from "@/lib/caldav/resolve-conflict";
import { notFound } from "@/lib/errors";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const body = z.object({ resolution: conflictResolutionSchema });

/**
 * POST {resolution: "keep_booking" | "accept_calendar" | "cancel_booking"} → {conflict}. Booking
 * changes go through the regular transitions (audited under this admin, customer emailed, event
 * pushed); 409 when someone resolved it first.
 */
export const POST = withAdmin<{ id: string }>(async ({ req, db, params, actor }) => {
  if (!z.uuid().safeParse(params.id).success) throw notFound("That conflict");
  const { resolution } = await readJson(req, body);
  const conflict = await resolveConflict(db, params.id, resolution, actor);
  return Response.json({
    conflict: { id: conflict.id, kind: conflict.kind, status: conflict.status, resolution: conflict.resolution, resolvedAt: conflict.resolvedAt?.toISOString() ?? null, bookingId: conflict.bookingId },
  });
});
