import { z } from "zod";
import { unlinkCalendar } from "@/lib/caldav/link-calendar";
import { notFound } from "@/lib/errors";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/**
 * DELETE → {unlinked: id}. The calendar's busy blocks, sync log and conflicts go with it; nothing
 * is deleted from the calendar itself, and bookings stay as they are.
 */
export const DELETE = withAdmin<{ id: string }>(async ({ db, params, actor }) => {
  if (!z.uuid().safeParse(params.id).success) throw notFound("That calendar");
  await unlinkCalendar(db, params.id, actor);
  return Response.json({ unlinked: params.id });
});
