import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db/client";
import { HoldfastError } from "@/lib/errors";

export type LimitName = "holds_per_ip" | "requests_per_ip" | "requests_per_email" | "logins_per_ip" | "logins_per_email";

/** Points per window (seconds; one hour unless said otherwise). */
const limits: Record<LimitName, { env: string; fallback: number; duration?: number }> = {
  holds_per_ip: { env: "RATE_LIMIT_HOLDS_PER_HOUR", fallback: 30 },
  requests_per_ip: { env: "RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP", fallback: 30 },
  requests_per_email: { env: "RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL", fallback: 10 },
  // Sign-in attempts (password and magic-link requests) per client address, per 15 minutes.
  logins_per_ip: { env: "RATE_LIMIT_LOGINS_PER_15_MIN_PER_IP", fallback: 30, duration: 900 },
  // Failed password attempts (and magic-link requests) per email address, per 15 minutes: slows
  // down guessing one admin's password from many addresses.
  logins_per_email: { env: "RATE_LIMIT_LOGINS_PER_15_MIN_PER_EMAIL", fallback: 10, duration: 900 },
};

const limiters = new Map<string, { pool: unknown; limiter: RateLimiterPostgres }>();

function limiter(name: LimitName) {
  const points = Number(process.env[limits[name].env] ?? limits[name].fallback) || limits[name].fallback;
  const duration = limits[name].duration ?? 3600;
  const pool = getDb().$client;
  const cacheKey = `${name}:${points}:${duration}`;
  const cached = limiters.get(cacheKey);
  // A limiter is bound to one pool; a replaced pool (tests, reconnects) gets a new limiter.
  if (cached && cached.pool === pool) return cached.limiter;
  // Counters live in Postgres, so every app instance behind a load balancer shares them.
  const limiter = new RateLimiterPostgres({ storeClient: pool, tableName: "rate_limits", tableCreated: true, keyPrefix: name, points, duration });
  limiters.set(cacheKey, { pool, limiter });
  return limiter;
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

/** Gives one point back, e.g. after a successful sign-in so a user's own logins never lock them out. */
export async function rewardRateLimit(name: LimitName, key: string) {
  await limiter(name)
    .reward(key.toLowerCase(), 1)
    .catch(() => undefined);
}
