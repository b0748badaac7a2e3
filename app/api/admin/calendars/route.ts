import { z } from "@/lib/zod";
import { listCalendarsWithSkipped } from "@/lib/admin/calendar-sync";
import { calendarsWithSkippedResponseSchema } from "@/lib/caldav/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/calendars",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Every linked calendar with its sync health and the events Holdfast could not read",
    query: z.object({ artist: z.uuid().optional() }),
    responses: { 200: calendarsWithSkippedResponseSchema },
  },
  async ({ db, query }) => Response.json({ calendars: await listCalendarsWithSkipped(db, { artistId: query.artist }) }),
);
