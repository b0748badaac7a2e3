import { runScheduledTick } from "@/lib/jobs/run-scheduled-tick";
import { withCron } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** Called every minute by a scheduler in deployments without the resident worker. */
export const POST = withCron(async ({ db }) => Response.json(await runScheduledTick(db)));
