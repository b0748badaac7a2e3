import { bulkDecisionSchema, decideMany } from "@/lib/admin/decide";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** POST {action: approve|reject|cancel, reason?, items:[{id, version}]} → per-booking results; each booking in its own transaction. */
export const POST = withAdmin(async ({ req, db, actor }) => {
  const body = await readJson(req, bulkDecisionSchema, 64 * 1024);
  return Response.json(await decideMany(db, { action: body.action, reason: body.reason, items: body.items, actor }));
});
