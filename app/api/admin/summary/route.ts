import { getAdminSummary } from "@/lib/admin/summary";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** What the dashboard polls: pending count (the badge), unread alerts, failures, latest change. */
export const GET = withAdmin(async ({ db }) => Response.json(await getAdminSummary(db)));
