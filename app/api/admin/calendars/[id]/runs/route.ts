import { eq } from "drizzle-orm";
import { z } from "@/lib/zod";
import { calendars } from "@/db/schema";
import { toSyncRunView } from "@/lib/admin/calendar-sync";
import { listSyncRuns } from "@/lib/caldav/list-calendars";
import { syncRunsResponseSchema } from "@/lib/caldav/response-schemas";
import { notFound } from "@/lib/errors";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/calendars/[id]/runs",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "A calendar's sync log, newest first (kept 90 days)",
    params: z.object({ id: z.uuid() }),
    notFound: "That calendar was not found",
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    responses: { 200: syncRunsResponseSchema },
  },
  async ({ db, params, query }) => {
    const [calendar] = await db.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, params.id));
    if (!calendar) throw notFound("That calendar");
    const runs = await listSyncRuns(db, params.id, { limit: query.limit });
    return Response.json({ runs: runs.map(toSyncRunView) });
  },
);
