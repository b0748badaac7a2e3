/**
 * Hostile-input fuzzing of every /api route handler (issue 8, item 11 and its "Tests" section).
 * Every route file under app/api is found by walking the tree and each exported method is called
 * directly with thousands of generated requests — control characters (NUL, CR, U+2028), huge
 * strings, wrong types, nested junk, years 0000/9999/-1/+275760, malformed JSON, broken
 * percent-escapes and bad uuids, in bodies, queries and path params — against the real Postgres,
 * seeded with an artist, a service, a booking, a calendar and a conflict. Admin routes are called
 * with a real admin next-auth session cookie (most of the time; sometimes with none).
 *
 * What a user would see go wrong if this failed: a "500 Something went wrong" (or a hung page)
 * for a typo or an attack, a leaked SQL or driver message, or an error answer that the booking
 * page cannot read because it lacks the {error:{code,message}} shape.
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed below>; FUZZ_REQUESTS changes the count.
 * Left out: /api/auth/[...nextauth] — next-auth's own handler needs Next's request context
 * (next/headers), which only exists in the server; the e2e suite covers it over HTTP.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarConflicts } from "@/db/schema";
import { insertPausedCalendar, userWithSessionCookie } from "../support/admin-fixtures";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase } from "../support/test-db";
import { seededRandom } from "../support/seeded-random";
import { listApiRoutes } from "@/lib/http/list-api-routes";

const ROOT = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const SEED = Number(process.env.FUZZ_SEED ?? 20_270_328);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5_200);
const SKIPPED_ROUTES = new Set(["/api/auth/[...nextauth]"]);
const CRON_SECRET = "fuzz-cron-secret-0123456789abcdef";
const WEBHOOK_SECRET = "fuzz-webhook-secret-0123456789abcdef";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { pattern: string; params: string[]; method: string; handler: Handler };

const random = seededRandom(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => random() < p;

const seeded = { artist: "", artistSlug: "", service: "", serviceSlug: "", booking: "", calendar: "", conflict: "", adminCookie: "" };

// ---- the junk ---------------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "Ana\u0000Example",
  "a\rX-INJECTED:1",
  "a\r\nb",
  "line\u2028sep",
  "para\u2029sep",
  "\u0007\u001b[31mred",
  "\u202eevil\u202c",
  "😀".repeat(50),
  "x".repeat(10_000),
  "%",
  "%zz",
  "%E0%A4%A",
  "%00",
  "%C0%AF",
  "../../etc/passwd",
  "'; drop table bookings; --",
  "\\",
  "null",
  "undefined",
  "NaN",
  "[object Object]",
  "<script>alert(1)</script>",
  "0000-01-01",
  "9999-12-31",
  "-000001-01-01",
  "+275760-09-13",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2027-02-30",
  "2027-13-01",
  "2027-03-28T02:30:00+01:00",
  "1970-01-01T00:00:00Z",
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-4000-8000-00000000dead",
  "not-a-uuid",
  "0b6a6d8e-0000-4000-8000-00000000000g",
  "http://127.0.0.1:9/",
  "javascript:alert(1)",
  "mailto:x@example.com",
  "a@b",
  "ana+tag@example.com",
];

function hostileString(): string {
  if (chance(0.15)) return pick(["", "x", "ana@example.com", seeded.artistSlug, seeded.serviceSlug, seeded.booking, seeded.artist, seeded.calendar]);
  const base = pick(HOSTILE_STRINGS);
  return chance(0.2) ? base + pick(HOSTILE_STRINGS) : base;
}

function hostileNumber(): number {
  return pick([0, -1, 1, 2, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 1e308, 1e-308, 99999999999]);
}

function junk(depth = 0): unknown {
  const roll = int(depth > 3 ? 6 : 10);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return hostileNumber();
    case 3:
    case 4:
    case 5:
      return hostileString();
    case 6:
      return Array.from({ length: int(4) }, () => junk(depth + 1));
    case 7:
      return { [pick(FIELD_NAMES)]: junk(depth + 1), [hostileString().slice(0, 40)]: junk(depth + 1) };
    case 8:
      return JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;
    default:
      return deepNest(50 + int(500));
  }
}

function deepNest(levels: number): unknown {
  let value: unknown = "deep";
  for (let i = 0; i < levels; i += 1) value = chance(0.5) ? [value] : { a: value };
  return value;
}

/** Field names the handlers read; a fuzzed body mixes right names with junk values and vice versa. */
const FIELD_NAMES = [
  "artist",
  "service",
  "start",
  "customerTimezone",
  "holdId",
  "holdToken",
  "customer",
  "name",
  "email",
  "phone",
  "notes",
  "token",
  "reason",
  "version",
  "action",
  "items",
  "id",
  "ids",
  "serverUrl",
  "username",
  "password",
  "calendarUrl",
  "role",
  "jobIds",
  "resolution",
  "end",
];

function plausibleBody(): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const realistic: Record<string, () => unknown> = {
    artist: () => pick([seeded.artistSlug, seeded.artist, hostileString()]),
    service: () => pick([seeded.serviceSlug, seeded.service, hostileString()]),
    start: () => pick([futureSlot(20 + int(30), "10:00").toISOString(), hostileString(), hostileNumber()]),
    holdId: () => pick([seeded.booking, crypto.randomUUID(), hostileString()]),
    holdToken: () => pick(["x".repeat(32), hostileString()]),
    customer: () =>
      chance(0.7) ? { name: hostileString(), email: pick(["fuzz@example.com", hostileString()]), phone: chance(0.5) ? hostileString() : undefined } : junk(),
    notes: () => hostileString(),
    token: () => pick(["x".repeat(43), hostileString()]),
    reason: () => hostileString(),
    version: () => pick([1, 2, hostileNumber(), hostileString()]),
    action: () => pick(["approve", "reject", "cancel", hostileString()]),
    items: () =>
      chance(0.6) ? Array.from({ length: int(3) }, () => ({ id: pick([seeded.booking, hostileString()]), version: pick([1, hostileNumber()]) })) : junk(),
    serverUrl: () => pick(["http://127.0.0.1:9/", hostileString()]),
    calendarUrl: () => pick(["http://127.0.0.1:9/cal/", hostileString()]),
    username: () => hostileString(),
    password: () => hostileString(),
    role: () => pick(["write", "busy", hostileString()]),
    jobIds: () => (chance(0.5) ? [pick(["1", "-1", "99999999999999999999", hostileString()])] : junk()),
    resolution: () => pick(["keep_booking", "accept_calendar", hostileString()]),
    end: () => hostileString(),
    user: () => ({ uid: hostileString() }),
    event: () => ({ calendarData: { uri: hostileString(), principaluri: `principals/users/${pick(["mara", "%zz", "%", "%E0%A4%A", "a%00b"])}` } }),
  };
  for (const [key, make] of Object.entries(realistic)) if (chance(0.35)) body[key] = make();
  if (chance(0.2)) body[pick(FIELD_NAMES)] = junk();
  return body;
}

const QUERY_NAMES = [
  "artist",
  "service",
  "from",
  "to",
  "q",
  "status",
  "page",
  "pageSize",
  "sort",
  "week",
  "limit",
  "token",
  "server",
  "user",
  "kind",
  "cursor",
];

function query(): string {
  if (chance(0.1))
    return pick(["?%", "?from=%zz&to=%E0%A4%A", "?artist=%00", "?q=%00", "?&&&==", "?from=0000-01-01&to=9999-12-31", `?token=${"%".repeat(500)}`]);
  const params: string[] = [];
  for (const name of QUERY_NAMES) {
    if (!chance(0.3)) continue;
    const value = pick([
      () => hostileString(),
      () => String(hostileNumber()),
      () => pick(["0000-01-01", "9999-12-31", "-0001-01-01", "+275760-09-13", "2027-03-28", "2027-10-31", "2027-03-14"]),
      () => pick([seeded.artistSlug, seeded.serviceSlug, seeded.artist]),
    ])();
    // Sometimes encoded properly, sometimes raw (broken escapes and all).
    params.push(`${name}=${chance(0.7) ? encodeURIComponent(value) : value.replace(/[#\s]/g, "")}`);
  }
  return params.length ? `?${params.join("&")}` : "";
}

function paramValue(name: string): string {
  const real: Record<string, string> = { id: pick([seeded.booking, seeded.artist, seeded.calendar, seeded.conflict]) };
  return pick([real[name] ?? seeded.booking, crypto.randomUUID(), hostileString(), "%zz", "a%00b", "", "1"]);
}

function bodyText(): { text?: string; contentType?: string } {
  const roll = int(12);
  if (roll === 0) return {};
  if (roll === 1)
    return { text: pick(["{", "}", "[", '{"a":', "nul", "{'a':1}", "\u0000", '"\\ud800"', '{"a":1}}', "1e999999", "-"]), contentType: "application/json" };
  if (roll === 2) return { text: "x=1&y=2", contentType: pick(["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]) };
  if (roll === 3) return { text: JSON.stringify({ notes: "x".repeat(40_000) }), contentType: "application/json" };
  if (roll === 4) return { text: JSON.stringify(junk()), contentType: pick(["application/json", "application/json; charset=utf-8", ""]) };
  if (roll === 5) return { text: JSON.stringify(deepNest(3000)), contentType: "application/json" };
  return { text: JSON.stringify(plausibleBody()), contentType: "application/json" };
}

function headersFor(route: Route, text: string | undefined, contentType: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": pick(["vitest-fuzz", "", "x".repeat(2000)]),
    // A fresh client address most of the time, so the per-IP limits do not turn every answer into a 429.
    "x-holdfast-client-ip": chance(0.8) ? `198.18.${int(256)}.${int(256)}` : pick(["not-an-ip", "::1", "999.1.1.1"]),
  };
  if (contentType) headers["content-type"] = contentType;
  if (text !== undefined && chance(0.1)) headers["content-length"] = pick(["-1", "abc", "99999999999", "0"]);
  if (route.pattern.startsWith("/api/admin") && chance(0.9)) headers.cookie = seeded.adminCookie;
  if (route.pattern === "/api/bookings" && chance(0.8)) headers["idempotency-key"] = pick([`fuzz-${int(1e9)}`, "short", "k".repeat(300), "%zz%00 key"]);
  if (route.pattern === "/api/cron/sync") headers.authorization = pick([`Bearer ${CRON_SECRET}`, "Bearer wrong", "Basic xx", ""]);
  if (route.pattern === "/api/webhooks/nextcloud") headers["x-holdfast-webhook-secret"] = pick([WEBHOOK_SECRET, WEBHOOK_SECRET, "wrong"]);
  if (chance(0.05)) headers.origin = pick(["https://evil.example", "null", "http://holdfast.test"]);
  return headers;
}

// ---- the run ----------------------------------------------------------------------------------

const db = setupTestDatabase();
const routes: Route[] = [];

beforeAll(async () => {
  process.env.CRON_SECRET = CRON_SECRET;
  process.env.NEXTCLOUD_WEBHOOK_SECRET = WEBHOOK_SECRET;
  // Configured, as in production: an unset secret is an honest 503 `not_configured`, not what is fuzzed here.
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_fuzz_test_secret";

  const { artist, service } = await createTestArtist(db);
  Object.assign(seeded, { artist: artist.id, artistSlug: artist.slug, service: service.id, serviceSlug: service.slug });
  const id = await insertTestBooking(db, {
    artistId: artist.id,
    serviceId: service.id,
    start: futureSlot(25),
    customerName: "Fuzz Target",
    customerEmail: "fuzz-target@example.com",
  });
  seeded.booking = id;
  // A fuzzed "sync now" of this calendar fails fast: it never dials anywhere real.
  seeded.calendar = (await insertPausedCalendar(db, { artistId: artist.id, username: "fuzz", key: id })).id;
  const [conflict] = await db
    .insert(calendarConflicts)
    .values({ kind: "event_overlaps_booking", details: {}, dedupeKey: `fuzz:${id}` })
    .returning();
  seeded.conflict = conflict!.id;
  const admin = await userWithSessionCookie(db, { email: `fuzz-admin-${id.slice(0, 8)}@fuzz.test`, name: "Fuzz Admin", role: "admin" }, 1);
  seeded.adminCookie = admin.cookie;

  for (const { pattern } of listApiRoutes(path.join(ROOT, "app"))) {
    if (SKIPPED_ROUTES.has(pattern)) continue;
    const mod = (await import(path.join(ROOT, "app", pattern, "route.ts"))) as Record<string, unknown>;
    const params = [...pattern.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]!);
    for (const method of METHODS) if (typeof mod[method] === "function") routes.push({ pattern, params, method, handler: mod[method] as Handler });
  }
}, 120_000);

afterAll(() => {
  delete process.env.CRON_SECRET;
  delete process.env.NEXTCLOUD_WEBHOOK_SECRET;
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

describe("every /api route under hostile input", () => {
  it(`answers ${REQUESTS}+ generated requests without a single 5xx, always in the error shape, never with SQL or driver text`, async () => {
    expect(routes.length).toBeGreaterThan(25);
    const histogram = new Map<number, number>();
    const perRoute = new Map<string, number>();
    const failures: string[] = [];
    const LEAK =
      /failed query|params:|syntax error|violates|relation "|column "|pg_|drizzle|node_modules|\bat [\w.]+ \(|ECONNREFUSED|22021|22P02|22008|22007|22003/i;

    for (let n = 0; n < REQUESTS; n += 1) {
      // Every route gets its share: round-robin first, then random picks.
      const route = n < routes.length * 20 ? routes[n % routes.length]! : pick(routes);
      const params = Object.fromEntries(route.params.map((p) => [p, paramValue(p)]));
      const concrete = route.pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, p: string) => encodeURIComponent(params[p]!));
      const url = `http://holdfast.test${concrete}${query()}`;
      const { text, contentType } = route.method === "GET" ? (chance(0.05) ? bodyText() : {}) : bodyText();
      const init: RequestInit = { method: route.method, headers: headersFor(route, text, contentType) };
      if (text !== undefined && route.method !== "GET") init.body = text;
      const label = `#${n} ${route.method} ${url.slice(0, 300)} body=${JSON.stringify(text?.slice(0, 300) ?? null)}`;

      let res: Response;
      try {
        res = await route.handler(new Request(url, init), { params: Promise.resolve(params) });
      } catch (err) {
        failures.push(`${label} → threw ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
      perRoute.set(`${route.method} ${route.pattern}`, (perRoute.get(`${route.method} ${route.pattern}`) ?? 0) + 1);
      const raw = await res.text();
      if (res.status >= 500) failures.push(`${label} → ${res.status} ${raw.slice(0, 300)}`);
      if (res.status >= 400) {
        let body: { error?: { code?: unknown; message?: unknown } } | undefined;
        try {
          body = JSON.parse(raw) as typeof body;
        } catch {
          body = undefined;
        }
        if (typeof body?.error?.code !== "string" || typeof body.error.message !== "string")
          failures.push(`${label} → ${res.status} without the error shape: ${raw.slice(0, 200)}`);
        else if (LEAK.test(body.error.message)) failures.push(`${label} → ${res.status} leaks internals: ${body.error.message.slice(0, 200)}`);
      }
      if (failures.length >= 25) break;
    }

    const total = [...histogram.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[fuzz] seed ${SEED}: ${total} requests over ${routes.length} route methods; status histogram ${JSON.stringify(Object.fromEntries([...histogram].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(REQUESTS);
    expect(perRoute.size).toBe(routes.length);
  }, 900_000);
});
