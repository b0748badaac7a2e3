import { z } from "@/lib/zod";
import { adminBookingResponseSchema } from "@/lib/admin/response-schemas";
import { adminDecisionSchema, bookingIdSchema } from "@/lib/bookings/schemas";
import { defineRoute, type ErrorStatus } from "@/lib/http/define-route";
import { decideBooking, type Decision } from "./decide";

const SUMMARIES: Record<Decision, string> = {
  approve: "Approve a pending request",
  reject: "Reject a pending request",
  cancel: "Cancel a booking",
  reschedule: "Move a booking to a new start",
  complete: "Mark a past booking completed",
};

/**
 * POST /api/admin/bookings/:id/{approve,reject,cancel,reschedule,complete}: `{version, reason?, start?}`
 * → `{booking}`; 409 `stale_version` (with `current` and `lastChange`) when someone else changed
 * it first, 409 `slot_taken` (with `alternatives`) when a new time is taken.
 */
export function defineDecisionRoute(action: Decision) {
  const errors: ErrorStatus[] = action === "reschedule" ? [409, 422] : [409];
  return defineRoute(
    {
      method: "POST",
      path: `/api/admin/bookings/[id]/${action}`,
      auth: "admin",
      tags: ["admin: bookings"],
      summary: SUMMARIES[action],
      description:
        "Send the `version` you saw. 409 `stale_version` (with `current` and `lastChange`) when someone changed the booking first, 409 `invalid_transition` when its status does not allow this" +
        (action === "reschedule"
          ? ", 409 `slot_taken` (with `alternatives`) when the new time is taken, 422 when it is not bookable; `start` is required."
          : "."),
      params: z.object({ id: bookingIdSchema }),
      notFound: "That booking was not found",
      body: adminDecisionSchema,
      responses: { 200: adminBookingResponseSchema },
      errors,
    },
    async ({ db, params, body, actor }) => {
      const booking = await decideBooking(db, { action, bookingId: params.id, version: body.version, reason: body.reason, start: body.start, actor });
      return Response.json({ booking });
    },
  );
}
