import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { Pool, types } from "pg";
import { readEnv } from "@/lib/env";
import * as schema from "./schema";

// bigint counts (count(*)) as numbers; our counts are far below 2^53.
types.setTypeParser(types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Database = NodePgDatabase<typeof schema> & { $client: Pool };
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Database | Transaction;

type Holder = { pool?: Pool; db?: Database; url?: string };
const holder: Holder = ((globalThis as Record<string, unknown>).__holdfastDb ??= {}) as Holder;

export function createPool(url: string, max = 10) {
  const pool = new Pool({ connectionString: url, max, application_name: "holdfast" });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", (err) => console.error("[db] idle client error:", err.message));
  pool.on("connect", (client) => client.on("error", (err) => console.error("[db] client error:", err.message)));
  return pool;
}

/**
 * The process-wide database handle, created on first use from DATABASE_URL (a new one when it
 * changes). Reads only the database's own variables: `npm run db:seed` and `admin:create` have
 * nothing else, and /api/health must report a missing DATABASE_URL as a failed check.
 */
export function getDb(): Database {
  const { DATABASE_URL: url, DATABASE_POOL_SIZE: max } = readEnv(["DATABASE_URL", "DATABASE_POOL_SIZE"]);
  if (!holder.db || holder.url !== url) {
    holder.pool = createPool(url, max);
    holder.db = drizzle(holder.pool, { schema }) as Database;
    holder.url = url;
  }
  return holder.db;
}

export async function closeDb() {
  const pool = holder.pool;
  holder.pool = undefined;
  holder.db = undefined;
  holder.url = undefined;
  await pool?.end();
}
