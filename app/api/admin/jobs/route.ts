import { getJobOverview } from "@/lib/admin/outbox";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** GET → a line per kind of job (waiting, oldest age, running, retrying, dead) and the failed/dead jobs. */
export const GET = withAdmin(async ({ db }) => Response.json(await getJobOverview(db)));
