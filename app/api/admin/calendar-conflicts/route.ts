import { z } from "zod";
import { listConflictItems } from "@/lib/admin/calendar-sync";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const query = z.object({ status: z.enum(["open", "resolved"]).default("open"), limit: z.coerce.number().int().min(1).max(500).default(100) });

/**
 * GET ?status=open|resolved&limit → {conflicts:[{id, kind, status, resolution, createdAt, resolvedAt,
 * eventStart, eventEnd, eventSummary, calendar, booking, resolutions}]}, newest first.
 */
export const GET = withAdmin(async ({ req, db }) => {
  const { status, limit } = parseQuery(new URL(req.url), query);
  return Response.json({ conflicts: await listConflictItems(db, { status, limit }) });
});
