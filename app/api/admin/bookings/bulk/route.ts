import { bulkDecisionSchema, decideMany } from "@/lib/admin/decide";
import { bulkDecisionResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/bookings/bulk",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "Approve, reject or cancel many bookings",
    description: "Each booking in its own transaction: a stale or already-decided one fails alone and is reported in its result, the others go through.",
    body: bulkDecisionSchema,
    maxBodyBytes: 64 * 1024,
    responses: { 200: bulkDecisionResponseSchema },
  },
  async ({ db, body, actor }) => Response.json(await decideMany(db, { action: body.action, reason: body.reason, items: body.items, actor })),
);
