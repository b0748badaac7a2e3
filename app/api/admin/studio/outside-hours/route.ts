import { z } from "zod";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";
import { bookingsOutsideHours, bookingsOutsideHoursForStudio } from "@/lib/studio/working-hours";

export const dynamic = "force-dynamic";

const query = z.object({ artist: z.uuid().optional() });

/** GET ?artist=id → upcoming bookings outside the working hours in force (for review; nothing is changed). */
export const GET = withAdmin(async ({ req, db }) => {
  const { artist } = parseQuery(new URL(req.url), query);
  return Response.json({ bookings: artist ? await bookingsOutsideHours(db, artist) : await bookingsOutsideHoursForStudio(db) });
});
