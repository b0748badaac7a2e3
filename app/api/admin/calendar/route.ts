import { calendarWeekQuerySchema, getCalendarWeek } from "@/lib/admin/calendar-week";
import { calendarWeekResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/calendar",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "A week of bookings, busy blocks and working hours per artist, in each artist's zone",
    description:
      "`week` is any date of the week (Monday to Sunday; default: this week in the studio's zone); `artist` a slug or id (default: every active artist); `lanes=rooms` gives one lane per active room or station instead, with each booking's artist.",
    query: calendarWeekQuerySchema,
    responses: { 200: calendarWeekResponseSchema },
  },
  async ({ db, query }) => Response.json(await getCalendarWeek(db, query)),
);
