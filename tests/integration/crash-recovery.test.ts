/**
 * A crash must not take the studio down, lose work or do it twice (issue 8, items 6 and 10).
 *
 * Holdfast runs as a child in its own process group — `tsx scripts/start.ts --worker-only`, the
 * start-up path of `npm start` without the web app (embedded Postgres in a temporary data folder,
 * migrations, seed, the resident job worker, the tick) — against a real SMTP peer that is slow
 * to answer and a real Radicale behind our fault proxy. The test books through lib functions on
 * the child's database, kills it mid-job, starts it again and checks what the customer and the
 * artist end up with: every email delivered once (by Message-ID at the SMTP peer) and every
 * booking exactly once in the artist's calendar.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationMessageId } from "@/lib/notifications/deliver-notification";
import { createPool, type Database } from "@/db/client";
import * as schema from "@/db/schema";
import { calendarObjects, notifications } from "@/db/schema";
import { linkTestCalendar, placeRequest, useCalDavTestEnvironment } from "../support/caldav-fixtures";
import { readCalendar, serverAvailable, startRadicale, type RunningCalDavServer } from "../support/caldav-servers";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";
import { startSmtpPeer } from "../support/smtp-peer";
import { createTestArtist, futureSlot } from "../support/test-db";

const available = serverAvailable("radicale");
const repoRoot = path.resolve(import.meta.dirname, "../..");
const HOLD_FOREVER_MS = 120_000;

let radicale: RunningCalDavServer;
let proxy: FaultProxy;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  useCalDavTestEnvironment();
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  process.env.APP_URL ??= "http://holdfast.test";
  process.env.DATABASE_URL ??= "postgres://unused@127.0.0.1:1/unused"; // lib code validates the environment once
  if (!available) return;
  radicale = await startRadicale();
  proxy = await startFaultProxy(radicale.baseUrl);
  smtp = await startSmtpPeer();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "holdfast-crash-"));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) killGroup(child);
  await proxy?.stop();
  await radicale?.stop();
  await smtp?.stop();
  if (dataDir) {
    await stopLeftoverPostgres();
    await rm(dataDir, { recursive: true, force: true });
  }
});

type Started = { child: ChildProcess; appPid: number; output: () => string; exited: Promise<void> };

/** `tsx scripts/start.ts --worker-only` in its own process group; resolves once it says it runs. */
async function startHoldfast(extraEnv: Record<string, string> = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TZ: "UTC",
    HOLDFAST_DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    SMTP_TIMEOUT_MS: String(HOLD_FOREVER_MS), // the slow peer must not time out: we kill first
    CALDAV_TIMEOUT_MS: String(HOLD_FOREVER_MS),
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!,
    APP_URL: "http://holdfast.test",
    ...extraEnv,
  };
  for (const key of ["DATABASE_URL", "AUTH_SECRET", "CRON_SECRET", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID", "NODE_ENV"]) delete env[key];
  if (!("ADMIN_PASSWORD" in extraEnv)) delete env.ADMIN_PASSWORD;
  if (!("ADMIN_EMAIL" in extraEnv)) delete env.ADMIN_EMAIL;
  const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["--import", "./scripts/allow-server-only.mjs", "scripts/start.ts", "--worker-only"], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const appPid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Holdfast did not come up within 45 s:\n${output}`)), 45_000);
    const check = () => {
      const match = /Holdfast job worker is running \(pid (\d+)\)/.exec(output);
      if (match && output.includes("Press Ctrl+C to stop.")) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Holdfast exited (${code ?? signal}) while starting:\n${output}`));
    });
  });
  return { child, appPid, output: () => output, exited };
}

function killGroup(child: ChildProcess) {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

function postmasterPid(): number | null {
  const file = path.join(dataDir, "pg", "postmaster.pid");
  return existsSync(file) ? Number.parseInt(readFileSync(file, "utf8").split("\n")[0]!, 10) : null;
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopLeftoverPostgres() {
  const pid = postmasterPid();
  if (pid && isRunning(pid)) {
    process.kill(pid, "SIGINT");
    const deadline = Date.now() + 10_000;
    while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
}

/** The child's database, found the way an operator would: port from postmaster.pid, password file. */
function connectToChild(): { db: Database; close: () => Promise<void> } {
  const lines = readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n");
  const password = readFileSync(path.join(dataDir, "pg-password"), "utf8").trim();
  const pool = createPool(`postgres://holdfast:${encodeURIComponent(password)}@127.0.0.1:${lines[3]}/holdfast`, 4);
  return { db: drizzle(pool, { schema }) as Database, close: () => pool.end() };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, output?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${output ? `\n--- Holdfast output ---\n${output()}` : ""}`);
}

/** Mails stuck at the slow peer and a calendar PUT that landed but was never answered: mid-job. */
async function waitUntilMidJob(mails: number, output: () => string) {
  await waitFor(
    `${mails} mails held at the SMTP peer and a calendar PUT in flight`,
    async () => smtp.held() >= mails && proxy.log.some((e) => e.method === "PUT" && e.status === "hung"),
    20_000,
    output,
  );
}

describe.skipIf(!available)("a crash of npm start (kill -9)", () => {
  it("comes back up on its own and finishes every email and calendar event exactly once — else the studio stays down, or customers get mails twice and artists see double bookings", async () => {
    const bookingIds: string[] = [];

    // Start 1 (fresh folder): the generated demo password is printed, once.
    const first = await startHoldfast();
    const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { ADMIN_PASSWORD: string };
    expect(first.output()).toContain(`admin@holdfast.local / ${secrets.ADMIN_PASSWORD}`);

    let conn = connectToChild();
    const { artist, service } = await createTestArtist(conn.db);
    const calendarUrl = await radicale.createCalendar();
    await linkTestCalendar(conn.db, radicale, { artistId: artist.id, calendarUrl: proxy.viaProxy(calendarUrl), baseUrl: proxy.url });

    // Crash 1: only the app's node process dies (its Postgres is left running, orphaned).
    smtp.holdMailFrom(HOLD_FOREVER_MS);
    proxy.rule({ method: "PUT", forwardThenHang: true, times: 1 });
    for (const day of [10, 11]) bookingIds.push((await placeRequest(conn.db, artist.slug, service.slug, futureSlot(day, "10:00"))).id);
    await waitUntilMidJob(4, first.output);
    await conn.close();
    const orphan = postmasterPid()!;
    process.kill(first.appPid, "SIGKILL");
    await first.exited;
    expect(isRunning(orphan), "the embedded Postgres outlived its app").toBe(true);

    // Start 2 on the same folder: the orphan is stopped cleanly, the dead worker's jobs run again.
    smtp.holdMailFrom(0);
    proxy.clearRules();
    const restartedAt = Date.now();
    const second = await startHoldfast();
    expect(second.output()).toMatch(/stopping the Postgres \(pid \d+\) that a crashed Holdfast left running/);
    expect(second.output(), "the demo password is printed only when it was created").not.toContain(secrets.ADMIN_PASSWORD);
    conn = connectToChild();
    const db2 = conn.db;
    await waitFor(
      "the interrupted emails and calendar pushes",
      async () => {
        const mails = await db2.select().from(notifications).where(inArray(notifications.bookingId, bookingIds));
        const objects = await db2.select().from(calendarObjects).where(inArray(calendarObjects.bookingId, bookingIds));
        return mails.length === 4 && mails.every((m) => m.status === "sent") && objects.length === 2;
      },
      60_000,
      second.output,
    );
    expect(Date.now() - restartedAt).toBeLessThan(60_000);

    // Crash 2: the whole process group dies (Postgres too), leaving a stale postmaster.pid.
    smtp.holdMailFrom(HOLD_FOREVER_MS);
    proxy.log.length = 0;
    proxy.rule({ method: "PUT", forwardThenHang: true, times: 1 });
    bookingIds.push((await placeRequest(db2, artist.slug, service.slug, futureSlot(12, "10:00"))).id);
    await waitUntilMidJob(2, second.output);
    await conn.close();
    const deadPostgres = postmasterPid()!;
    killGroup(second.child);
    await second.exited;
    await waitFor("the killed Postgres to be gone", async () => !isRunning(deadPostgres), 10_000);
    expect(postmasterPid(), "a stale postmaster.pid is left behind").toBe(deadPostgres);

    // Start 3, with an admin password from the environment: it is never printed.
    smtp.holdMailFrom(0);
    proxy.clearRules();
    const third = await startHoldfast({ ADMIN_EMAIL: "owner@holdfast.test", ADMIN_PASSWORD: "env-password-never-printed" });
    expect(third.output()).not.toContain("env-password-never-printed");
    expect(third.output()).not.toContain(secrets.ADMIN_PASSWORD);
    conn = connectToChild();
    const db3 = conn.db;
    const mails = await waitFor(
      "every email sent",
      async () => {
        const rows = await db3.select().from(notifications).where(inArray(notifications.bookingId, bookingIds));
        const objects = await db3.select().from(calendarObjects).where(inArray(calendarObjects.bookingId, bookingIds));
        return rows.length === 6 && rows.every((m) => m.status === "sent") && objects.length === 3 ? rows : null;
      },
      60_000,
      third.output,
    );

    // Exactly once, as the customer's mailbox and the artist's calendar see it.
    const deliveries = new Map<string, number>();
    for (const m of smtp.received) if (m.messageId) deliveries.set(m.messageId, (deliveries.get(m.messageId) ?? 0) + 1);
    for (const m of mails) expect(deliveries.get(notificationMessageId(m.id)), `deliveries of ${m.kind} ${m.id}`).toBe(1);
    const events = await readCalendar(radicale, calendarUrl);
    for (const id of bookingIds)
      expect(
        events.filter((e) => e.text.includes(id)),
        `events of booking ${id}`,
      ).toHaveLength(1);
    expect(events).toHaveLength(3);
    await conn.close();

    // Ctrl+C (SIGINT to the terminal's process group) ends it and shuts its Postgres down cleanly.
    process.kill(-third.child.pid!, "SIGINT");
    await third.exited;
    expect(third.output()).toContain("SIGINT: stopping");
    await waitFor("Postgres to remove its pid file", async () => postmasterPid() === null, 10_000);
  }, 150_000);
});
