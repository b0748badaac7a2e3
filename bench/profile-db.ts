/**
 * Profiling helper (not part of `npm run bench`): starts an embedded Postgres in a fixed folder,
 * migrates and seeds it once with the core load, prints its URL and waits, so EXPLAIN ANALYZE and
 * in-process timings can be run against the same data as the bench.
 *   npx tsx --import ./scripts/allow-server-only.mjs bench/profile-db.ts /tmp/holdfast-profile-db
 */
process.env.TZ = "UTC";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { Client, Pool } from "pg";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { seedBookingLoad } from "./booking-core";

async function main() {
  const dataDir = process.argv[2] ?? "/tmp/holdfast-profile-db";
  const fresh = !existsSync(dataDir);
  const pg = await startEmbeddedPostgres({ dataDir, database: "postgres", quiet: true });
  const url = new URL(pg.url);
  url.pathname = "/bench_core";
  if (fresh) {
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query(`create database bench_core`);
    await admin.end();
    await migrateDatabase(url.toString());
    const pool = new Pool({ connectionString: url.toString() });
    await seedBookingLoad(pool);
    await pool.end();
  }
  await writeFile(`${dataDir}.url`, url.toString());
  console.log(url.toString());
  const stop = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
