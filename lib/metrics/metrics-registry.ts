import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { getDb } from "@/db/client";
import { readMetricsSnapshot } from "./read-metrics-snapshot";
import { registerDatabaseGauges } from "./register-database-gauges";

/** Everything GET /api/metrics exports, and the in-process instruments the app records into. */
export type HoldfastMetrics = {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  holdsPlaced: Counter<"via">;
  holdConflicts: Counter<"via">;
  webhookAttempts: Counter<"outcome">;
};

function createMetrics(): HoldfastMetrics {
  // Its own registry rather than prom-client's global one: tests read exactly what the route serves.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "holdfast_" });
  registerDatabaseGauges(registry, () => readMetricsSnapshot(getDb()));
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "holdfast_http_request_duration_seconds",
      help: "Time from a /api request's arrival to its answer, by route pattern (e.g. /api/availability) and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    holdsPlaced: new Counter({ name: "holdfast_holds_placed_total", help: "Slots held for a customer", labelNames: ["via"], registers: [registry] }),
    holdConflicts: new Counter({
      name: "holdfast_hold_conflicts_total",
      help: "Hold attempts refused because the slot was just taken (409)",
      labelNames: ["via"],
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: "holdfast_webhook_delivery_attempts_total",
      help: "Outgoing webhook delivery attempts by outcome (delivered, retrying, failed)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
}

/**
 * The process's metrics, made on first use. Kept on globalThis because Next's dev server reloads
 * modules (and the server bundle and tsx scripts each load their own copy): a second registry
 * would start every counter at zero, and a second collectDefaultMetrics on one would throw.
 */
export function metricsRegistry(): HoldfastMetrics {
  const holder = globalThis as { __holdfastMetrics?: HoldfastMetrics };
  return (holder.__holdfastMetrics ??= createMetrics());
}
