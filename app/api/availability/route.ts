import { getAvailability } from "@/lib/availability/get-availability";
import { availabilityResponseSchema } from "@/lib/availability/response-schemas";
import { isoSlot } from "@/lib/availability/slot-cache";
import { availabilityQuerySchema } from "@/lib/bookings/schemas";
import { defineRoute } from "@/lib/http/define-route";
import { zoneLabel } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/availability",
    auth: "public",
    tags: ["booking"],
    summary: "Free starts of an artist's service between two dates in the artist's zone",
    description: "At most 62 days at a time; 404 for an unknown artist or service, or one the artist does not offer.",
    query: availabilityQuerySchema,
    responses: { 200: availabilityResponseSchema },
    errors: [404],
  },
  async ({ db, query }) => {
    const { bookable, timezone, slots } = await getAvailability(db, { artist: query.artist, service: query.service, fromDate: query.from, toDate: query.to });
    return Response.json({
      timezone,
      timezoneLabel: zoneLabel(timezone),
      artist: bookable.artist,
      service: { id: bookable.service.id, slug: bookable.service.slug, name: bookable.service.name, durationMinutes: bookable.service.durationMinutes },
      slots: slots.map(isoSlot),
    });
  },
);
