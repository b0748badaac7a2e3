import { defineRoute } from "@/lib/http/define-route";
import { assertMetricsToken } from "@/lib/metrics/assert-metrics-token";
import { metricsRegistry } from "@/lib/metrics/metrics-registry";
import { prometheusTextSchema } from "@/lib/metrics/response-schemas";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/metrics",
    auth: "public",
    tags: ["operations"],
    summary: "Prometheus metrics: bookings, queue, emails, calendar pulls, incidents, worker heartbeat, request latency",
    description:
      "Needs `Authorization: Bearer $METRICS_TOKEN`, compared in constant time (401 otherwise); 404 `not_found` while METRICS_TOKEN is unset. Database figures are read at scrape time; `holdfast_metrics_database_up` is 0 when the database did not answer.",
    responses: { 200: { description: "The metrics in Prometheus text format", contentType: "text/plain; version=0.0.4", schema: prometheusTextSchema } },
    errors: [401, 404],
  },
  async ({ req }) => {
    assertMetricsToken(req.headers);
    const { registry } = metricsRegistry();
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
  },
);
