/**
 * The authorization matrix over HTTP against the production build (proxy and handlers together),
 * generated from the source tree and the build: every /api/admin route file and method, every
 * admin page and every admin server action in Next's server-reference manifest, called as nobody,
 * a customer (signed in by magic link), an artist and an admin (both by password through
 * next-auth's credentials endpoint). Only the admin gets through; everyone else gets 401/403 (or a
 * redirect to the sign-in page) and no data. A route, page or action without a case fails.
 *
 * tests/integration/admin-authz.test.ts runs the same matrix against the handlers directly, past
 * the proxy, so the second lock is tested on its own too.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN, createStaffUser, customerSessionThroughMagicLink, signInThroughApi } from "./pages/admin-session";
import { nextWeekday, queryDb, requestThroughApi, uniqueClientIp } from "./support/e2e-runtime";

type Role = "anonymous" | "customer" | "artist" | "admin";
const ROLES: Role[] = ["anonymous", "customer", "artist", "admin"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const ROOT = process.cwd();

function walk(dir: string, match: (f: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, match, out);
    else if (match(full)) out.push(full);
  }
  return out;
}

/** `app/admin/(dashboard)/bookings/[id]/page.tsx` → `/admin/bookings/[id]` */
function urlPattern(file: string) {
  const rel = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  return `/${rel.filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
}

const routeFiles = walk(path.join(ROOT, "app/api/admin"), (f) => /\/route\.tsx?$/.test(f)).map((file) => ({
  pattern: urlPattern(file),
  methods: METHODS.filter((m) =>
    new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b|export\\s*\\{[^}]*\\b${m}\\b`).test(readFileSync(file, "utf8")),
  ),
}));
const pageFiles = walk(path.join(ROOT, "app/admin"), (f) => /\/page\.tsx?$/.test(f)).map(urlPattern);

type Manifest = { node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }> };
const adminActions = Object.entries((JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as Manifest).node)
  .filter(([, a]) => a.filename.startsWith("app/admin/") || a.filename.startsWith("components/admin/"))
  .map(([id, a]) => ({ id, name: a.exportedName, page: urlPattern(path.join(ROOT, `${Object.keys(a.workers)[0]}.tsx`)) }));

const fixture = { booking: "", artist: "", notification: "", missing: "00000000-0000-4000-8000-00000000dead" };
/** A real id for each dynamic segment (a service page is tried as "new"). */
const fill = (pattern: string) =>
  pattern.replace(/\[(\w+)\]/g, (_, key: string) => {
    if (key !== "id") return key;
    if (pattern.includes("/studio/artists/")) return fixture.artist;
    if (pattern.includes("/studio/services/")) return "new";
    return fixture.booking;
  });

/** One case per admin route and method: the request an attacker would send. */
const ROUTE_CASES: Record<string, { path?: () => string; query?: string; body?: unknown }> = {
  "GET /api/admin/artists/[id]/calendars": { path: () => `/api/admin/artists/${fixture.artist}/calendars` },
  // Invalid on purpose: an admin gets 400 without Holdfast dialling out or linking anything.
  "POST /api/admin/artists/[id]/calendars": {
    path: () => `/api/admin/artists/${fixture.artist}/calendars`,
    body: { serverUrl: "not a url", username: "x", password: "x", calendarUrl: "nope", role: "write" },
  },
  "GET /api/admin/artists/[id]/time-off": { path: () => `/api/admin/artists/${fixture.artist}/time-off` },
  // Backwards on purpose: an admin gets 400 and no time off is entered for the demo artist.
  "POST /api/admin/artists/[id]/time-off": { path: () => `/api/admin/artists/${fixture.artist}/time-off`, body: { start: "2099-01-06", end: "2099-01-05" } },
  "DELETE /api/admin/time-off/[id]": { path: () => `/api/admin/time-off/${fixture.missing}` },
  "GET /api/admin/bookings": { query: "?pageSize=5" },
  // Invalid on purpose: an admin gets 400 and the matrix books nothing.
  "POST /api/admin/bookings": { body: { artist: "jonas", service: "deep-tissue-massage", start: "not a time", customer: { name: "x" } } },
  "GET /api/admin/bookings/[id]": {},
  "POST /api/admin/bookings/[id]/approve": { body: { version: 1 } },
  "POST /api/admin/bookings/[id]/reject": { body: { version: 1, reason: "nope" } },
  "POST /api/admin/bookings/[id]/cancel": { body: { version: 1 } },
  "POST /api/admin/bookings/[id]/complete": { body: { version: 1 } },
  "POST /api/admin/bookings/[id]/reschedule": { body: { version: 1, start: "2031-01-01T10:00:00Z" } },
  // A missing booking: an admin gets 404, and no real customer's link is revoked by the matrix.
  "POST /api/admin/bookings/[id]/manage-link": { path: () => `/api/admin/bookings/${fixture.missing}/manage-link`, body: {} },
  // A missing booking: an admin gets 404 and no deposit is touched by the matrix.
  "POST /api/admin/bookings/[id]/payment": { path: () => `/api/admin/bookings/${fixture.missing}/payment`, body: { version: 1, action: "refund" } },
  "POST /api/admin/bookings/bulk": { body: { action: "approve", items: [{ id: "00000000-0000-4000-8000-00000000dead", version: 1 }] } },
  "GET /api/admin/calendar": {},
  "GET /api/admin/calendar-conflicts": { query: "?status=open" },
  "POST /api/admin/calendar-conflicts/[id]/resolve": {
    path: () => `/api/admin/calendar-conflicts/${fixture.missing}/resolve`,
    body: { resolution: "keep_booking" },
  },
  "GET /api/admin/calendars": {},
  "GET /api/admin/customers": { query: "?q=authz" },
  "DELETE /api/admin/calendars/[id]": { path: () => `/api/admin/calendars/${fixture.missing}` },
  "GET /api/admin/calendars/[id]/runs": { path: () => `/api/admin/calendars/${fixture.missing}/runs` },
  "POST /api/admin/calendars/[id]/sync": { path: () => `/api/admin/calendars/${fixture.missing}/sync`, body: {} },
  "POST /api/admin/calendars/test": { body: { serverUrl: "not a url", username: "x", password: "x" } },
  "GET /api/admin/feed": {},
  "GET /api/admin/jobs": {},
  "POST /api/admin/jobs/retry": { body: { jobIds: ["999999999"] } },
  "POST /api/admin/notifications/[id]/retry": { path: () => `/api/admin/notifications/${fixture.notification}/retry`, body: {} },
  "GET /api/admin/outbox": {},
  "GET /api/admin/resources": {},
  // Invalid on purpose (a kind is one lower-case word): an admin gets 400 and the demo gains no room.
  "POST /api/admin/resources": { body: { name: "Authz room", kind: "Not A Kind!" } },
  "PATCH /api/admin/resources/[id]": { path: () => `/api/admin/resources/${fixture.missing}`, body: { name: "Renamed" } },
  "PUT /api/admin/resources/services/[id]": { path: () => `/api/admin/resources/services/${fixture.missing}`, body: { needs: [] } },
  "PUT /api/admin/resources/bookings/[id]": {
    path: () => `/api/admin/resources/bookings/${fixture.missing}`,
    body: { version: 1, kind: "room", resourceId: fixture.missing },
  },
  "GET /api/admin/studio/outside-hours": {},
  "GET /api/admin/summary": {},
  // Webhooks: an invalid URL (400, nothing registered) and missing ids (404): the matrix never dials out.
  "GET /api/admin/webhooks": {},
  "POST /api/admin/webhooks": { body: { url: "not a url", events: ["booking.confirmed"] } },
  "GET /api/admin/webhooks/[id]": { path: () => `/api/admin/webhooks/${fixture.missing}` },
  "DELETE /api/admin/webhooks/[id]": { path: () => `/api/admin/webhooks/${fixture.missing}` },
  "GET /api/admin/webhooks/[id]/deliveries": { path: () => `/api/admin/webhooks/${fixture.missing}/deliveries` },
  "POST /api/admin/webhooks/[id]/enable": { path: () => `/api/admin/webhooks/${fixture.missing}/enable`, body: {} },
  "POST /api/admin/webhooks/[id]/test": { path: () => `/api/admin/webhooks/${fixture.missing}/test`, body: {} },
  "POST /api/admin/webhooks/deliveries/[id]/retry": { path: () => "/api/admin/webhooks/deliveries/msg_00000000000000000000000000000000/retry", body: {} },
};

/** One case per admin server action: harmless for an admin (bad input or a no-op), a break-in for anyone else. */
const ACTION_CASES: Record<string, unknown[]> = {
  saveArtistAction: [{ id: "", name: "", slug: "x", timezone: "Nowhere/Zone", active: true }],
  saveServiceAction: [{ name: "", slug: "x" }],
  setArtistServicesAction: [{ artistId: "not-a-uuid", serviceIds: [] }],
  saveWorkingHoursAction: [{ artistId: "not-a-uuid", effectiveFrom: "2099-01-05", hours: [] }],
  markAlertsReadAction: [["00000000-0000-4000-8000-00000000dead"]],
  saveCalendarEditPolicyAction: [{ policy: "nope" }],
  saveStudioSettingsAction: [{ embedOrigins: ["javascript:alert(1)"] }],
  // Not listed: actions no screen calls (the build leaves them out of its manifest): saveStudioContactAction
  // (replaced by saveStudioSettingsAction). tests/integration/admin-authz.test.ts still checks it from the source files.
  // Invalid on purpose (the artist row is compared before and after): a plain object is not the upload's FormData.
  uploadArtistImageAction: [{ artistId: "not-a-uuid", role: "portrait" }],
  saveArtistMediaAction: [{ artistId: "not-a-uuid", items: [] }],
  deleteArtistImageAction: [{ imageId: "not-a-uuid" }],
  saveServiceIntakeAction: [{ serviceId: "not-a-uuid", questions: [], asksReferenceImages: false, consentText: "" }],
  bookForCustomerAction: [{ artist: "jonas", service: "deep-tissue-massage", start: "not a time", customer: { name: "x" } }],
  searchCustomersAction: [{ q: "x" }],
  loadFreeTimesAction: [{ artist: "", service: "" }],
  // Invalid on purpose: an admin gets field errors and no demo booking is repeated or cancelled.
  repeatBookingAction: [{ bookingId: "not-a-uuid", everyWeeks: 1, count: 2 }],
  addToSeriesAction: [{ bookingId: "not-a-uuid", start: "not a time" }],
  cancelSeriesAction: [{ bookingId: "not-a-uuid", scope: "following" }],
  addTimeOffAction: [{ artistId: "not-a-uuid", start: "2099-01-05", end: "2099-01-05" }],
  removeTimeOffAction: [{ id: "not-a-uuid" }],
};

const contexts = {} as Record<Role, APIRequestContext>;

test.describe("admin authorization matrix over HTTP", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async ({ playwright, request }) => {
    const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
    for (const role of ROLES) contexts[role] = await playwright.request.newContext({ baseURL });
    const artist = await createStaffUser("artist");
    expect((await signInThroughApi(contexts.artist, artist.email, artist.password)).status()).toBe(200);
    expect((await signInThroughApi(contexts.admin, ADMIN.email, ADMIN.password)).status()).toBe(200);
    const customerEmail = `authz-customer-${Date.now()}@example.com`;
    const { booking } = await requestThroughApi(request, { artist: "jonas", service: "deep-tissue-massage", date: nextWeekday([5], 30), email: customerEmail });
    fixture.booking = booking.id;
    await customerSessionThroughMagicLink(contexts.customer, customerEmail);
    fixture.artist = (await queryDb<{ id: string }>("select id from artists where slug = 'jonas'"))[0]!.id;
    fixture.notification = (await queryDb<{ id: string }>("select id from notifications where booking_id = $1 limit 1", [booking.id]))[0]!.id;
  });

  test.afterAll(async () => {
    for (const role of ROLES) await contexts[role]?.dispose();
  });

  test("covers every admin route file and method, every admin page and every admin server action", () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(10);
    const routeKeys = routeFiles.flatMap((r) => r.methods.map((m) => `${m} ${r.pattern}`));
    expect(
      routeFiles.filter((r) => r.methods.length === 0).map((r) => r.pattern),
      "route files with no handler found",
    ).toEqual([]);
    expect(
      routeKeys.filter((k) => !ROUTE_CASES[k]),
      "admin routes without a case",
    ).toEqual([]);
    expect(
      Object.keys(ROUTE_CASES).filter((k) => !routeKeys.includes(k)),
      "cases for routes that no longer exist",
    ).toEqual([]);
    expect(pageFiles).toEqual(
      expect.arrayContaining([
        "/admin",
        "/admin/bookings",
        "/admin/bookings/[id]",
        "/admin/calendar",
        "/admin/calendars",
        "/admin/studio",
        "/admin/outbox",
        "/admin/signin",
      ]),
    );
    expect(adminActions.length, "the build lists the admin server actions").toBeGreaterThan(0);
    expect(adminActions.map((a) => a.name).sort(), "admin server actions without a case").toEqual(Object.keys(ACTION_CASES).sort());
  });

  for (const role of ROLES) {
    test(`API routes as ${role}: ${role === "admin" ? "answered" : "401/403 and no data"}`, async () => {
      const ctx = contexts[role];
      for (const route of routeFiles) {
        for (const method of route.methods) {
          const c = ROUTE_CASES[`${method} ${route.pattern}`]!;
          const url = `${c.path?.() ?? fill(route.pattern)}${c.query ?? ""}`;
          const res = await ctx.fetch(url, { method, data: c.body, maxRedirects: 0 });
          const label = `${role} ${method} ${url}`;
          if (role === "admin") {
            expect([401, 403], label).not.toContain(res.status());
            expect(res.status(), label).toBeLessThan(500);
          } else {
            expect(res.status(), label).toBe(role === "anonymous" ? 401 : 403);
            const body = (await res.json()) as Record<string, unknown>;
            expect(Object.keys(body), `${label} must carry no data`).toEqual(["error"]);
          }
        }
      }
      if (role !== "admin") {
        const [b] = await queryDb<{ status: string }>("select status from bookings where id = $1", [fixture.booking]);
        expect(b!.status).toBe("pending");
      }
    });

    test(`admin pages as ${role}: ${role === "admin" ? "shown" : "sent to sign in, nothing shown"}`, async () => {
      const ctx = contexts[role];
      for (const pattern of pageFiles) {
        const url = fill(pattern);
        const res = await ctx.get(url, { maxRedirects: 0 });
        const label = `${role} GET ${url}`;
        if (pattern === "/admin/signin") {
          expect(res.status(), label).toBe(role === "admin" ? 307 : 200);
          continue;
        }
        if (role === "admin") {
          expect(res.status(), label).toBe(200);
        } else {
          expect(res.status(), label).toBe(307);
          const location = res.headers()["location"] ?? "";
          expect(location, label).toContain("/admin/signin?callbackUrl=");
          if (role !== "anonymous") expect(location, label).toContain("error=forbidden");
          expect(await res.text(), `${label} must not render the page`).not.toContain("Holdfast admin");
        }
      }
    });

    test(`server actions as ${role}: ${role === "admin" ? "run" : "refused, nothing changes"}`, async () => {
      const ctx = contexts[role];
      const artistBefore = await queryDb("select * from artists where id = $1", [fixture.artist]);
      for (const action of adminActions) {
        const page = fill(action.page);
        const res = await ctx.post(page, {
          headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
          data: JSON.stringify(ACTION_CASES[action.name]),
          maxRedirects: 0,
        });
        const label = `${role} ${action.name} via ${page}`;
        const text = await res.text();
        if (role === "admin") {
          expect(res.status(), label).toBe(200);
          expect(text, label).toMatch(/"ok":(true|false,"error":\{"code":"invalid_input")/);
        } else {
          expect(res.status(), label).toBe(307);
          expect(res.headers()["location"], label).toContain("/admin/signin");
          expect(text, label).not.toContain('"ok":');
        }
      }
      expect(await queryDb("select * from artists where id = $1", [fixture.artist])).toEqual(artistBefore);
    });
  }

  test("login attempts are rate-limited per address and per email", async ({ playwright }) => {
    const ctx = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT}` });
    const ip = uniqueClientIp();
    const email = `nobody-${Date.now()}@holdfast.test`;
    const attempt = async (who: string, password: string, from = ip) => {
      const { csrfToken } = (await (await ctx.get("/api/auth/csrf", { headers: { "x-forwarded-for": from } })).json()) as { csrfToken: string };
      const res = await ctx.post("/api/auth/callback/credentials", {
        headers: { "x-forwarded-for": from },
        form: { csrfToken, email: who, password, json: "true" },
      });
      return new URL(((await res.json()) as { url: string }).url).searchParams.get("error");
    };
    for (let i = 0; i < 10; i += 1) expect(await attempt(email, `guess-${i}`, uniqueClientIp())).toBe("CredentialsSignin");
    // The eleventh guess at the same email from a new address is only slowed down, never refused:
    // refusing it would let anyone lock an admin out (issue 8).
    expect(await attempt(email, "guess-11", uniqueClientIp())).toBe("CredentialsSignin");
    // Per address: 30 attempts in 15 minutes, whatever the emails.
    for (let i = 0; i < 30; i += 1) await attempt(`spray-${i}-${Date.now()}@holdfast.test`, "x", ip);
    expect(await attempt(ADMIN.email, ADMIN.password, ip)).toBe("RateLimited");
    // The admin from another address is not locked out by either.
    expect(await attempt(ADMIN.email, ADMIN.password, uniqueClientIp())).toBeNull();
    await ctx.dispose();
  });

  test("a customer asking for a magic link with a staff address gets the same answer and no email", async ({ request }) => {
    const headers = { "x-forwarded-for": uniqueClientIp() };
    const { csrfToken } = (await (await request.get("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
    const before = await queryDb("select id from notifications where kind = 'magic_link' and recipient = $1", [ADMIN.email]);
    const res = await request.post("/api/auth/signin/email", { headers, form: { csrfToken, email: ADMIN.email, json: "true" } });
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { url: string }).url).toContain("sent=1");
    expect(await queryDb("select id from notifications where kind = 'magic_link' and recipient = $1", [ADMIN.email])).toHaveLength(before.length);
  });
});
