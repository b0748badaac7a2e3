import { calendarWeekQuerySchema, getCalendarWeek } from "@/lib/admin/calendar-week";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** GET ?week=yyyy-MM-dd&artist=slug → a week of bookings, busy blocks and hours per artist, in each artist's zone. */
export const GET = withAdmin(async ({ req, db }) => Response.json(await getCalendarWeek(db, parseQuery(new URL(req.url), calendarWeekQuerySchema))));
