import { z } from "zod";
import { listCalendarsWithSkipped } from "@/lib/admin/calendar-sync";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const query = z.object({ artist: z.uuid().optional() });

/**
 * GET ?artist=id → {calendars:[{id, artistId, artistName, serverUrl, username, calendarUrl, displayName, role,
 * active, lastSyncAt, lastSuccessAt, lastError, lastErrorCode, consecutiveFailures, failing, nextSyncAt, createdAt,
 * skippedObjects:[{href, uid, reason, skippedAt}]}]} — skippedObjects are the events Holdfast could not read.
 * Never a password, encrypted or not.
 */
export const GET = withAdmin(async ({ req, db }) => {
  const { artist } = parseQuery(new URL(req.url), query);
  return Response.json({ calendars: await listCalendarsWithSkipped(db, { artistId: artist }) });
});
