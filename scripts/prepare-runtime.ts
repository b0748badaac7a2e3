import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { getDb } from "@/db/client";
import { ensureAdmin, ensureStudioSettings, isUnseeded, seedDemoStudio, seedReturningCustomer } from "@/db/seed";
import { getEnv } from "@/lib/env";

export type Runtime = {
  embedded?: EmbeddedDatabase;
  /**
   * The first admin. `generatedPassword` is set only on the start that created the demo admin with
   * the password generated into secrets.json — a password from the environment is never echoed.
   */
  adminLogin?: { email: string; created: boolean; generatedPassword?: string; passwordFile?: string };
  seeded: boolean;
};

type LocalSecrets = { AUTH_SECRET: string; CRON_SECRET: string; ENCRYPTION_KEY: string; ADMIN_PASSWORD: string };

/** Secrets for the embedded default, made once and kept in the data folder so links survive restarts. */
async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  const secrets: LocalSecrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    CRON_SECRET: randomBytes(24).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ADMIN_PASSWORD: randomBytes(9).toString("base64url"),
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * Everything before serving: load .env, start the embedded Postgres when DATABASE_URL is unset,
 * migrate, seed a demo studio on first start (embedded) or just the first admin (your own
 * Postgres). Shared by `npm start`, the e2e server and the benchmark.
 */
export async function prepareRuntime(opts: { fastDatabase?: boolean; quiet?: boolean } = {}): Promise<Runtime> {
  process.env.TZ = "UTC";
  if (existsSync(".env") && typeof process.loadEnvFile === "function") process.loadEnvFile(".env");

  const runtime: Runtime = { seeded: false };
  const dataDir = path.resolve(process.env.HOLDFAST_DATA_DIR ?? "./.data");
  const embeddedMode = !process.env.DATABASE_URL;
  let demoPassword: string | undefined;

  if (embeddedMode) {
    await mkdir(dataDir, { recursive: true });
    const secrets = await localSecrets(dataDir);
    process.env.AUTH_SECRET ||= secrets.AUTH_SECRET;
    process.env.CRON_SECRET ||= secrets.CRON_SECRET;
    process.env.ENCRYPTION_KEY ||= secrets.ENCRYPTION_KEY;
    demoPassword = secrets.ADMIN_PASSWORD;
    if (!opts.quiet) console.log(`Starting the embedded Postgres in ${path.join(dataDir, "pg")} …`);
    runtime.embedded = await startEmbeddedPostgres({ dataDir, fast: opts.fastDatabase, quiet: opts.quiet });
    process.env.DATABASE_URL = runtime.embedded.url;
  }

  const env = getEnv();
  await migrateDatabase(env.DATABASE_URL);
  const db = getDb();

  const seedDemo = (process.env.HOLDFAST_SEED_DEMO ?? (embeddedMode ? "on" : "off")) === "on";
  if (await isUnseeded(db)) {
    if (seedDemo) {
      await seedDemoStudio(db, { timezone: env.APP_TZ, studioEmail: env.ADMIN_EMAIL ?? "studio@holdfast.local" });
      await seedReturningCustomer(db);
      runtime.seeded = true;
    } else {
      await ensureStudioSettings(db, { name: "My studio", email: env.ADMIN_EMAIL ?? "studio@example.com", timezone: env.APP_TZ });
    }
  }

  const adminEmail = env.ADMIN_EMAIL ?? (embeddedMode ? "admin@holdfast.local" : undefined);
  const adminPassword = env.ADMIN_PASSWORD ?? demoPassword;
  if (adminEmail && adminPassword) {
    const created = await ensureAdmin(db, adminEmail, adminPassword);
    const generated = !env.ADMIN_PASSWORD;
    runtime.adminLogin = {
      email: adminEmail,
      created,
      generatedPassword: generated && created ? adminPassword : undefined,
      passwordFile: generated ? path.join(dataDir, "secrets.json") : undefined,
    };
  } else if (!opts.quiet) {
    console.warn("No ADMIN_EMAIL/ADMIN_PASSWORD set: no admin was created (see README, 'The first admin').");
  }
  return runtime;
}
