import { defineRoute } from "@/lib/http/define-route";
import { scheduledTickResponseSchema } from "@/lib/jobs/response-schemas";
import { runScheduledTick } from "@/lib/jobs/run-scheduled-tick";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/cron/sync",
    auth: "cron",
    tags: ["operations"],
    summary: "The periodic tick, called every minute by a scheduler in deployments without the resident worker",
    description:
      "Recovers jobs of dead workers, expires stale holds, pulls due calendars and drains due jobs. 503 `not_configured` while CRON_SECRET is unset.",
    responses: { 200: scheduledTickResponseSchema },
  },
  async ({ db }) => Response.json(await runScheduledTick(db)),
);
