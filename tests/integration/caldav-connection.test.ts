/**
 * "Test connection" and linking a calendar, as the admin dashboard uses them, against real
 * servers (Radicale with passwords, Xandikos) and the fault proxy.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendars } from "@/db/schema";
import { decryptSecret } from "@/lib/caldav/encrypt-secret";
import { linkCalendar, unlinkCalendar } from "@/lib/caldav/link-calendar";
import { listCalendars } from "@/lib/caldav/list-calendars";
import { testCalendarConnection, UNREACHABLE_MESSAGE } from "@/lib/caldav/test-connection";
import { HoldfastError } from "@/lib/errors";
import { adminActor, setupCalDavTestDatabase } from "../support/caldav-fixtures";
import { createTestArtist } from "../support/test-db";
import { setupCalDavServer } from "../support/setup-caldav-server";

const APP_PASSWORD = "trex-7Yq2-app-password";

const { db, linked } = setupCalDavTestDatabase();
const {
  available: hasRadicale,
  server: radicale,
  proxy,
} = setupCalDavServer("radicale", { users: [{ username: "ink", password: APP_PASSWORD }], faultProxy: true });
const { available: hasXandikos, server: xandikos } = setupCalDavServer("xandikos");
let notCalDav: http.Server;
let notCalDavUrl: string;
let calendarUrl: string;

beforeAll(async () => {
  notCalDav = http.createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not here</h1>"));
  await new Promise<void>((resolve) => notCalDav.listen(0, "127.0.0.1", resolve));
  notCalDavUrl = `http://127.0.0.1:${(notCalDav.address() as AddressInfo).port}/`;
  if (hasRadicale) calendarUrl = await radicale.createCalendar("bookings");
});
afterAll(async () => {
  await new Promise<void>((resolve) => notCalDav.close(() => resolve()));
});

const account = (overrides: Partial<{ serverUrl: string; username: string; password: string }> = {}) => ({
  serverUrl: radicale.baseUrl,
  username: "ink",
  password: APP_PASSWORD,
  ...overrides,
});

describe.skipIf(!hasRadicale)("Test connection", () => {
  it("lists the account's calendars and whether each can be synced", async () => {
    const result = await testCalendarConnection(account());
    expect(result).toEqual({ ok: true, calendars: [{ url: calendarUrl, displayName: "bookings", supportsSync: true }] });
  });

  it("finds the calendars when given the calendar URL itself", async () => {
    const result = await testCalendarConnection(account({ serverUrl: calendarUrl }));
    expect(result).toMatchObject({ ok: true, calendars: [{ url: calendarUrl }] });
  });

  it.skipIf(!hasXandikos)("works with Xandikos too", async () => {
    const result = await testCalendarConnection({ serverUrl: xandikos.baseUrl, username: "user", password: "anything" });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.calendars.map((c) => c.supportsSync)).toContain(true);
  });

  it("says the password is wrong — not that the server is broken", async () => {
    const result = await testCalendarConnection(account({ password: "wrong" }));
    expect(result).toMatchObject({ ok: false, error: { code: "bad_credentials" } });
    if (!result.ok) expect(result.error.message).toMatch(/app password/);
  });

  it("explains a 429 as Nextcloud's brute-force lock and says when to try again", async () => {
    proxy.rule({ respond: { status: 429, headers: { "retry-after": "300" } } });
    const result = await testCalendarConnection(account({ serverUrl: proxy.url }));
    expect(result).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    if (!result.ok) expect(result.error.message).toMatch(/brute-force.*5 minute/);
  });

  it("says when an address is not a CalDAV server", async () => {
    expect(await testCalendarConnection(account({ serverUrl: notCalDavUrl }))).toMatchObject({ ok: false, error: { code: "not_caldav" } });
  });

  it("gives up after 3 seconds when the server does not answer, so the admin is not left waiting", async () => {
    // A server that never answers gets the same words as a closed port (no port-scan oracle).
    proxy.rule({ hang: true });
    const started = Date.now();
    const result = await testCalendarConnection(account({ serverUrl: proxy.url }));
    expect(result).toEqual({ ok: false, error: { code: "unreachable", message: UNREACHABLE_MESSAGE } });
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it("says the server stopped answering when it stalls halfway through discovery", async () => {
    proxy.rule({ bodyIncludes: "calendar-home-set", hang: true });
    const started = Date.now();
    const result = await testCalendarConnection(account({ serverUrl: proxy.url }));
    expect(result).toMatchObject({ ok: false, error: { code: "timeout" } });
    if (!result.ok) expect(result.error.message).toMatch(/3 seconds/);
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it("refuses a server without sync-collection support, which Holdfast needs to sync cheaply", async () => {
    proxy.rewriteResponse = ({ method, body }) =>
      method === "PROPFIND" ? body.replace(/<[^<>]*sync-collection[^<>]*\/>/g, "").replace(/<([\w:]*)sync-token>[^<]*<\/\1sync-token>/g, "") : body;
    const result = await testCalendarConnection(account({ serverUrl: proxy.url }));
    expect(result).toMatchObject({ ok: false, error: { code: "no_sync_support" } });
  });
});

describe.skipIf(!hasRadicale)("linking a calendar", () => {
  it("stores the app password encrypted and never returns it", async () => {
    const { artist } = await createTestArtist(db);
    const calendar = await linkCalendar(db, { artistId: artist.id, ...account(), calendarUrl, role: "write" });
    linked.push(calendar.id);
    expect(JSON.stringify(calendar)).not.toContain(APP_PASSWORD);
    expect(calendar).not.toHaveProperty("passwordEncrypted");
    const listed = await listCalendars(db, { artistId: artist.id });
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toMatch(/password/i);

    const [row] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    expect(row!.passwordEncrypted).not.toContain(APP_PASSWORD);
    expect(decryptSecret(row!.passwordEncrypted)).toBe(APP_PASSWORD);
  });

  it("refuses a wrong password and a second calendar for the artist's bookings", async () => {
    const { artist } = await createTestArtist(db);
    await expect(linkCalendar(db, { artistId: artist.id, ...account({ password: "nope" }), calendarUrl, role: "write" })).rejects.toBeInstanceOf(HoldfastError);
    const first = await linkCalendar(db, { artistId: artist.id, ...account(), calendarUrl, role: "write" });
    linked.push(first.id);
    const other = await radicale.createCalendar("private");
    await expect(linkCalendar(db, { artistId: artist.id, ...account(), calendarUrl: other, role: "write" })).rejects.toMatchObject({
      code: "invalid_input",
      fields: { role: [expect.stringContaining("already")] },
    });
    const busy = await linkCalendar(db, { artistId: artist.id, ...account(), calendarUrl: other, role: "busy" });
    linked.push(busy.id);
    expect((await listCalendars(db, { artistId: artist.id })).map((c) => c.role).sort()).toEqual(["busy", "write"]);
    await unlinkCalendar(db, busy.id, adminActor);
    expect(await listCalendars(db, { artistId: artist.id })).toHaveLength(1);
  });
});
