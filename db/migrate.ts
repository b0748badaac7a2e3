import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { Logger, runMigrations } from "graphile-worker";
import { Pool, type PoolClient } from "pg";

const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === "error" || level === "warning") console.error(`[graphile-worker] ${message}`);
});

const MIGRATION_LOCK = 727_001; // arbitrary, fixed: one migrator at a time across app instances

/**
 * Enum values a migration adds and then uses (in a constraint, a function). Drizzle runs pending
 * migrations in one transaction, and Postgres refuses a value added to an existing type in the
 * same transaction that uses it, so on an existing database they are added first, on their own.
 * (On a fresh database the type is created in that transaction, where the new value is usable.)
 */
const ENUM_VALUES_ADDED_BY_MIGRATIONS: { type: string; value: string; before: string }[] = [
  { type: "booking_status", value: "awaiting_payment", before: "pending" },
];

async function addEnumValuesOutsideTransaction(client: PoolClient) {
  for (const { type, value, before } of ENUM_VALUES_ADDED_BY_MIGRATIONS) {
    const { rows } = await client.query("select 1 from pg_type where typname = $1 and typnamespace = 'public'::regnamespace", [type]);
    if (rows.length === 0) continue;
    await client.query(`alter type public.${type} add value if not exists '${value}' before '${before}'`);
  }
}

/** Applies the job queue's schema and then ours (db/migrations), under an advisory lock. */
export async function migrateDatabase(url: string, opts: { migrationsFolder?: string } = {}) {
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on("error", (err) => console.error("[migrate] idle client error:", err.message));
  pool.on("connect", (client) => client.on("error", (err) => console.error("[migrate] client error:", err.message)));
  const lockClient = await pool.connect();
  try {
    await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await runMigrations({ pgPool: pool, logger: quietLogger });
    await addEnumValuesOutsideTransaction(lockClient);
    await migrate(drizzle(pool), { migrationsFolder: opts.migrationsFolder ?? path.resolve(process.cwd(), "db/migrations") });
  } finally {
    await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
    await pool.end();
  }
}
