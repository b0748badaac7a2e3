import { getJobOverview } from "@/lib/admin/outbox";
import { jobOverviewResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/jobs",
    auth: "admin",
    tags: ["admin: outbox"],
    summary: "The job queue: a line per kind of job (waiting, oldest age, running, retrying, dead) and the failed/dead jobs",
    responses: { 200: jobOverviewResponseSchema },
  },
  async ({ db }) => Response.json(await getJobOverview(db)),
);
