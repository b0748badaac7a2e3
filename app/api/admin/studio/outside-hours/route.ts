import { z } from "@/lib/zod";
import { outsideHoursResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";
import { bookingsOutsideHours, bookingsOutsideHoursForStudio } from "@/lib/studio/working-hours";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/studio/outside-hours",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Upcoming bookings outside the working hours in force (for review; nothing is changed)",
    query: z.object({ artist: z.uuid().optional() }),
    responses: { 200: outsideHoursResponseSchema },
  },
  async ({ db, query }) => Response.json({ bookings: query.artist ? await bookingsOutsideHours(db, query.artist) : await bookingsOutsideHoursForStudio(db) }),
);
