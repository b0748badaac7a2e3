import { z } from "zod";
import { isValidTimeZone } from "@/lib/time/format-in-zone";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes" || v === "on");

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: positiveInt(3000),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().url(),
  DATABASE_POOL_SIZE: positiveInt(10),
  HOLDFAST_DATA_DIR: z.string().default("./.data"),
  APP_URL: z.string().url().optional(),
  APP_TZ: z.string().refine(isValidTimeZone, "must be an IANA time zone like Europe/Berlin").default("Europe/Berlin"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  SMTP_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined)),
  MAIL_FROM: z.string().default("Holdfast <bookings@holdfast.local>"),
  ENCRYPTION_KEY: z.string().optional(),
  /** Shared secret of POST /api/webhooks/nextcloud; unset = the webhook route refuses every call. */
  NEXTCLOUD_WEBHOOK_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "must be at least 16 characters").optional()),
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
  /** SMTP connect, greeting and socket timeouts (ms each). */
  SMTP_TIMEOUT_MS: positiveInt(10_000),
  /** Customers' manage links stay valid until this many days after the booking ends. */
  MANAGE_LINK_DAYS_AFTER_END: positiveInt(30),
  /** Sign-in (magic link) mails: per client address per hour, and for the whole studio per hour. */
  RATE_LIMIT_SIGNIN_MAILS_PER_HOUR_PER_IP: positiveInt(10),
  RATE_LIMIT_SIGNIN_MAILS_PER_HOUR: positiveInt(200),
  /** Who may frame the public booking pages (CSP frame-ancestors), e.g. "https://yourstudio.com"; admin pages are never framed. */
  PUBLIC_FRAME_ANCESTORS: z.string().default("'none'"),
  HOLDFAST_WORKER: z.enum(["on", "off"]).default("on"),
  RATE_LIMIT_HOLDS_PER_HOUR: positiveInt(30),
  RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL: positiveInt(10),
  RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP: positiveInt(30),
  /** Password sign-in attempts per client address, and failed passwords per email, per 15 minutes. */
  RATE_LIMIT_LOGINS_PER_15_MIN_PER_IP: positiveInt(30),
  RATE_LIMIT_LOGINS_PER_15_MIN_PER_EMAIL: positiveInt(10),
  HOLD_MINUTES: positiveInt(10),
  CALDAV_TIMEOUT_MS: positiveInt(10_000),
  CALDAV_HORIZON_DAYS: positiveInt(180),
});

export type Env = z.infer<typeof envSchema> & { APP_URL: string };

let cached: Env | undefined;

/** Configuration, validated once. Throws a readable list of what is wrong. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Holdfast configuration is invalid:\n${problems}\nSee .env.example for every variable.`);
  }
  cached = { ...parsed.data, APP_URL: (parsed.data.APP_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/$/, "") };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache() {
  cached = undefined;
}
