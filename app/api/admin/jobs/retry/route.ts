import { z } from "@/lib/zod";
import { retryJobsResponseSchema } from "@/lib/admin/response-schemas";
import { defineRoute } from "@/lib/http/define-route";
import { retryJobs } from "@/lib/jobs/retry-jobs";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/jobs/retry",
    auth: "admin",
    tags: ["admin: outbox"],
    summary: "Retry failed or dead jobs: due now, attempts reset",
    description: "A job a worker is running right now is left alone and listed under `skipped`.",
    body: z.object({
      jobIds: z
        .array(z.string().regex(/^\d{1,19}$/, "Not a job id"))
        .min(1)
        .max(500),
    }),
    responses: { 200: retryJobsResponseSchema },
  },
  async ({ db, body }) => Response.json(await retryJobs(db, body.jobIds)),
);
