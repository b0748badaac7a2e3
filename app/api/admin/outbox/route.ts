import { listOutbox, outboxQuerySchema } from "@/lib/admin/outbox";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** GET ?status=queued|sent|failed&page&pageSize → notifications with delivery status, attempts and last error. */
export const GET = withAdmin(async ({ req, db }) => Response.json(await listOutbox(db, parseQuery(new URL(req.url), outboxQuerySchema))));
