import { z } from "@/lib/zod";
import { listConflictItems } from "@/lib/admin/calendar-sync";
import { conflictsResponseSchema } from "@/lib/caldav/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/calendar-conflicts",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Calendar conflicts, newest first",
    query: z.object({ status: z.enum(["open", "resolved"]).default("open"), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    responses: { 200: conflictsResponseSchema },
  },
  async ({ db, query }) => Response.json({ conflicts: await listConflictItems(db, { status: query.status, limit: query.limit }) }),
);
