import { adminSummaryResponseSchema } from "@/lib/admin/response-schemas";
import { getAdminSummary } from "@/lib/admin/summary";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/summary",
    auth: "admin",
    tags: ["admin: dashboard"],
    summary: "What the dashboard polls: pending count (the badge), unread alerts, failures, latest change",
    responses: { 200: adminSummaryResponseSchema },
  },
  async ({ db }) => Response.json(await getAdminSummary(db)),
);
