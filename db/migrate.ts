import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { Logger, runMigrations } from "graphile-worker";
import { Pool } from "pg";

const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === "error" || level === "warning") console.error(`[graphile-worker] ${message}`);
});

const MIGRATION_LOCK = 727_001; // arbitrary, fixed: one migrator at a time across app instances

/** Applies the job queue's schema and then ours (db/migrations), under an advisory lock. */
export async function migrateDatabase(url: string, opts: { migrationsFolder?: string } = {}) {
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on("error", (err) => console.error("[migrate] idle client error:", err.message));
  pool.on("connect", (client) => client.on("error", (err) => console.error("[migrate] client error:", err.message)));
  const lockClient = await pool.connect();
  try {
    await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await runMigrations({ pgPool: pool, logger: quietLogger });
    await migrate(drizzle(pool), { migrationsFolder: opts.migrationsFolder ?? path.resolve(process.cwd(), "db/migrations") });
  } finally {
    await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
    await pool.end();
  }
}
