import { eq } from "drizzle-orm";
import { z } from "@/lib/zod";
import { calendars } from "@/db/schema";
import { requestCalendarPull } from "@/lib/caldav/request-calendar-pull";
import { syncQueuedResponseSchema } from "@/lib/caldav/response-schemas";
import { HoldfastError, notFound } from "@/lib/errors";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/calendars/[id]/sync",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Sync now: the calendar is due at once and the worker pulls it within seconds",
    params: z.object({ id: z.uuid() }),
    notFound: "That calendar was not found",
    responses: { 202: syncQueuedResponseSchema },
    errors: [409],
  },
  async ({ db, params }) => {
    const [calendar] = await db.select({ id: calendars.id, active: calendars.active }).from(calendars).where(eq(calendars.id, params.id));
    if (!calendar) throw notFound("That calendar");
    if (!calendar.active) throw new HoldfastError("invalid_transition", "This calendar is paused; it is not synced");
    const queued = await requestCalendarPull(db, params.id);
    return Response.json({ queued }, { status: 202 });
  },
);
