import { z } from "@/lib/zod";
import { conflictResolutionSchema, resolveConflict } from "@/lib/caldav/resolve-conflict";
import { resolvedConflictResponseSchema } from "@/lib/caldav/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/calendar-conflicts/[id]/resolve",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Resolve a calendar conflict",
    description:
      "Booking changes go through the regular transitions (audited under this admin, customer emailed, event pushed); 409 `invalid_transition` when someone resolved it first.",
    params: z.object({ id: z.uuid() }),
    notFound: "That conflict was not found",
    body: z.object({ resolution: conflictResolutionSchema }),
    responses: { 200: resolvedConflictResponseSchema },
    errors: [409],
  },
  async ({ db, params, body, actor }) => {
    const conflict = await resolveConflict(db, params.id, body.resolution, actor);
    return Response.json({
      conflict: {
        id: conflict.id,
        kind: conflict.kind,
        status: conflict.status,
        resolution: conflict.resolution,
        resolvedAt: conflict.resolvedAt?.toISOString() ?? null,
        bookingId: conflict.bookingId,
      },
    });
  },
);
