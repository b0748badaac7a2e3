import { eq } from "drizzle-orm";
import { z } from "zod";
import { calendars } from "@/db/schema";
import { toSyncRunView } from "@/lib/admin/calendar-sync";
import { listSyncRuns } from "@/lib/caldav/list-calendars";
import { notFound } from "@/lib/errors";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** GET ?limit → {runs:[{id, kind, status, startedAt, finishedAt, durationMs, objectsChanged, objectsDeleted, objectsSkipped, requests, bytes, error}]}, newest first (kept 90 days). */
export const GET = withAdmin<{ id: string }>(async ({ req, db, params }) => {
  const { limit } = parseQuery(new URL(req.url), query);
  if (!z.uuid().safeParse(params.id).success) throw notFound("That calendar");
  const [calendar] = await db.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, params.id));
  if (!calendar) throw notFound("That calendar");
  const runs = await listSyncRuns(db, params.id, { limit });
  return Response.json({ runs: runs.map(toSyncRunView) });
});
