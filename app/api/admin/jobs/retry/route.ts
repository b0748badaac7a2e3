import { z } from "zod";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";
import { retryJobs } from "@/lib/jobs/retry-jobs";

export const dynamic = "force-dynamic";

const body = z.object({ jobIds: z.array(z.string().regex(/^\d{1,19}$/, "Not a job id")).min(1).max(500) });

/** POST {jobIds} → {retried, skipped}: failed/dead jobs due now with attempts reset. */
export const POST = withAdmin(async ({ req, db }) => {
  const { jobIds } = await readJson(req, body);
  return Response.json(await retryJobs(db, jobIds));
});
