import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db/client";
import { getEnv, type Env } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";

export type LimitName =
  | "holds_per_ip"
  | "requests_per_ip"
  | "requests_per_email"
  | "logins_per_ip"
  | "login_failures_per_ip_email"
  | "login_failures_per_email"
  | "signin_mails_per_ip"
  | "signin_mails_per_address"
  | "signin_mails_total"
  | "repeats_per_ip"
  | "reference_uploads_per_ip";

const HOUR = 3600;
const QUARTER_HOUR = 900;

/** Points per window (seconds). */
const limits: Record<LimitName, { points: (env: Env) => number; duration: number }> = {
  holds_per_ip: { points: (env) => env.RATE_LIMIT_HOLDS_PER_HOUR, duration: HOUR },
  requests_per_ip: { points: (env) => env.RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP, duration: HOUR },
  requests_per_email: { points: (env) => env.RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL, duration: HOUR },
  // Password sign-in attempts (right or wrong) per client address.
  logins_per_ip: { points: (env) => env.RATE_LIMIT_LOGINS_PER_15_MIN_PER_IP, duration: QUARTER_HOUR },
  // Failed passwords for one email from one address: over it, that address is refused for that email.
  login_failures_per_ip_email: { points: (env) => env.RATE_LIMIT_LOGINS_PER_15_MIN_PER_EMAIL, duration: QUARTER_HOUR },
  // Failed passwords for one email from anywhere: over it, every attempt is slowed down, never refused,
  // so nobody can lock an admin out by guessing from many addresses.
  login_failures_per_email: { points: (env) => env.RATE_LIMIT_LOGINS_PER_15_MIN_PER_EMAIL, duration: QUARTER_HOUR },
  // Sign-in link mails: per client address, per mailbox (see mailboxKey), and for the whole studio,
  // so neither one inbox nor the studio's mail reputation can be flooded.
  signin_mails_per_ip: { points: (env) => env.RATE_LIMIT_SIGNIN_MAILS_PER_HOUR_PER_IP, duration: HOUR },
  signin_mails_per_address: { points: () => 5, duration: HOUR },
  signin_mails_total: { points: (env) => env.RATE_LIMIT_SIGNIN_MAILS_PER_HOUR, duration: HOUR },
  // A customer's "book again every N weeks" (up to 6 bookings, and their mails, per call) from the manage link.
  repeats_per_ip: { points: () => 10, duration: HOUR },
  // Customers' reference images (decoding an image is the costliest thing a stranger can ask for): 5 per request, with room for retries.
  reference_uploads_per_ip: { points: () => 40, duration: HOUR },
};

/**
 * rate-limiter-flexible's Postgres store with one change: its counting upsert commits without
 * waiting for the WAL flush (synchronous_commit off for that one statement's transaction). Every
 * client behind one address bumps the same row, and a commit waiting for fsync holds that row's
 * lock: under a burst the limiter itself became the queue (20 concurrent holds from one address
 * serialised on it). Losing the last few counts in a crash only forgives a few attempts; the table,
 * the statement and the answers are otherwise exactly the library's.
 */
class FastCommitRateLimiterPostgres extends RateLimiterPostgres {
  _upsert(key: string, points: number, msDuration: number, forceExpire = false) {
    const self = this as unknown as {
      tableCreated: boolean;
      _getTableIdentifier(): string;
      _query(q: { name: string; text: string; values: unknown[] }): Promise<unknown>;
    };
    if (!self.tableCreated) return Promise.reject(Error("Table is not created yet"));
    const table = self._getTableIdentifier();
    const newExpire = msDuration > 0 ? Date.now() + msDuration : null;
    const expire = forceExpire ? "$3" : `CASE WHEN ${table}.expire <= $4 THEN $3 ELSE ${table}.expire END`;
    return self._query({
      name: forceExpire ? "hf-rlflx-upsert-force" : "hf-rlflx-upsert",
      text: `WITH fast AS (SELECT set_config('synchronous_commit', 'off', true))
             INSERT INTO ${table} SELECT $1::varchar, $2::integer, $3::bigint FROM fast
               ON CONFLICT(key) DO UPDATE SET
                 points = CASE WHEN (${table}.expire <= $4 OR 1=${forceExpire ? 1 : 0}) THEN $2 ELSE ${table}.points + ($2) END,
                 expire = ${expire}
             RETURNING points, expire;`,
      values: [key, points, newExpire, Date.now()],
    });
  }
}

const limiters = new Map<string, { pool: unknown; limiter: RateLimiterPostgres; points: number }>();

function limiter(name: LimitName) {
  const points = limits[name].points(getEnv());
  const duration = limits[name].duration;
  const pool = getDb().$client;
  const cacheKey = `${name}:${points}:${duration}`;
  const cached = limiters.get(cacheKey);
  // A limiter is bound to one pool; a replaced pool (tests, reconnects) gets a new limiter.
  if (cached && cached.pool === pool) return cached;
  // Counters live in Postgres, so every app instance behind a load balancer shares them.
  const entry = {
    pool,
    points,
    limiter: new FastCommitRateLimiterPostgres({ storeClient: pool, tableName: "rate_limits", tableCreated: true, keyPrefix: name, points, duration }),
  };
  limiters.set(cacheKey, entry);
  return entry;
}

function rateLimited(msBeforeNext: number) {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new HoldfastError("rate_limited", `Too many attempts; try again in ${Math.ceil(retryAfter / 60)} minute(s)`, {
    headers: { "retry-after": String(retryAfter) },
    details: { retryAfterSeconds: retryAfter },
  });
}

/** Counts one attempt against a limit; over it, a 429 with Retry-After. */
export async function consumeRateLimit(name: LimitName, key: string) {
  try {
    await limiter(name).limiter.consume(key.toLowerCase());
  } catch (err) {
    if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext);
    throw err;
  }
}

/** For limits that count only failures: a 429 once the failures reached the limit, without counting this attempt. */
export async function assertUnderRateLimit(name: LimitName, key: string) {
  const { limiter: l, points } = limiter(name);
  const state = await l.get(key.toLowerCase());
  if (state && state.consumedPoints >= points) throw rateLimited(state.msBeforeNext);
}

/** Records one failure against a limit (never throws for being over it); answers the failures in the window so far. */
export async function recordRateLimitFailure(name: LimitName, key: string): Promise<number> {
  const state = await limiter(name).limiter.penalty(key.toLowerCase(), 1);
  return state.consumedPoints;
}

/** How many points a key used in the current window, and the limit: for limits that slow down instead of refusing. */
export async function rateLimitUsage(name: LimitName, key: string): Promise<{ used: number; points: number }> {
  const { limiter: l, points } = limiter(name);
  const state = await l.get(key.toLowerCase());
  return { used: state?.consumedPoints ?? 0, points };
}

/** Forgets a key's count, e.g. the failures of one address once it signed in with the right password. */
export async function clearRateLimit(name: LimitName, key: string) {
  await limiter(name).limiter.delete(key.toLowerCase());
}
