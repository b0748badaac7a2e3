import { sql } from "drizzle-orm";
import { defineRoute } from "@/lib/http/define-route";
import { describeErrorForLog } from "@/lib/http/describe-error-for-log";
import { healthResponseSchema } from "@/lib/http/response-schemas";
import { deadJobCountSql } from "@/lib/jobs/job-queries";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/health",
    auth: "public",
    tags: ["operations"],
    summary: "Liveness for load balancers: 200 when the database answers, 503 naming the failing check",
    responses: { 200: healthResponseSchema, 503: { description: "A check failed (the database did not answer)", schema: healthResponseSchema } },
  },
  async (route) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      // `route.db` is opened here, inside the try: a missing DATABASE_URL is a failed check too.
      const result = await route.db.execute<{ failed: number; queued: number }>(sql`select
        ${deadJobCountSql()} as failed,
        (select count(*)::int from notifications where status = 'queued') as queued`);
      checks.database = { ok: true };
      checks.jobs = { ok: true, detail: `${result.rows[0]?.failed ?? 0} permanently failed` };
      checks.mail = { ok: true, detail: getEnv().SMTP_URL ? `${result.rows[0]?.queued ?? 0} queued` : "SMTP not configured; messages are kept" };
    } catch (err) {
      // Whoever asks (a load balancer, a stranger) learns that the database is down, never the driver's
      // text (host names, SQL); the log has the details under a reference.
      const reference = crypto.randomUUID();
      console.error(`[health] database check failed (${reference}): ${describeErrorForLog(err)}`);
      checks.database = { ok: false, detail: `The database did not answer (reference ${reference})` };
    }
    const healthy = Object.values(checks).every((c) => c.ok);
    return Response.json({ status: healthy ? "ok" : "unavailable", checks }, { status: healthy ? 200 : 503, headers: { "cache-control": "no-store" } });
  },
);
