import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { removeTimeOff } from "@/lib/studio/time-off";
import { timeOffRemovedResponseSchema } from "@/lib/studio/time-off-response-schemas";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute(
  {
    method: "DELETE",
    path: "/api/admin/time-off/[id]",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Remove time off: its times are free again and its busy event is deleted from the artist's calendar",
    params: z.object({ id: z.uuid() }),
    notFound: "That time off was not found",
    responses: { 200: timeOffRemovedResponseSchema },
  },
  async ({ db, params, actor }) => {
    const removed = await removeTimeOff(db, params.id, actor);
    return Response.json({ removed: removed.id });
  },
);
