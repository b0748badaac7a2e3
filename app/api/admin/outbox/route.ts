import { listOutbox, outboxQuerySchema } from "@/lib/admin/outbox";
import { outboxResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/outbox",
    auth: "admin",
    tags: ["admin: outbox"],
    summary: "Notifications with delivery status, attempts and last error, newest first",
    query: outboxQuerySchema,
    responses: { 200: outboxResponseSchema },
  },
  async ({ db, query }) => Response.json(await listOutbox(db, query)),
);
