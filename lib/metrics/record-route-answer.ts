import { metricsRegistry } from "./metrics-registry";

const HOLDS_ROUTE = "POST /api/holds";

/**
 * Records one finished /api request: its latency by route pattern and status (the availability
 * route's latency is `route="/api/availability"`), and for POST /api/holds whether a slot was
 * held (201) or was just taken (409). Holds placed by the booking page's server action are not
 * counted here (`via="api"`).
 */
export function recordRouteAnswer(route: { method: string; path: string }, status: number, seconds: number) {
  const m = metricsRegistry();
  m.httpRequestDuration.observe({ method: route.method, route: route.path, status: String(status) }, seconds);
  if (`${route.method} ${route.path}` !== HOLDS_ROUTE) return;
  if (status === 201) m.holdsPlaced.inc({ via: "api" });
  else if (status === 409) m.holdConflicts.inc({ via: "api" });
}
