import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inject, describe, expect, it, afterAll } from "vitest";
import { Client } from "pg";
import { migrateDatabase } from "@/db/migrate";

/*
 * A studio that already runs Holdfast upgrades by starting the new version on its existing
 * database. Drizzle applies the pending migrations in one transaction, and Postgres refuses an
 * enum value that is added and used in the same transaction, so this is the path a fresh test
 * database never exercises: an upgrade from the last release before deposits (0014).
 */
const migrationsFolder = path.resolve(import.meta.dirname, "../../db/migrations");
const LAST_BEFORE_DEPOSITS = "0014_watchdog_incidents";

async function migrationsUpTo(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "holdfast-migrations-"));
  await cp(migrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: { tag: string; idx: number }[] };
  const last = journal.entries.findIndex((e) => e.tag === tag);
  if (last < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, last + 1);
  await writeFile(journalPath, JSON.stringify(journal));
  return dir;
}

describe("upgrading an existing database", () => {
  const base = new URL(inject("databaseUrl"));
  const name = `holdfast_upgrade_${process.pid}_${Date.now()}`;
  const upgradeUrl = new URL(base);
  upgradeUrl.pathname = `/${name}`;
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("applies the deposit, room, webhook and image migrations to a database at 0014 — else a studio's upgrade would fail at start and Holdfast would not come up", async () => {
    const admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    });

    const oldFolder = await migrationsUpTo(LAST_BEFORE_DEPOSITS);
    cleanups.push(() => rm(oldFolder, { recursive: true, force: true }));
    await migrateDatabase(upgradeUrl.toString(), { migrationsFolder: oldFolder });

    const db = new Client({ connectionString: upgradeUrl.toString() });
    await db.connect();
    cleanups.push(() => db.end());
    const before = await db.query("select enum_range(null::booking_status)::text as statuses");
    expect(before.rows[0].statuses).not.toContain("awaiting_payment");

    await migrateDatabase(upgradeUrl.toString(), { migrationsFolder });

    const after = await db.query("select enum_range(null::booking_status)::text as statuses");
    expect(after.rows[0].statuses).toBe("{hold,awaiting_payment,pending,confirmed,rejected,cancelled,expired,completed}");
    const constraint = await db.query("select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'bookings_no_overlap'");
    expect(constraint.rows[0].def).toContain("awaiting_payment");
    const tables = await db.query(
      "select count(*)::int as n from information_schema.tables where table_name in ('payments', 'resources', 'booking_resources', 'webhook_endpoints', 'media_images')",
    );
    expect(tables.rows[0].n).toBe(5);
    // Running again is a no-op (every start migrates).
    await migrateDatabase(upgradeUrl.toString(), { migrationsFolder });
  });
});
