import { z } from "@/lib/zod";
import { unlinkCalendar } from "@/lib/caldav/link-calendar";
import { unlinkedResponseSchema } from "@/lib/caldav/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute(
  {
    method: "DELETE",
    path: "/api/admin/calendars/[id]",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Unlink a calendar",
    description: "The calendar's busy blocks, sync log and conflicts go with it; nothing is deleted from the calendar itself, and bookings stay as they are.",
    params: z.object({ id: z.uuid() }),
    notFound: "That calendar was not found",
    responses: { 200: unlinkedResponseSchema },
  },
  async ({ db, params, actor }) => {
    await unlinkCalendar(db, params.id, actor);
    return Response.json({ unlinked: params.id });
  },
);
