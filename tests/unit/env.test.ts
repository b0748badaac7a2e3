/**
 * The one configuration module (lib/env.ts) and its documentation (.env.example). If these fail, an
 * operator sees a variable that .env.example does not explain (or one it explains that does
 * nothing), a start that fails on a copied .env.example, an error that does not say which variable
 * is wrong, or a changed setting that the app silently ignores.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appUrl } from "@/lib/app-url";
import { ENV_NAMES, getEnv, readEnv, resetEnvCache, type EnvSource } from "@/lib/env";
import { publicFrameAncestors } from "@/lib/http/security-headers";

const EXAMPLE = readFileSync(path.resolve(import.meta.dirname, "../../.env.example"), "utf8");
const REQUIRED: EnvSource = { DATABASE_URL: "postgres://holdfast:secret@db.internal:5432/holdfast", AUTH_SECRET: "a".repeat(32) };

function problemsOf(source: EnvSource): string {
  try {
    readEnv(ENV_NAMES, source);
  } catch (err) {
    return (err as Error).message;
  }
  return "";
}

describe(".env.example and the schema", () => {
  it("name the same variables, and .env.example explains each one", () => {
    const documented = new Map<string, boolean>();
    for (const block of EXAMPLE.split(/\n\s*\n/)) {
      const lines = block.split("\n").filter(Boolean);
      const explained = lines.some((l) => l.startsWith("#") && !/^#\s*[A-Z][A-Z0-9_]*=/.test(l));
      for (const line of lines) {
        const name = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
        if (name) documented.set(name, explained);
      }
    }
    expect([...documented.keys()].sort()).toEqual([...ENV_NAMES].sort());
    for (const [name, explained] of documented) expect(explained, `${name} has no comment in .env.example`).toBe(true);
  });

  it("accepts .env.example copied as it is (its empty values count as unset), with a database and a secret", () => {
    const env = readEnv(ENV_NAMES, { ...parseEnv(EXAMPLE), ...REQUIRED });
    expect(env.CRON_SECRET).toBeUndefined();
    expect(env.ADMIN_EMAIL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.HOLDFAST_SEED_DEMO).toBeUndefined();
    expect(env.PUBLIC_FRAME_ANCESTORS).toBe("'none'");
  });

  it("shows the defaults as its example values, so the file does not promise what the app does not do", () => {
    const fromExample = readEnv(ENV_NAMES, { ...parseEnv(EXAMPLE), ...REQUIRED });
    const defaults = readEnv(ENV_NAMES, REQUIRED);
    // MAIL_FROM's example shows a real-looking address to replace; the default is a placeholder.
    expect({ ...fromExample, MAIL_FROM: "" }).toEqual({ ...defaults, MAIL_FROM: "" });
  });
});

describe("validation", () => {
  it("lists every invalid variable by name at once, with what a valid value looks like", () => {
    const message = problemsOf({
      ...REQUIRED,
      PORT: "eighty",
      AUTH_SECRET: "short",
      APP_URL: "ftp://book.example.com",
      TRUST_PROXY: "maybe",
      HOLD_MINUTES: "-5",
      APP_TZ: "Mars/Olympus",
      SMTP_URL: "mail.example.com",
      HOLDFAST_WORKER: "yes",
    });
    expect(message).toContain("PORT: must be a port number");
    expect(message).toContain("AUTH_SECRET: must be at least 32 characters");
    expect(message).toContain("APP_URL: must be an http(s) URL");
    expect(message).toContain("TRUST_PROXY: must be true/false or the number of proxy hops");
    expect(message).toContain("HOLD_MINUTES: must be a whole number above 0");
    expect(message).toContain("APP_TZ: must be an IANA time zone");
    expect(message).toContain("SMTP_URL: must be a URL like smtp://");
    expect(message).toContain("HOLDFAST_WORKER: must be on or off");
    expect(message).toContain("See .env.example");
  });

  it("says what to do about a missing DATABASE_URL or AUTH_SECRET instead of zod's type jargon", () => {
    const message = problemsOf({});
    expect(message).toContain("DATABASE_URL: is not set (npm start sets it for the embedded Postgres)");
    expect(message).toContain("AUTH_SECRET: is not set");
    expect(message).not.toMatch(/expected string|received undefined/);
  });

  it("treats empty and blank values as unset, so the default applies", () => {
    const env = readEnv(["HOLDFAST_WORKER", "HOLD_MINUTES", "CRON_SECRET", "ADMIN_EMAIL", "CALDAV_BLOCK_PRIVATE"], {
      HOLDFAST_WORKER: "",
      HOLD_MINUTES: " ",
      CRON_SECRET: "",
      ADMIN_EMAIL: "",
      CALDAV_BLOCK_PRIVATE: "",
    });
    expect(env).toEqual({ HOLDFAST_WORKER: "on", HOLD_MINUTES: 10, CRON_SECRET: undefined, ADMIN_EMAIL: undefined, CALDAV_BLOCK_PRIVATE: false });
  });

  it("keeps frame-ancestors to sources: dotenv's unquoted none/self get their quotes back, ; and , are refused", () => {
    expect(readEnv(["PUBLIC_FRAME_ANCESTORS"], { PUBLIC_FRAME_ANCESTORS: "none" }).PUBLIC_FRAME_ANCESTORS).toBe("'none'");
    expect(readEnv(["PUBLIC_FRAME_ANCESTORS"], { PUBLIC_FRAME_ANCESTORS: "self  https://studio.example" }).PUBLIC_FRAME_ANCESTORS).toBe(
      "'self' https://studio.example",
    );
    expect(() => readEnv(["PUBLIC_FRAME_ANCESTORS"], { PUBLIC_FRAME_ANCESTORS: "https://a.example; script-src *" })).toThrow(/PUBLIC_FRAME_ANCESTORS: must be/);
    expect(publicFrameAncestors("https://a.example, https://b.example")).toBe("'none'");
  });
});

describe("readEnv", () => {
  it("needs only the variables asked for: the proxy and the benchmark run without DATABASE_URL", () => {
    expect(readEnv(["HOLD_MINUTES", "CALDAV_TIMEOUT_MS"], { HOLD_MINUTES: "15" })).toEqual({ HOLD_MINUTES: 15, CALDAV_TIMEOUT_MS: 10_000 });
    expect(() => readEnv(["HOLD_MINUTES"], { HOLD_MINUTES: "soon", PORT: "bad" })).toThrow(/HOLD_MINUTES: must be a whole number above 0$/m);
  });

  it("resolves APP_URL by the same rule as getEnv: no trailing slash, else the local server on PORT", () => {
    expect(readEnv(["APP_URL"], { APP_URL: "https://book.example.com/" }).APP_URL).toBe("https://book.example.com");
    expect(readEnv(["APP_URL"], { PORT: "4100" }).APP_URL).toBe("http://localhost:4100");
    expect(readEnv(["APP_URL"], {}).APP_URL).toBe("http://localhost:3000");
  });
});

describe("getEnv", () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ENV_NAMES) delete process.env[name];
    Object.assign(process.env, REQUIRED, { NODE_ENV: "test" });
    resetEnvCache();
  });
  afterEach(() => {
    for (const name of ENV_NAMES) delete process.env[name];
    Object.assign(process.env, saved);
    resetEnvCache();
  });

  it("answers from its cache while the environment is unchanged", () => {
    expect(getEnv()).toBe(getEnv());
    expect(Object.isFrozen(getEnv())).toBe(true);
  });

  it("sees a variable changed at runtime, with or without resetEnvCache (tests, generated secrets)", () => {
    expect(getEnv().CRON_SECRET).toBeUndefined();
    process.env.CRON_SECRET = "cron-secret-0123456789";
    expect(getEnv().CRON_SECRET).toBe("cron-secret-0123456789");
    delete process.env.CRON_SECRET;
    expect(getEnv().CRON_SECRET).toBeUndefined();
    process.env.SMTP_TIMEOUT_MS = "1500";
    resetEnvCache();
    expect(getEnv().SMTP_TIMEOUT_MS).toBe(1500);
  });

  it("throws naming the variable when one turns invalid, and recovers once it is fixed", () => {
    process.env.HOLD_MINUTES = "ten";
    expect(() => getEnv()).toThrow(/HOLD_MINUTES: must be a whole number above 0/);
    process.env.HOLD_MINUTES = "12";
    expect(getEnv().HOLD_MINUTES).toBe(12);
  });

  it("gives the same app URL as appUrl(), the one every link and the session cookie use", () => {
    process.env.APP_URL = "https://book.example.com/";
    expect(getEnv().APP_URL).toBe("https://book.example.com");
    expect(appUrl()).toBe("https://book.example.com");
  });
});
