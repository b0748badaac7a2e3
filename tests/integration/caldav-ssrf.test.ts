/**
 * "Test connection", linking, push and pull as an SSRF target: an admin can type any address, and
 * a CalDAV server can name any principal, home or redirect target. Small HTTP servers on loopback
 * play the hostile server and the victim (which records every Authorization header it gets); a
 * real Radicale shows that ordinary setups still work with the guard at its defaults.
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { calendars } from "@/db/schema";
import { CalDavError, createCalDavClient } from "@/lib/caldav/caldav-client";
import { clientForCalendar } from "@/lib/caldav/client-for-calendar";
import { linkCalendar } from "@/lib/caldav/link-calendar";
import { pullCalendarChanges } from "@/lib/caldav/pull-calendar";
import { testCalendarConnection, UNREACHABLE_MESSAGE } from "@/lib/caldav/test-connection";
import { resetEnvCache } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";
import { linkTestCalendar, placeRequest, runPushesUntilDone, setupCalDavTestDatabase } from "../support/caldav-fixtures";
import { putArtistObject, readCalendar, vcalendar, vevent } from "../support/caldav-servers";
import { createTestArtist, futureSlot } from "../support/test-db";
import { setupCalDavServer } from "../support/setup-caldav-server";

const PASSWORD = "ssrf-app-password-Zq9";
const BASIC = `Basic ${Buffer.from(`ink:${PASSWORD}`).toString("base64")}`;
/** Short deadline for the unreachable cases, which always take all of it. */
const FAST_MS = 1200;

type Seen = { method: string; path: string; authorization: string | null; host: string | null };

type FakeServer = {
  url: string;
  port: number;
  seen: Seen[];
  /** path → [status, Location] */
  redirects: Map<string, [number, string]>;
  principalHref: string;
  homeHref: string;
  calendarHref: string;
  close(): Promise<void>;
};

const multistatus = (...responses: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${responses.join("")}</d:multistatus>`;
const response = (href: string, props: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;

/**
 * A minimal CalDAV server (any password): root → principal → home → one syncable calendar, with
 * hrefs and redirects the test sets. Every request is recorded, with its Authorization header.
 */
async function startFakeCalDav(): Promise<FakeServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push({ method: req.method ?? "", path, authorization: req.headers.authorization ?? null, host: req.headers.host ?? null });
    req.resume();
    req.on("end", () => {
      const redirect = fake.redirects.get(path);
      if (redirect) return res.writeHead(redirect[0], { location: redirect[1] }).end();
      const xml = (body: string) => res.writeHead(207, { "content-type": "application/xml; charset=utf-8" }).end(body);
      if (req.method !== "PROPFIND" && req.method !== "REPORT") return res.writeHead(405).end();
      if (path === new URL(fake.homeHref, fake.url).pathname && req.headers.depth === "1") {
        return xml(
          multistatus(
            response(fake.homeHref, "<d:resourcetype><d:collection/></d:resourcetype>"),
            response(
              fake.calendarHref,
              `<d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>bookings</d:displayname><c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set><d:sync-token>http://x/sync/1</d:sync-token>`,
            ),
          ),
        );
      }
      if (path === new URL(fake.principalHref, fake.url).pathname)
        return xml(multistatus(response(path, `<d:calendar-home-set><d:href>${fake.homeHref}</d:href></d:calendar-home-set>`)));
      if (path === new URL(fake.calendarHref, fake.url).pathname && req.method === "REPORT") {
        return xml(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:sync-token>http://x/sync/2</d:sync-token></d:multistatus>`);
      }
      return xml(
        multistatus(
          response(
            path,
            `<d:resourcetype><d:collection/></d:resourcetype><d:current-user-principal><d:href>${fake.principalHref}</d:href></d:current-user-principal>`,
          ),
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}/`,
    port,
    seen,
    redirects: new Map(),
    principalHref: "/principals/ink/",
    homeHref: "/calendars/ink/",
    calendarHref: "/calendars/ink/bookings/",
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}

/** A port on 127.0.0.1 that nothing listens on (the connection is refused). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const { db, linked } = setupCalDavTestDatabase();
const { available: hasRadicale, server: radicale } = setupCalDavServer("radicale", { users: [{ username: "ink", password: PASSWORD }] });
let attacker: FakeServer;
let victim: FakeServer;
let silent: net.Server;
let silentUrl: string;
const silentSockets = new Set<net.Socket>();

const guardEnv = (vars: { CALDAV_BLOCK_PRIVATE?: string; CALDAV_ALLOWED_HOSTS?: string }) => {
  for (const [k, v] of Object.entries(vars)) process.env[k] = v;
  resetEnvCache();
};

beforeAll(async () => {
  attacker = await startFakeCalDav();
  victim = await startFakeCalDav();
  // Accepts connections and never says a word: a "silent service" on an open port.
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on("close", () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  delete process.env.CALDAV_BLOCK_PRIVATE;
  delete process.env.CALDAV_ALLOWED_HOSTS;
  resetEnvCache();
  for (const fake of [attacker, victim]) {
    fake.seen.length = 0;
    fake.redirects.clear();
    fake.principalHref = "/principals/ink/";
    fake.homeHref = "/calendars/ink/";
    fake.calendarHref = "/calendars/ink/bookings/";
  }
});
afterAll(async () => {
  await attacker?.close();
  await victim?.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const account = (serverUrl: string) => ({ serverUrl, username: "ink", password: PASSWORD });

describe("credentials stay on the origin the admin entered", () => {
  it("the fake server works when everything stays on its own origin (so the refusals below are the guard's)", async () => {
    const result = await testCalendarConnection(account(attacker.url));
    expect(result).toEqual({ ok: true, calendars: [{ url: `${attacker.url}calendars/ink/bookings/`, displayName: "bookings", supportsSync: true }] });
    expect(attacker.seen.every((r) => r.authorization === BASIC)).toBe(true);
  });

  it("refuses a current-user-principal on another origin; that server never sees the password", async () => {
    attacker.principalHref = `${victim.url}principals/ink/`;
    const result = await testCalendarConnection(account(attacker.url));
    expect(result).toMatchObject({ ok: false, error: { code: "cross_origin_discovery", message: expect.stringContaining(`127.0.0.1:${victim.port}`) } });
    expect(victim.seen).toEqual([]);
  });

  it("refuses a calendar-home-set or a calendar on another origin, and a protocol-relative one", async () => {
    attacker.homeHref = `//127.0.0.1:${victim.port}/calendars/ink/`;
    expect(await testCalendarConnection(account(attacker.url))).toMatchObject({ ok: false, error: { code: "cross_origin_discovery" } });
    attacker.homeHref = "/calendars/ink/";
    attacker.calendarHref = `${victim.url}calendars/ink/bookings/`;
    expect(await testCalendarConnection(account(attacker.url))).toMatchObject({ ok: false, error: { code: "cross_origin_discovery" } });
    expect(victim.seen).toEqual([]);
  });

  it("does not follow a redirect to another origin with the password, in test connection or in a sync", async () => {
    for (const status of [301, 302, 307, 308]) {
      attacker.redirects.set("/", [status, `${victim.url}remote.php/dav/`]);
      const result = await testCalendarConnection(account(attacker.url));
      expect(result, `redirect ${status}`).toMatchObject({
        ok: false,
        error: { code: "cross_origin_discovery", message: expect.stringContaining(`127.0.0.1:${victim.port}`) },
      });
    }
    attacker.redirects.set("/calendars/ink/bookings/", [307, `${victim.url}calendars/ink/bookings/`]);
    const client = createCalDavClient({ serverUrl: attacker.url, username: "ink", password: PASSWORD });
    await expect(client.syncChanges(`${attacker.url}calendars/ink/bookings/`, null)).rejects.toMatchObject({ kind: "cross_origin_discovery" });
    expect(victim.seen).toEqual([]);
  });

  it("still follows a redirect on the same origin (Nextcloud's /.well-known/caldav needs it)", async () => {
    attacker.redirects.set("/", [301, "/remote.php/dav/"]);
    const result = await testCalendarConnection(account(attacker.url));
    expect(result).toMatchObject({ ok: true, calendars: [{ url: `${attacker.url}calendars/ink/bookings/` }] });
    expect(attacker.seen.map((r) => r.path).slice(0, 2)).toEqual(["/", "/remote.php/dav/"]);
    expect(attacker.seen.every((r) => r.authorization === BASIC)).toBe(true);
  });

  it("refuses to link a calendar URL on another origin than the server, even without a test", async () => {
    const { artist } = await createTestArtist(db);
    await expect(
      linkCalendar(db, { artistId: artist.id, ...account(attacker.url), calendarUrl: `${victim.url}calendars/ink/bookings/`, role: "busy" }, { verify: false }),
    ).rejects.toMatchObject({ code: "invalid_input", fields: { calendarUrl: [expect.stringContaining("must be on the server you entered")] } });
  });
});

describe("one answer for every unreachable address (no port scanner)", () => {
  it("a closed port, a missing host name, a silent open port and a TLS failure all give the same code and message after the same wait", async () => {
    const cases = {
      closedPort: `http://127.0.0.1:${await closedPort()}/`,
      missingHost: "http://nonexistent.invalid/",
      silentPort: silentUrl,
      tlsToPlainHttp: `https://127.0.0.1:${attacker.port}/`,
    };
    for (const [name, serverUrl] of Object.entries(cases)) {
      const started = Date.now();
      const result = await testCalendarConnection(account(serverUrl), { timeoutMs: FAST_MS });
      const took = Date.now() - started;
      expect(result, name).toEqual({ ok: false, error: { code: "unreachable", message: UNREACHABLE_MESSAGE } });
      expect(took, `${name} took ${took} ms`).toBeGreaterThanOrEqual(FAST_MS - 50);
      expect(took, `${name} took ${took} ms`).toBeLessThan(FAST_MS + 1500);
    }
  });

  it("says `timeout` only when the server had already answered HTTP and then stalled", async () => {
    attacker.redirects.clear();
    // The principal answers; its PROPFIND then goes to a path that never answers.
    const stalling = http.createServer((req, res) => {
      if (new URL(req.url ?? "/", "http://x").pathname === "/") {
        res
          .writeHead(207, { "content-type": "application/xml" })
          .end(multistatus(response("/", `<d:current-user-principal><d:href>/p/</d:href></d:current-user-principal>`)));
      }
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    try {
      const result = await testCalendarConnection(account(`http://127.0.0.1:${(stalling.address() as AddressInfo).port}/`), { timeoutMs: FAST_MS });
      expect(result).toMatchObject({ ok: false, error: { code: "timeout" } });
    } finally {
      stalling.closeAllConnections();
      await new Promise<void>((resolve) => stalling.close(() => resolve()));
    }
  });
});

describe("CALDAV_BLOCK_PRIVATE and CALDAV_ALLOWED_HOSTS", () => {
  it("with CALDAV_BLOCK_PRIVATE=true, loopback in any spelling is refused before any connection", async () => {
    guardEnv({ CALDAV_BLOCK_PRIVATE: "true" });
    for (const host of ["127.0.0.1", "localhost", "[::1]", "2130706433", "0177.0.0.1", "[::ffff:127.0.0.1]"]) {
      const result = await testCalendarConnection(account(`http://${host}:${attacker.port}/`));
      expect(result, host).toMatchObject({ ok: false, error: { code: "host_not_allowed" } });
    }
    expect(attacker.seen).toEqual([]);
    const { artist } = await createTestArtist(db);
    await expect(
      linkCalendar(db, { artistId: artist.id, ...account(attacker.url), calendarUrl: `${attacker.url}calendars/ink/bookings/`, role: "busy" }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      fields: { serverUrl: [expect.stringContaining("not allowed")] },
      details: { reason: "host_not_allowed" },
    });
    expect(attacker.seen).toEqual([]);
  });

  it("the guard covers background pull and push too, not only the test button", async () => {
    const { artist } = await createTestArtist(db);
    const calendar = await linkCalendar(db, {
      artistId: artist.id,
      ...account(attacker.url),
      calendarUrl: `${attacker.url}calendars/ink/bookings/`,
      role: "busy",
    });
    linked.push(calendar.id);
    attacker.seen.length = 0;

    guardEnv({ CALDAV_BLOCK_PRIVATE: "true" });
    expect(await pullCalendarChanges(db, calendar.id)).toMatchObject({ status: "failed", errorCode: "host_not_allowed" });
    const [row] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    const client = clientForCalendar(row!);
    await expect(client.createObject(`${attacker.url}calendars/ink/bookings/x.ics`, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")).rejects.toMatchObject({
      kind: "host_not_allowed",
    });
    await expect(client.deleteObject(`${attacker.url}calendars/ink/bookings/x.ics`, null)).rejects.toBeInstanceOf(CalDavError);
    expect(attacker.seen).toEqual([]);
  });

  it("connects to the address that was checked, not to what DNS says later (no rebinding)", async () => {
    // The injected resolver is the "checked" answer; the system resolver does not know the name.
    const resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    const url = `http://calendar.rebind.invalid:${attacker.port}/`;
    expect(await testCalendarConnection(account(url), { resolver, policy: { allowedHosts: [], blockPrivate: false } })).toMatchObject({ ok: true });
    expect(attacker.seen[0]).toMatchObject({ host: `calendar.rebind.invalid:${attacker.port}` });
    attacker.seen.length = 0;
    expect(await testCalendarConnection(account(url), { resolver, policy: { allowedHosts: [], blockPrivate: true } })).toMatchObject({
      ok: false,
      error: { code: "host_not_allowed" },
    });
    expect(attacker.seen).toEqual([]);
  });

  it("with CALDAV_ALLOWED_HOSTS set, other hosts are refused and the listed one works", async () => {
    guardEnv({ CALDAV_ALLOWED_HOSTS: "cloud.example.com" });
    expect(await testCalendarConnection(account(attacker.url))).toMatchObject({
      ok: false,
      error: { code: "host_not_allowed", message: expect.stringContaining("127.0.0.1") },
    });
    expect(attacker.seen).toEqual([]);
    guardEnv({ CALDAV_ALLOWED_HOSTS: "cloud.example.com, 127.0.0.1" });
    expect(await testCalendarConnection(account(attacker.url))).toMatchObject({ ok: true });
  });

  it("refuses non-http(s) schemes and credentials in the URL as a field error", async () => {
    for (const serverUrl of ["gopher://127.0.0.1:6379/_INFO", "file:///etc/passwd", `http://ink:${PASSWORD}@127.0.0.1:${attacker.port}/`]) {
      const err = await testCalendarConnection(account(serverUrl)).catch((e: unknown) => e);
      expect(err, serverUrl).toBeInstanceOf(HoldfastError);
      expect(err).toMatchObject({ code: "invalid_input", fields: { serverUrl: [expect.any(String)] } });
    }
    expect(attacker.seen).toEqual([]);
  });
});

describe.skipIf(!hasRadicale)("with the guard at its defaults, a real Radicale on loopback", () => {
  it("still links, receives a booking and is pulled (self-hosters run Nextcloud on the same machine)", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: "Europe/Berlin" });
    const calendarUrl = await radicale.createCalendar("studio");
    const calendar = await linkTestCalendar(db, radicale, { artistId: artist.id, calendarUrl });
    linked.push(calendar.id);

    await placeRequest(db, artist.slug, service.slug, futureSlot(12, "10:00", "Europe/Berlin"));
    await runPushesUntilDone(db);
    expect(await readCalendar(radicale, calendarUrl)).toHaveLength(1);

    await putArtistObject(
      radicale,
      calendarUrl,
      "dentist.ics",
      vcalendar(vevent({ UID: "dentist-ssrf", DTSTART: "20300105T090000Z", DTEND: "20300105T100000Z", SUMMARY: "Dentist" })),
    );
    expect(await pullCalendarChanges(db, calendar.id)).toMatchObject({ status: "success" });
  });
});
