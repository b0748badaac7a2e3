import { getAvailability } from "@/lib/availability/get-availability";
import { availabilityQuerySchema } from "@/lib/bookings/schemas";
import { parseQuery } from "@/lib/http/read-json";
import { withPublic } from "@/lib/http/route-handlers";
import { zoneLabel } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

export const GET = withPublic(async ({ req, db }) => {
  const q = parseQuery(new URL(req.url), availabilityQuerySchema);
  const { bookable, timezone, slots } = await getAvailability(db, { artist: q.artist, service: q.service, fromDate: q.from, toDate: q.to });
  return Response.json({
    timezone,
    timezoneLabel: zoneLabel(timezone),
    artist: bookable.artist,
    service: { id: bookable.service.id, slug: bookable.service.slug, name: bookable.service.name, durationMinutes: bookable.service.durationMinutes },
    slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
  });
});
