import { bookingIdSchema } from "@/lib/bookings/schemas";
import { notFound } from "@/lib/errors";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";
import { adminDecisionSchema, decideBooking, type Decision } from "./decide";

/**
 * POST /api/admin/bookings/:id/{approve,reject,cancel,reschedule,complete}: `{version, reason?, start?}`
 * → `{booking}`; 409 `stale_version` (with `current` and `lastChange`) when someone else changed
 * it first, 409 `slot_taken` (with `alternatives`) when a new time is taken.
 */
export function decisionRoute(action: Decision) {
  return withAdmin<{ id: string }>(async ({ req, db, params, actor }) => {
    if (!bookingIdSchema.safeParse(params.id).success) throw notFound("That booking");
    const body = await readJson(req, adminDecisionSchema);
    const booking = await decideBooking(db, { action, bookingId: params.id, version: body.version, reason: body.reason, start: body.start, actor });
    return Response.json({ booking });
  });
}
