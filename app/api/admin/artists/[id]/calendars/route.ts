import { z } from "@/lib/zod";
import { linkCalendar, linkCalendarSchema } from "@/lib/caldav/link-calendar";
import { listCalendars } from "@/lib/caldav/list-calendars";
import { artistCalendarsResponseSchema, publicCalendarSchema } from "@/lib/caldav/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const notFound = "That artist was not found";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/artists/[id]/calendars",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "This artist's linked calendars with their sync health",
    params,
    notFound,
    responses: { 200: artistCalendarsResponseSchema },
  },
  async ({ db, params }) => Response.json({ calendars: await listCalendars(db, { artistId: params.id }) }),
);

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/artists/[id]/calendars",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Link one of the artist's calendars (the connection is tested again first)",
    description:
      "400 with field errors when the login fails (`password`, or `serverUrl` when the address is the problem; `reason` carries the Test connection code), the calendar is not on that account or not on the server's origin, or the artist already has a write calendar. The password is never returned.",
    params,
    notFound,
    body: linkCalendarSchema.omit({ artistId: true }),
    responses: { 201: publicCalendarSchema },
  },
  async ({ db, params, body }) => Response.json(await linkCalendar(db, { ...body, artistId: params.id }), { status: 201 }),
);
