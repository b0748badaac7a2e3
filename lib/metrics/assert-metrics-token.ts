import { createHash, timingSafeEqual } from "node:crypto";
import { readEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";

function sameSecret(given: string, expected: string) {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * GET /api/metrics is for Prometheus only: 404 while METRICS_TOKEN is unset (the endpoint is
 * off, as if it did not exist), 401 unless `Authorization: Bearer $METRICS_TOKEN`. Reads only its
 * own variable (readEnv): with the rest of the configuration broken (no DATABASE_URL) the scrape
 * must still answer, with `holdfast_metrics_database_up 0`, rather than fail as a 500.
 */
export function assertMetricsToken(headers: Headers, expected: string | undefined = readEnv(["METRICS_TOKEN"]).METRICS_TOKEN) {
  if (!expected) throw new HoldfastError("not_found", "The metrics endpoint is off: set METRICS_TOKEN to enable it");
  const header = headers.get("authorization") ?? "";
  const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  if (!given || !sameSecret(given, expected)) throw new HoldfastError("unauthorized", "A valid metrics bearer token is required");
}
