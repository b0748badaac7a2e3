import { z } from "zod";
import { linkCalendar, linkCalendarSchema } from "@/lib/caldav/link-calendar";
import { listCalendars } from "@/lib/caldav/list-calendars";
import { notFound } from "@/lib/errors";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const artistId = z.uuid();
const body = linkCalendarSchema.omit({ artistId: true });

/** GET → {calendars:[…]}: this artist's linked calendars with their sync health. */
export const GET = withAdmin<{ id: string }>(async ({ db, params }) => {
  if (!artistId.safeParse(params.id).success) throw notFound("That artist");
  return Response.json({ calendars: await listCalendars(db, { artistId: params.id }) });
});

/**
 * POST {serverUrl, username, password, calendarUrl, role:"write"|"busy"} → 201 the linked calendar
 * (never the password). The connection is tested again first; 400 with field errors when the
 * login fails (field `password`, or `serverUrl` when the address is the problem — details.reason
 * carries the Test connection code), the calendar is not on that account or not on the server's
 * origin, or the artist already has a write calendar.
 */
export const POST = withAdmin<{ id: string }>(async ({ req, db, params }) => {
  if (!artistId.safeParse(params.id).success) throw notFound("That artist");
  const input = await readJson(req, body);
  const calendar = await linkCalendar(db, { ...input, artistId: params.id });
  return Response.json(calendar, { status: 201 });
});
