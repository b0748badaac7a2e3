import { defineRoute } from "@/lib/http/define-route";
import { describeErrorForLog } from "@/lib/http/describe-error-for-log";
import { databaseDownReport, getHealthReport } from "@/lib/watchdog/health-report";
import { healthResponseSchema } from "@/lib/watchdog/response-schemas";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/health",
    auth: "public",
    tags: ["operations"],
    summary: "Health for load balancers and monitors: 200 when every part is ok, 503 naming each failing part",
    description:
      "Checks database, worker, mail, calendars, jobs and alerts. A part fails while the watchdog (run by every tick) holds an open alert for it; all fail when the database does not answer.",
    responses: {
      200: healthResponseSchema,
      503: { description: "A part failed: an alert is open, or the database did not answer", schema: healthResponseSchema },
    },
  },
  async (route) => {
    let report;
    try {
      // `route.db` is opened here, inside the try: a missing DATABASE_URL is a failed check too.
      report = await getHealthReport(route.db);
    } catch (err) {
      // Whoever asks (a load balancer, a stranger) learns that the database is down, never the driver's
      // text (host names, SQL); the log has the details under a reference.
      const reference = crypto.randomUUID();
      console.error(`[health] database check failed (${reference}): ${describeErrorForLog(err)}`);
      report = databaseDownReport(reference);
    }
    return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
  },
);
