import { z } from "zod";
import { listCalendars } from "@/lib/caldav/list-calendars";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const query = z.object({ artist: z.uuid().optional() });

/**
 * GET ?artist=id → {calendars:[{id, artistId, artistName, serverUrl, username, calendarUrl, displayName, role,
 * active, lastSyncAt, lastSuccessAt, lastError, lastErrorCode, consecutiveFailures, failing, nextSyncAt, createdAt}]}.
 * Never a password, encrypted or not.
 */
export const GET = withAdmin(async ({ req, db }) => {
  const { artist } = parseQuery(new URL(req.url), query);
  return Response.json({ calendars: await listCalendars(db, { artistId: artist }) });
});
