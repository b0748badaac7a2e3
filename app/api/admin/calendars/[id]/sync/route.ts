import { eq } from "drizzle-orm";
import { z } from "zod";
import { calendars } from "@/db/schema";
import { requestCalendarPull } from "@/lib/caldav/request-calendar-pull";
import { HoldfastError, notFound } from "@/lib/errors";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** POST → 202 {queued: 1}: "Sync now" — the calendar is due at once and the worker pulls it within seconds. */
export const POST = withAdmin<{ id: string }>(async ({ db, params }) => {
  if (!z.uuid().safeParse(params.id).success) throw notFound("That calendar");
  const [calendar] = await db.select({ id: calendars.id, active: calendars.active }).from(calendars).where(eq(calendars.id, params.id));
  if (!calendar) throw notFound("That calendar");
  if (!calendar.active) throw new HoldfastError("invalid_transition", "This calendar is paused; it is not synced");
  const queued = await requestCalendarPull(db, params.id);
  return Response.json({ queued }, { status: 202 });
});
