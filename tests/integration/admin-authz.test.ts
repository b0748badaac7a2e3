/**
 * The authorization matrix at the handler level (the second lock): every admin route handler and
 * every admin server action, found by walking the source tree, is called directly — past the
 * proxy — as nobody, a customer, an artist and an admin, with real next-auth session cookies
 * (issued with next-auth's own encoder, read back by the real getServerSession and the database
 * role check). Only the admin gets through; everyone else gets 401/403 and no data.
 *
 * tests/e2e/admin-authz.spec.ts runs the same matrix over HTTP against the production build,
 * proxy included, with sessions from real sign-ins.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { adminAlerts, artists, bookings, calendarConflicts, calendars, studioSettings, users, workingHours } from "@/db/schema";
import { insertFailedNotification, insertPausedCalendar, userWithSessionCookie } from "../support/admin-fixtures";
import { sessionCookieFor } from "../support/auth-http";
import { createTestArtist, futureSlot, insertTestBooking, uniqueTag, setupTestDatabase } from "../support/test-db";

// Server actions read the request through next/headers; here each call says whose cookies it carries.
const requestCookies = vi.hoisted(() => ({ current: {} as Record<string, string> }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => Object.entries(requestCookies.current).map(([name, value]) => ({ name, value })),
    get: (name: string) => (name in requestCookies.current ? { name, value: requestCookies.current[name] } : undefined),
  }),
  headers: async () => new Headers({ "user-agent": "vitest-authz", "x-holdfast-client-ip": "203.0.113.99" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const ROOT = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Role = "anonymous" | "customer" | "artist" | "admin" | "forged-admin";

function walk(dir: string, match: (file: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, match, out);
    else if (match(full)) out.push(full);
  }
  return out;
}

/** Every admin route file, as its URL pattern (`/api/admin/bookings/[id]/approve`). */
function adminRouteFiles() {
  return walk(path.join(ROOT, "app/api/admin"), (f) => /\/route\.tsx?$/.test(f))
    .map((file) => ({ file, pattern: `/${path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/")}` }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** Files under the admin area that declare server actions. Inline actions are not allowed there: they would escape this list. */
function adminActionFiles() {
  const files = [...walk(path.join(ROOT, "app/admin"), (f) => /\.tsx?$/.test(f)), ...walk(path.join(ROOT, "components/admin"), (f) => /\.tsx?$/.test(f))];
  return files.filter((f) => /["']use server["']/.test(readFileSync(f, "utf8")));
}

const db = setupTestDatabase();
const ids = { booking: "", notification: "", artist: "", service: "", alert: "", calendar: "", conflict: "", missing: "00000000-0000-4000-8000-00000000dead" };
const cookies: Record<Role, string> = { anonymous: "", customer: "", artist: "", admin: "", "forged-admin": "" };
const userIds: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  tinyPng.bytes = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#888" } })
    .png()
    .toBuffer();
  const tag = uniqueTag();
  for (const role of ["admin", "artist", "customer"] as const) {
    const { user, cookie } = await userWithSessionCookie(db, { email: `${role}-${tag}@authz.test`, name: `${role} ${tag}`, role });
    userIds[role] = user.id;
    cookies[role] = cookie;
  }
  // A token that claims "admin" for a customer: the database, not the token, decides.
  cookies["forged-admin"] = await sessionCookieFor({ sub: userIds.customer!, email: "x@authz.test", name: "x", role: "admin" });

  const { artist, service } = await createTestArtist(db);
  ids.artist = artist.id;
  ids.service = service.id;
  ids.booking = await insertTestBooking(db, {
    artistId: artist.id,
    serviceId: service.id,
    start: futureSlot(30),
    customerName: "Authz",
    customerEmail: `authz-${tag}@example.com`,
  });
  ids.notification = (await insertFailedNotification(db, ids.booking, "authz@example.com")).id;
  const [alert] = await db.insert(adminAlerts).values({ kind: "test", message: "authz alert" }).returning();
  ids.alert = alert!.id;
  // A linked calendar with a sync run, and an open conflict.
  ids.calendar = (await insertPausedCalendar(db, { artistId: artist.id, username: "authz", key: tag, syncRun: true })).id;
  const [conflict] = await db
    .insert(calendarConflicts)
    .values({ kind: "event_overlaps_booking", details: {}, dedupeKey: `authz:${tag}` })
    .returning();
  ids.conflict = conflict!.id;
});

type RouteCase = { params?: () => Record<string, string>; query?: string; body?: () => unknown };

/**
 * One entry per admin route and method. A route file (or a method in it) without an entry here
 * fails the "every route is covered" test, so a new route cannot be forgotten.
 */
const ROUTE_CASES: Record<string, RouteCase> = {
  "GET /api/admin/artists/[id]/calendars": { params: () => ({ id: ids.artist }) },
  // Invalid on purpose: an admin gets 400 without Holdfast dialling out.
  "POST /api/admin/artists/[id]/calendars": {
    params: () => ({ id: ids.artist }),
    body: () => ({ serverUrl: "not a url", username: "authz", password: "x", calendarUrl: "nope", role: "write" }),
  },
  // Time off far ahead, removed again by the DELETE case (a missing id for everyone but the admin's run).
  "GET /api/admin/artists/[id]/time-off": { params: () => ({ id: ids.artist }) },
  "POST /api/admin/artists/[id]/time-off": { params: () => ({ id: ids.artist }), body: () => ({ start: "2098-01-05", end: "2098-01-05", reason: "authz" }) },
  "DELETE /api/admin/time-off/[id]": { params: () => ({ id: ids.missing }) },
  "GET /api/admin/bookings": { query: "?status=pending&pageSize=5" },
  // Invalid on purpose: an admin gets 400 and nothing is booked by the matrix.
  "POST /api/admin/bookings": { body: () => ({ artist: ids.artist, service: ids.service, start: "not a time", customer: { name: "Authz" } }) },
  "GET /api/admin/bookings/[id]": { params: () => ({ id: ids.booking }) },
  "POST /api/admin/bookings/[id]/approve": { params: () => ({ id: ids.missing }), body: () => ({ version: 1 }) },
  "POST /api/admin/bookings/[id]/reject": { params: () => ({ id: ids.missing }), body: () => ({ version: 1, reason: "no" }) },
  "POST /api/admin/bookings/[id]/cancel": { params: () => ({ id: ids.missing }), body: () => ({ version: 1 }) },
  "POST /api/admin/bookings/[id]/complete": { params: () => ({ id: ids.missing }), body: () => ({ version: 1 }) },
  "POST /api/admin/bookings/[id]/manage-link": { params: () => ({ id: ids.missing }) },
  "POST /api/admin/bookings/[id]/payment": { params: () => ({ id: ids.missing }), body: () => ({ version: 1, action: "refund" }) },
  "POST /api/admin/bookings/[id]/reschedule": { params: () => ({ id: ids.missing }), body: () => ({ version: 1, start: "2031-01-01T10:00:00Z" }) },
  "POST /api/admin/bookings/bulk": { body: () => ({ action: "approve", items: [{ id: ids.missing, version: 1 }] }) },
  "GET /api/admin/calendar": { query: "?week=2031-01-06" },
  "GET /api/admin/calendar-conflicts": { query: "?status=open" },
  "POST /api/admin/calendar-conflicts/[id]/resolve": { params: () => ({ id: ids.conflict }), body: () => ({ resolution: "keep_booking" }) },
  "GET /api/admin/calendars": {},
  "GET /api/admin/customers": { query: "?q=authz" },
  "DELETE /api/admin/calendars/[id]": { params: () => ({ id: ids.calendar }) },
  "GET /api/admin/calendars/[id]/runs": { params: () => ({ id: ids.calendar }), query: "?limit=5" },
  "POST /api/admin/calendars/[id]/sync": { params: () => ({ id: ids.calendar }) },
  "POST /api/admin/calendars/test": { body: () => ({ serverUrl: "not a url", username: "authz", password: "x" }) },
  "GET /api/admin/feed": {},
  "GET /api/admin/jobs": {},
  "POST /api/admin/jobs/retry": { body: () => ({ jobIds: ["999999999"] }) },
  "POST /api/admin/notifications/[id]/retry": { params: () => ({ id: ids.missing }) },
  "GET /api/admin/outbox": {},
  "GET /api/admin/resources": {},
  // Invalid on purpose (a kind is one lower-case word): an admin gets 400 and no room is added.
  "POST /api/admin/resources": { body: () => ({ name: "Authz room", kind: "Not A Kind!" }) },
  "PATCH /api/admin/resources/[id]": { params: () => ({ id: ids.missing }), body: () => ({ name: "Renamed" }) },
  "PUT /api/admin/resources/services/[id]": { params: () => ({ id: ids.missing }), body: () => ({ needs: [] }) },
  "PUT /api/admin/resources/bookings/[id]": { params: () => ({ id: ids.missing }), body: () => ({ version: 1, kind: "room", resourceId: ids.missing }) },
  "GET /api/admin/studio/outside-hours": {},
  "GET /api/admin/summary": {},
  // Webhooks: an invalid URL (400, nothing registered) and missing ids (404): the matrix never dials out.
  "GET /api/admin/webhooks": {},
  "POST /api/admin/webhooks": { body: () => ({ url: "not a url", events: ["booking.confirmed"] }) },
  "GET /api/admin/webhooks/[id]": { params: () => ({ id: ids.missing }) },
  "DELETE /api/admin/webhooks/[id]": { params: () => ({ id: ids.missing }) },
  "GET /api/admin/webhooks/[id]/deliveries": { params: () => ({ id: ids.missing }) },
  "POST /api/admin/webhooks/[id]/enable": { params: () => ({ id: ids.missing }) },
  "POST /api/admin/webhooks/[id]/test": { params: () => ({ id: ids.missing }) },
  "POST /api/admin/webhooks/deliveries/[id]/retry": { params: () => ({ id: "msg_00000000000000000000000000000000" }) },
};

type ActionCase = { args: () => unknown[] };

/** One entry per exported server action in the admin area (same rule: a missing entry fails). */
const ACTION_CASES: Record<string, ActionCase> = {
  saveArtistAction: {
    args: () => [{ id: ids.artist, name: "Renamed by attacker", slug: `attacker-${Date.now()}`, bio: "", timezone: "Europe/Berlin", active: false }],
  },
  saveServiceAction: {
    args: () => [
      {
        name: "Attacker service",
        slug: `attacker-svc-${Date.now()}`,
        durationMinutes: 30,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        priceCents: 0,
        minNoticeMinutes: 0,
        bookingWindowDays: 30,
        slotStepMinutes: 30,
        active: true,
        autoConfirm: true,
      },
    ],
  },
  setArtistServicesAction: { args: () => [{ artistId: ids.artist, serviceIds: [] }] },
  saveWorkingHoursAction: { args: () => [{ artistId: ids.artist, effectiveFrom: "2099-01-05", hours: [{ weekday: 1, start: "00:00", end: "01:00" }] }] },
  markAlertsReadAction: { args: () => [[ids.alert]] },
  // The default policy: harmless for the admin; for anyone else the settings row (updated_at included) must not move.
  saveCalendarEditPolicyAction: { args: () => [{ policy: "review" }] },
  // The test studio's own contact details (later files read them): the admin saves them unchanged; for anyone else the row must not move.
  saveStudioContactAction: { args: () => [{ email: "studio@test.example", address: "", phone: "", mapUrl: "" }] },
  // An empty change: the admin's save touches only updated_at; for anyone else the row must not move.
  saveStudioSettingsAction: { args: () => [{}] },
  // Images and intake (lib/media, lib/intake): a tiny portfolio image for the admin's run, a no-op or a missing id otherwise.
  uploadArtistImageAction: { args: () => [artistImageForm()] },
  saveArtistMediaAction: { args: () => [{ artistId: ids.artist, items: [] }] },
  deleteArtistImageAction: { args: () => [{ imageId: ids.missing }] },
  saveServiceIntakeAction: { args: () => [{ serviceId: ids.service, questions: [], asksReferenceImages: false, consentText: "" }] },
};

/** A FormData upload of a 4×4 PNG (made in beforeAll: sharp is asynchronous, the cases' args are not). */
const tinyPng = { bytes: Buffer.alloc(0) };
function artistImageForm() {
  const form = new FormData();
  form.set("artistId", ids.artist);
  form.set("role", "portfolio");
  form.set("altText", "authz");
  form.set("file", new File([new Uint8Array(tinyPng.bytes)], "tiny.png", { type: "image/png" }));
  return form;
}

/** The same rule for app/admin/time-off-actions.ts: a far-future day off, then its removal (by the admin's run only). */
const timeOffIds = { added: "" };
const TIME_OFF_ACTION_CASES: Record<string, ActionCase> = {
  addTimeOffAction: { args: () => [{ artistId: ids.artist, start: "2097-03-02", end: "2097-03-02", reason: "authz" }] },
  removeTimeOffAction: { args: () => [{ id: timeOffIds.added || ids.missing }] },
};

/**
 * The same rule for app/admin/bookings-actions.ts: the admin's run books one far-off time (no mail); nobody else's may book anything.
 * Its own artist: the admin's run of saveArtistAction deactivates the shared one.
 */
const bookingStudio = { artist: "", service: "" };
const BOOKING_ACTION_CASES: Record<string, ActionCase> = {
  bookForCustomerAction: {
    args: () => [
      {
        artist: bookingStudio.artist,
        service: bookingStudio.service,
        start: futureSlot(45, "10:00").toISOString(),
        customer: { name: "Authz Phone", phone: "+49 30 000" },
        notify: false,
        override: true,
      },
    ],
  },
  searchCustomersAction: { args: () => [{ q: "authz" }] },
  loadFreeTimesAction: { args: () => [{ artist: bookingStudio.artist, service: bookingStudio.service }] },
  // On a confirmed booking of an artist of their own (so the count above sees only bookForCustomerAction): the admin's run
  // repeats it twice, adds one more time to the series, then cancels the whole series again.
  repeatBookingAction: { args: () => [{ bookingId: seriesCase.booking, everyWeeks: 1, count: 2, notify: false, override: true }] },
  addToSeriesAction: { args: () => [{ bookingId: seriesCase.booking, start: futureSlot(75, "14:00").toISOString(), notify: false, override: true }] },
  cancelSeriesAction: { args: () => [{ bookingId: seriesCase.booking, scope: "following" }] },
};

const seriesCase = { booking: "" };
beforeAll(async () => {
  const { artist, service } = await createTestArtist(db);
  seriesCase.booking = await insertTestBooking(db, {
    artistId: artist.id,
    serviceId: service.id,
    start: futureSlot(60, "10:00"),
    status: "confirmed",
    customerName: "Authz Series",
    customerEmail: `authz-series-${uniqueTag()}@example.com`,
  });
});

/** What a non-admin must not have changed, whatever they sent. */
async function protectedState() {
  const [artist] = await db.select().from(artists).where(eq(artists.id, ids.artist));
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, ids.booking));
  const [alert] = await db.select().from(adminAlerts).where(eq(adminAlerts.id, ids.alert));
  const hours = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(workingHours)
    .where(eq(workingHours.artistId, ids.artist));
  const attackerServices = await db.execute<{ n: number }>(sql`select count(*)::int as n from services where slug like 'attacker-%'`);
  const [calendar] = await db.select().from(calendars).where(eq(calendars.id, ids.calendar));
  const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.id, ids.conflict));
  const [studio] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
  const artistCalendars = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(calendars)
    .where(eq(calendars.artistId, ids.artist));
  return { artist, booking, alert, hours, attackerServices: attackerServices.rows[0]!.n, calendar, conflict, studio, artistCalendars };
}

describe("admin authorization matrix (handlers and actions, past the proxy)", () => {
  const routes = adminRouteFiles();

  it("finds the admin routes and has a case for every route file and method", async () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const missing: string[] = [];
    for (const route of routes) {
      const mod = (await import(route.file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof mod[m] === "function");
      expect(methods.length, `${route.pattern} exports no handler`).toBeGreaterThan(0);
      for (const m of methods) if (!ROUTE_CASES[`${m} ${route.pattern}`]) missing.push(`${m} ${route.pattern}`);
    }
    expect(missing, "admin routes without an authorization case").toEqual([]);
  });

  it("finds the admin server actions and has a case for every one", async () => {
    const files = adminActionFiles();
    expect(files.map((f) => path.relative(ROOT, f)).sort()).toEqual(["app/admin/actions.ts", "app/admin/bookings-actions.ts", "app/admin/time-off-actions.ts"]);
    for (const file of files) {
      // A "use server" directive anywhere but the first statement means an inline action.
      expect(readFileSync(file, "utf8").trimStart().startsWith('"use server"'), `${file}: put admin server actions in a "use server" module`).toBe(true);
    }
    const exported = Object.keys((await import(path.join(ROOT, "app/admin/actions.ts"))) as object).sort();
    expect(exported).toEqual(Object.keys(ACTION_CASES).sort());
    const timeOffExported = Object.keys((await import(path.join(ROOT, "app/admin/time-off-actions.ts"))) as object).sort();
    expect(timeOffExported).toEqual(Object.keys(TIME_OFF_ACTION_CASES).sort());
    const bookingsExported = Object.keys((await import(path.join(ROOT, "app/admin/bookings-actions.ts"))) as object).sort();
    expect(bookingsExported).toEqual(Object.keys(BOOKING_ACTION_CASES).sort());
  });

  const roles: Role[] = ["anonymous", "customer", "artist", "forged-admin", "admin"];
  for (const role of roles) {
    it(`route handlers as ${role}: ${role === "admin" ? "let through" : "refused with 401/403 and no data"}`, async () => {
      const before = await protectedState();
      for (const route of routes) {
        const mod = (await import(route.file)) as Record<
          Method,
          ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) | undefined
        >;
        for (const method of METHODS) {
          const handler = mod[method];
          if (!handler) continue;
          const c = ROUTE_CASES[`${method} ${route.pattern}`]!;
          const params = c.params?.() ?? {};
          const url = `http://holdfast.test${route.pattern.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? k)}${c.query ?? ""}`;
          const body = c.body?.();
          const headers: Record<string, string> = { "user-agent": "vitest-authz" };
          if (cookies[role]) headers.cookie = cookies[role];
          if (body !== undefined) headers["content-type"] = "application/json";
          const res = await handler(new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), {
            params: Promise.resolve(params),
          });
          const label = `${role} ${method} ${route.pattern}`;
          if (role === "admin") {
            expect([401, 403], label).not.toContain(res.status);
            expect(res.status, label).toBeLessThan(500);
          } else {
            expect(res.status, label).toBe(role === "anonymous" ? 401 : 403);
            const json = (await res.json()) as Record<string, unknown>;
            expect(Object.keys(json), `${label} leaks data`).toEqual(["error"]);
            expect((json.error as { code: string }).code).toBe(role === "anonymous" ? "unauthorized" : "forbidden");
          }
        }
      }
      if (role !== "admin") expect(await protectedState()).toEqual(before);
    });

    it(`server actions as ${role}: ${role === "admin" ? "let through" : "refused and change nothing"}`, async () => {
      const actions = (await import(path.join(ROOT, "app/admin/actions.ts"))) as Record<
        string,
        (...args: unknown[]) => Promise<{ ok: boolean; error?: { code: string }; data?: unknown }>
      >;
      const before = await protectedState();
      for (const [name, c] of Object.entries(ACTION_CASES)) {
        requestCookies.current = cookies[role] ? { "next-auth.session-token": cookies[role].split("=").slice(1).join("=") } : {};
        const result = await actions[name]!(...c.args());
        if (role === "admin") {
          expect(result, `${role} ${name}`).toEqual({ ok: true, data: expect.anything() });
        } else {
          expect(result, `${role} ${name}`).toEqual({
            ok: false,
            error: expect.objectContaining({ code: role === "anonymous" ? "unauthorized" : "forbidden" }),
          });
          expect(result.data).toBeUndefined();
        }
      }
      requestCookies.current = {};
      if (role !== "admin") expect(await protectedState()).toEqual(before);
    });
  }

  for (const role of roles) {
    it(`time-off server actions as ${role}: ${role === "admin" ? "let through" : "refused and change nothing"}`, async () => {
      const actions = (await import(path.join(ROOT, "app/admin/time-off-actions.ts"))) as Record<
        string,
        (...args: unknown[]) => Promise<{ ok: boolean; error?: { code: string }; data?: unknown }>
      >;
      const timeOffCount = async () =>
        (await db.execute<{ n: number }>(sql`select count(*)::int as n from time_off where artist_id = ${ids.artist}`)).rows[0]!.n;
      const before = await timeOffCount();
      requestCookies.current = cookies[role] ? { "next-auth.session-token": cookies[role].split("=").slice(1).join("=") } : {};
      for (const name of ["addTimeOffAction", "removeTimeOffAction"]) {
        const result = await actions[name]!(...TIME_OFF_ACTION_CASES[name]!.args());
        if (role === "admin") {
          expect(result, `${role} ${name}`).toEqual({ ok: true, data: expect.anything() });
          if (name === "addTimeOffAction") timeOffIds.added = (result.data as { timeOff: { id: string } }).timeOff.id;
        } else {
          expect(result, `${role} ${name}`).toEqual({
            ok: false,
            error: expect.objectContaining({ code: role === "anonymous" ? "unauthorized" : "forbidden" }),
          });
          expect(result.data).toBeUndefined();
        }
      }
      requestCookies.current = {};
      expect(await timeOffCount()).toBe(before);
    });
  }

  for (const role of roles) {
    it(`booking server actions as ${role}: ${role === "admin" ? "let through" : "refused and book nothing"}`, async () => {
      const actions = (await import(path.join(ROOT, "app/admin/bookings-actions.ts"))) as Record<
        string,
        (...args: unknown[]) => Promise<{ ok: boolean; error?: { code: string }; data?: unknown }>
      >;
      if (!bookingStudio.artist) {
        const { artist, service } = await createTestArtist(db);
        Object.assign(bookingStudio, { artist: artist.id, service: service.id });
      }
      const artistBookings = async () =>
        (await db.execute<{ n: number }>(sql`select count(*)::int as n from bookings where artist_id = ${bookingStudio.artist}`)).rows[0]!.n;
      const before = await artistBookings();
      requestCookies.current = cookies[role] ? { "next-auth.session-token": cookies[role].split("=").slice(1).join("=") } : {};
      for (const [name, c] of Object.entries(BOOKING_ACTION_CASES)) {
        const result = await actions[name]!(...c.args());
        if (role === "admin") {
          expect(result, `${role} ${name}`).toEqual({ ok: true, data: expect.anything() });
        } else {
          expect(result, `${role} ${name}`).toEqual({
            ok: false,
            error: expect.objectContaining({ code: role === "anonymous" ? "unauthorized" : "forbidden" }),
          });
          expect(result.data).toBeUndefined();
        }
      }
      requestCookies.current = {};
      expect(await artistBookings()).toBe(role === "admin" ? before + 1 : before);
    });
  }

  it("the admin's calls to the calendar routes did what they say", async () => {
    // The matrix ran as admin last: the paused calendar was unlinked and the conflict kept.
    expect(await db.select().from(calendars).where(eq(calendars.id, ids.calendar))).toEqual([]);
    const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.id, ids.conflict));
    expect(conflict).toMatchObject({ status: "resolved", resolution: "keep_booking" });
    expect(conflict!.resolvedBy).toBe(`admin:${userIds.admin}`);
    const [studio] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
    expect(studio!.calendarEditPolicy).toBe("review");
  });

  it("a session of a user who no longer exists is nobody's", async () => {
    const [gone] = await db
      .insert(users)
      .values({ email: `gone-${Date.now()}@authz.test`, role: "admin" })
      .returning();
    const cookie = await sessionCookieFor({ sub: gone!.id, email: gone!.email, name: "", role: "admin" });
    await db.delete(users).where(eq(users.id, gone!.id));
    const { GET } = await import(path.join(ROOT, "app/api/admin/summary/route.ts"));
    const res = (await GET(new Request("http://holdfast.test/api/admin/summary", { headers: { cookie } }), { params: Promise.resolve({}) })) as Response;
    expect(res.status).toBe(401);
  });

  it("a tampered session cookie is nobody's", async () => {
    const { GET } = await import(path.join(ROOT, "app/api/admin/summary/route.ts"));
    const tampered = `${cookies.admin.slice(0, -4)}AAAA`;
    const res = (await GET(new Request("http://holdfast.test/api/admin/summary", { headers: { cookie: tampered } }), {
      params: Promise.resolve({}),
    })) as Response;
    expect(res.status).toBe(401);
  });

  it("refuses a cross-site POST even with an admin session", async () => {
    const { POST } = await import(path.join(ROOT, "app/api/admin/bookings/bulk/route.ts"));
    const res = (await POST(
      new Request("http://holdfast.test/api/admin/bookings/bulk", {
        method: "POST",
        headers: { cookie: cookies.admin, origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ action: "approve", items: [{ id: ids.booking, version: 1 }] }),
      }),
      { params: Promise.resolve({}) },
    )) as Response;
    expect(res.status).toBe(403);
    const [booking] = await db.select().from(bookings).where(eq(bookings.id, ids.booking));
    expect(booking!.status).toBe("pending");
  });
});
