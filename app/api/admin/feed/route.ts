import { z } from "zod";
import { getAdminFeed } from "@/lib/admin/feed";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

const query = z.object({ limit: z.coerce.number().int().min(1).max(100).default(30) });

/** The in-app feed: alerts, new requests, cancellations, undeliverable emails, dead jobs. */
export const GET = withAdmin(async ({ req, db }) => {
  const { limit } = parseQuery(new URL(req.url), query);
  return Response.json({ items: await getAdminFeed(db, { limit }) });
});
