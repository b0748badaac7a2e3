import { z } from "@/lib/zod";
import { getAdminFeed } from "@/lib/admin/feed";
import { adminFeedResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/feed",
    auth: "admin",
    tags: ["admin: dashboard"],
    summary: "The in-app feed: alerts, new requests, cancellations, undeliverable emails, dead jobs",
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(30) }),
    responses: { 200: adminFeedResponseSchema },
  },
  async ({ db, query }) => Response.json({ items: await getAdminFeed(db, { limit: query.limit }) }),
);
