import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { addTimeOff, listTimeOff, serializeBookingInside, serializeTimeOff, timeOffInputSchema, timeOffListQuerySchema } from "@/lib/studio/time-off";
import { timeOffCreatedResponseSchema, timeOffListResponseSchema } from "@/lib/studio/time-off-response-schemas";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const notFound = "That artist was not found";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/artists/[id]/time-off",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "This artist's time off, earliest first (optionally only what overlaps from–to)",
    params,
    notFound,
    query: timeOffListQuerySchema,
    responses: { 200: timeOffListResponseSchema },
  },
  async ({ db, params, query }) => {
    const rows = await listTimeOff(db, params.id, { from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined });
    return Response.json({ timeOff: rows.map(serializeTimeOff) });
  },
);

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/artists/[id]/time-off",
    auth: "admin",
    tags: ["admin: studio"],
    summary: "Enter time off for an artist: blocks those times at once and is written as a busy event into their calendar",
    description:
      "`start`/`end` are whole days (`2026-03-14`, on the artist's clock, the end day included) or ISO instants with a zone; at most 366 days. Bookings already inside are listed in `bookingsInside` for the admin to move or cancel: they are never moved or cancelled by this call.",
    params,
    notFound,
    body: timeOffInputSchema,
    responses: { 201: timeOffCreatedResponseSchema },
  },
  async ({ db, params, body, actor }) => {
    const result = await addTimeOff(db, { artistId: params.id, ...body, actor });
    return Response.json({ timeOff: serializeTimeOff(result.timeOff), bookingsInside: result.bookingsInside.map(serializeBookingInside) }, { status: 201 });
  },
);
