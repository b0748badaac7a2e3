/**
 * Holdfast's configuration: every environment variable it reads, with its default and what makes
 * it invalid, in one schema. `.env.example` documents each one (tests/unit/env.test.ts keeps the
 * two in step). Code reads configuration only through this module, never `process.env`:
 *
 * - `getEnv()`: the whole configuration, validated together and cached. `npm start` calls it
 *   first, so a bad value stops the start with a list of every problem.
 * - `readEnv(names)`: just these variables, by the same rules. For modules that also run where
 *   the rest of the configuration is absent: the proxy, the database handle (CLI scripts with
 *   only DATABASE_URL), and code the benchmark and unit tests call with their own database
 *   handle and no DATABASE_URL. Each caller says why.
 *
 * An empty value counts as unset everywhere (`.env.example` copied as it is leaves `AUTH_SECRET=`
 * and friends empty), so the default applies.
 */
import "server-only";
import { z } from "@/lib/zod";
import { isValidTimeZone } from "@/lib/time/format-in-zone";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { error: "must be true or false" })
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes" || v === "on");

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: "must be a whole number above 0" })
    .int("must be a whole number above 0")
    .positive("must be a whole number above 0")
    .default(fallback);

const onOff = z.enum(["on", "off"], { error: "must be on or off" });

/**
 * CSP frame-ancestors sources. Anything that could end the directive or the header is refused.
 * Bare `none`/`self` get their quotes back: dotenv strips `'none'` to `none`, which a browser
 * would read as a host name.
 */
const frameAncestors = z
  .string()
  .default("'none'")
  .transform((v) =>
    v
      .trim()
      .split(/\s+/)
      .map((s) => (/^(none|self)$/i.test(s) ? `'${s.toLowerCase()}'` : s))
      .join(" "),
  )
  .refine((v) => /^[\x21-\x7e ]+$/.test(v) && !/[;,]/.test(v), "must be space-separated CSP sources like https://yourstudio.com or 'self' (no ; or ,)");

export const envSchema = z.object({
  /** Set by npm start / Next.js (development with `npm run dev`), not by hand. */
  NODE_ENV: z.enum(["development", "production", "test"], { error: "must be development, production or test" }).default("production"),
  PORT: z.coerce
    .number({ error: "must be a port number (1–65535)" })
    .int("must be a port number (1–65535)")
    .min(1, "must be a port number (1–65535)")
    .max(65_535, "must be a port number (1–65535)")
    .default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.url({
    error: (issue) =>
      issue.input === undefined
        ? "is not set (npm start sets it for the embedded Postgres)"
        : "must be a connection URL like postgres://user:pass@host:5432/holdfast",
  }),
  DATABASE_POOL_SIZE: positiveInt(10),
  HOLDFAST_DATA_DIR: z.string().default("./.data"),
  /** Unset = http://localhost:PORT (see resolveAppUrl); read it as `appUrl()` or `getEnv().APP_URL`. */
  APP_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL like https://book.yourstudio.com" }).optional(),
  APP_TZ: z.string().refine(isValidTimeZone, "must be an IANA time zone like Europe/Berlin").default("Europe/Berlin"),
  AUTH_SECRET: z
    .string({ error: "is not set (32+ random characters; npm start generates one for the embedded Postgres)" })
    .min(32, "must be at least 32 characters"),
  ADMIN_EMAIL: z.email("must be an email address").optional(),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Bearer token of GET /api/metrics (Prometheus); unset = the metrics route answers 404. */
  METRICS_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be a URL like smtp://user:pass@smtp.example.com:587 or smtps://…:465" }).optional(),
  MAIL_FROM: z.string().default("Holdfast <bookings@holdfast.local>"),
  ENCRYPTION_KEY: z.string().optional(),
  /** Shared secret of POST /api/webhooks/nextcloud; unset = the webhook route refuses every call. */
  NEXTCLOUD_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For: "true" = 1 hop,
   * a number = that many hops, unset/false = none (take the socket address).
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = (v ?? "").trim().toLowerCase();
      if (["", "false", "0", "no", "off"].includes(value)) return 0;
      if (["true", "yes", "on"].includes(value)) return 1;
      if (/^[1-9]\d?$/.test(value)) return Number(value);
      ctx.addIssue({ code: "custom", message: "must be true/false or the number of proxy hops (1–99)" });
      return z.NEVER;
    }),
  /** Allow-list of CalDAV hosts (comma-separated host names; empty = any host). */
  CALDAV_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Refuse CalDAV servers on loopback, private and link-local addresses (SSRF guard for hosted setups). */
  CALDAV_BLOCK_PRIVATE: booleanish,
  /**
   * Outgoing webhooks refuse loopback, private and link-local addresses; these host names (or IP
   * literals, comma-separated) are allowed there anyway, e.g. "ntfy.lan,127.0.0.1".
   */
  WEBHOOK_ALLOWED_PRIVATE_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Per-delivery timeout (ms) of an outgoing webhook (connect and answer). */
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** SMTP connect, greeting and socket timeouts (ms each). */
  SMTP_TIMEOUT_MS: positiveInt(10_000),
  /** Customers' manage links stay valid until this many days after the booking ends. */
  MANAGE_LINK_DAYS_AFTER_END: positiveInt(30),
  /** Sign-in (magic link) mails: per client address per hour, and for the whole studio per hour. */
  RATE_LIMIT_SIGNIN_MAILS_PER_HOUR_PER_IP: positiveInt(10),
  RATE_LIMIT_SIGNIN_MAILS_PER_HOUR: positiveInt(200),
  /** Who may frame the public booking pages (CSP frame-ancestors), e.g. "https://yourstudio.com"; admin pages are never framed. */
  PUBLIC_FRAME_ANCESTORS: frameAncestors,
  HOLDFAST_WORKER: onOff.default("on"),
  /** Seed the demo studio on first start; unset = on for the embedded database, off with DATABASE_URL (scripts/prepare-runtime.ts). */
  HOLDFAST_SEED_DEMO: onOff.optional(),
  RATE_LIMIT_HOLDS_PER_HOUR: positiveInt(30),
  RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL: positiveInt(10),
  RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP: positiveInt(30),
  /** Password sign-in attempts per client address, and failed passwords per email, per 15 minutes. */
  RATE_LIMIT_LOGINS_PER_15_MIN_PER_IP: positiveInt(30),
  RATE_LIMIT_LOGINS_PER_15_MIN_PER_EMAIL: positiveInt(10),
  HOLD_MINUTES: positiveInt(10),
  /** Stripe secret key (sk_test_… / sk_live_… or a restricted rk_… key); unset = deposits in the manual mode (bank transfer / at the studio, marked paid by an admin). */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, "must be a Stripe secret key like sk_test_… or rk_live_…")
    .optional(),
  /** Signing secret (whsec_…) of the Stripe webhook endpoint POST /api/webhooks/stripe; unset = the route refuses every call. */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must be the endpoint's signing secret (whsec_…)").optional(),
  /** Where the Stripe SDK sends its API calls; unset = https://api.stripe.com. Only for a Stripe-compatible test server (e.g. http://127.0.0.1:12111). */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/, error: "must be an http(s) URL like http://127.0.0.1:12111" }).optional(),
  CALDAV_TIMEOUT_MS: positiveInt(10_000),
  CALDAV_HORIZON_DAYS: positiveInt(180),
  /** Least severity of the JSON log lines on stdout (lib/log/logger.ts); "silent" writes none (the tests). */
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "must be fatal, error, warn, info, debug, trace or silent" })
    .default("info"),
});

export type EnvName = keyof typeof envSchema.shape;
type EnvVars = Omit<z.output<typeof envSchema>, "APP_URL"> & { APP_URL: string };
export type Env = Readonly<EnvVars>;
/** Where variables come from: `process.env`, or a test's own record. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

export const ENV_NAMES = Object.keys(envSchema.shape) as EnvName[];

/** The public base URL: APP_URL without a trailing slash, else the local server's address. */
function resolveAppUrl(configured: string | undefined, port: number): string {
  return (configured ?? `http://localhost:${port}`).replace(/\/+$/, "");
}

function parseVars<K extends EnvName>(names: readonly K[], source: EnvSource): Pick<EnvVars, K> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  const parseOne = (name: EnvName) => {
    const raw = source[name];
    const result = (envSchema.shape[name] as z.ZodType).safeParse(raw === undefined || raw.trim() === "" ? undefined : raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) problems.push(`  ${name}: ${issue.message}`);
    return undefined;
  };
  for (const name of names) out[name] = parseOne(name);
  // APP_URL's default depends on PORT, so whoever reads APP_URL gets it resolved, by one rule.
  if (names.includes("APP_URL" as K) && problems.length === 0) {
    const port = names.includes("PORT" as K) ? (out.PORT as number) : (parseOne("PORT") as number);
    if (problems.length === 0) out.APP_URL = resolveAppUrl(out.APP_URL as string | undefined, port);
  }
  if (problems.length > 0) throw new Error(`Holdfast configuration is invalid:\n${problems.join("\n")}\nSee .env.example for every variable.`);
  return out as Pick<EnvVars, K>;
}

/**
 * Only `names`, parsed by the same rules as getEnv() (defaults, empty = unset, errors naming the
 * variable). Not cached: cheap, and always what the environment says now.
 */
export function readEnv<const K extends EnvName>(names: readonly K[], source: EnvSource = process.env): Pick<EnvVars, K> {
  return parseVars(names, source);
}

let cached: { env: Env; raw: (string | undefined)[] } | undefined;

/**
 * The whole configuration, validated once and cached; throws a readable list of what is wrong.
 * The cache is keyed by the raw values, so a process that changes a variable (a test, a script
 * filling in generated secrets) gets it parsed again rather than a stale answer.
 */
export function getEnv(): Env {
  if (cached && ENV_NAMES.every((name, i) => process.env[name] === cached!.raw[i])) return cached.env;
  const raw = ENV_NAMES.map((name) => process.env[name]);
  const env = Object.freeze(parseVars(ENV_NAMES, process.env)) as Env;
  cached = { env, raw };
  return env;
}

/** Forces the next getEnv() to parse again (tests that change the environment between cases). */
export function resetEnvCache() {
  cached = undefined;
}
