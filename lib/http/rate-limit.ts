import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db/client";
import { HoldfastError } from "@/lib/errors";

type LimitName = "holds_per_ip" | "requests_per_ip" | "requests_per_email";

const limits: Record<LimitName, { env: string; fallback: number }> = {
  holds_per_ip: { env: "RATE_LIMIT_HOLDS_PER_HOUR", fallback: 30 },
  requests_per_ip: { env: "RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP", fallback: 30 },
  requests_per_email: { env: "RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL", fallback: 10 },
};

const limiters = new Map<string, RateLimiterPostgres>();

function limiter(name: LimitName) {
  const points = Number(process.env[limits[name].env] ?? limits[name].fallback) || limits[name].fallback;
  const cacheKey = `${name}:${points}`;
  let found = limiters.get(cacheKey);
  if (!found) {
    // Counters live in Postgres, so every app instance behind a load balancer shares them.
    found = new RateLimiterPostgres({ storeClient: getDb().$client, tableName: "rate_limits", tableCreated: true, keyPrefix: name, points, duration: 3600 });
    limiters.set(cacheKey, found);
  }
  return found;
}

/** Counts one attempt against a limit; over it, a 429 with Retry-After. */
export async function consumeRateLimit(name: LimitName, key: string) {
  try {
    await limiter(name).consume(key.toLowerCase());
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new HoldfastError("rate_limited", `Too many attempts; try again in ${Math.ceil(retryAfter / 60)} minute(s)`, {
        headers: { "retry-after": String(retryAfter) },
        details: { retryAfterSeconds: retryAfter },
      });
    }
    throw err;
  }
}
