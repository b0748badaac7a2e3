/**
 * Issue 8, item 9, over HTTP: customers' manage links end (an expiry in the token) and can be
 * revoked (an admin rotates the booking's secret); an admin's session ends on the server at
 * sign-out and at a password reset (the session version in the JWT no longer matches the row).
 * Sessions come from real sign-ins through next-auth's route handler.
 */
import { createHmac } from "node:crypto";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { bookingEvents, bookings, users } from "@/db/schema";
import { signManageTokenUntil } from "@/lib/auth/booking-token";
import { upsertStaffUser } from "@/lib/auth/staff-users";
import { MANAGE_LINK_ROTATED_REASON } from "@/lib/bookings/rotate-manage-link";
import { SESSION_COOKIE, type CookieJar, signInWithPasswordOverHttp, signOutOverHttp } from "../support/auth-http";
import { createTestArtist, futureSlot, uniqueTag, setupTestDatabase } from "../support/test-db";

// Server actions read the request through next/headers; each call says whose cookies it carries.
const requestCookies = vi.hoisted(() => ({ current: {} as Record<string, string> }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => Object.entries(requestCookies.current).map(([name, value]) => ({ name, value })),
    get: (name: string) => (name in requestCookies.current ? { name, value: requestCookies.current[name] } : undefined),
  }),
  headers: async () => new Headers({ "user-agent": "vitest-sessions", "x-holdfast-client-ip": "203.0.113.98" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const ROOT = path.resolve(import.meta.dirname, "../..");
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const route = async (file: string) => (await import(path.join(ROOT, file))) as Record<"GET" | "POST", Handler>;

const db = setupTestDatabase();

const ipFor = () => ({ "x-holdfast-client-ip": `203.0.113.${Math.floor(Math.random() * 200) + 20}`, "user-agent": "vitest-sessions" });

async function newAdmin() {
  const email = `session-${uniqueTag()}@studio.test`;
  const password = "a long admin password";
  await upsertStaffUser(db, { email, password, role: "admin", name: "Session Admin" });
  const { error, jar } = await signInWithPasswordOverHttp(email, password, ipFor());
  expect(error).toBeNull();
  expect(jar.get(SESSION_COOKIE)).toBeTruthy();
  return { email, password, jar };
}

async function adminRouteStatus(jar: CookieJar) {
  const { GET } = await route("app/api/admin/summary/route.ts");
  const res = await GET(new Request("http://holdfast.test/api/admin/summary", { headers: { cookie: jar.header() } }), { params: Promise.resolve({}) });
  return res.status;
}

async function adminActionResult(jar: CookieJar) {
  const { saveCalendarEditPolicyAction } = (await import(path.join(ROOT, "app/admin/actions.ts"))) as Record<
    string,
    (input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>
  >;
  requestCookies.current = { [SESSION_COOKIE]: jar.get(SESSION_COOKIE) ?? "" };
  try {
    return await saveCalendarEditPolicyAction!({ policy: "review" });
  } finally {
    requestCookies.current = {};
  }
}

/** A real booking request through the public API, as a customer's browser makes it: answers its id and manage token. */
async function bookThroughApi(daysAhead: number) {
  const { artist, service } = await createTestArtist(db);
  const headers = { "content-type": "application/json", ...ipFor() };
  const holds = await route("app/api/holds/route.ts");
  const held = await holds.POST(
    new Request("http://holdfast.test/api/holds", {
      method: "POST",
      headers,
      body: JSON.stringify({ artist: artist.slug, service: service.slug, start: futureSlot(daysAhead).toISOString() }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(held.status).toBe(201);
  const { hold } = (await held.json()) as { hold: { id: string; token: string } };
  const submit = await route("app/api/bookings/route.ts");
  const res = await submit.POST(
    new Request("http://holdfast.test/api/bookings", {
      method: "POST",
      headers: { ...headers, "idempotency-key": `manage-${uniqueTag()}-key` },
      body: JSON.stringify({ holdId: hold.id, holdToken: hold.token, customer: { name: "Link Customer", email: `link-${uniqueTag()}@example.com` } }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(201);
  const { booking } = (await res.json()) as { booking: { id: string; manageUrl: string } };
  return { id: booking.id, token: new URL(booking.manageUrl).searchParams.get("token")! };
}

async function customerView(id: string, token: string) {
  const { GET } = await route("app/api/bookings/[id]/route.ts");
  const res = await GET(new Request(`http://holdfast.test/api/bookings/${id}?token=${encodeURIComponent(token)}`), { params: Promise.resolve({ id }) });
  return res.status;
}

async function rotate(id: string, jar: CookieJar) {
  const { POST } = await route("app/api/admin/bookings/[id]/manage-link/route.ts");
  return POST(new Request(`http://holdfast.test/api/admin/bookings/${id}/manage-link`, { method: "POST", headers: { cookie: jar.header(), ...ipFor() } }), {
    params: Promise.resolve({ id }),
  });
}

describe("customers' manage links", () => {
  it("expire: a token past its expiry is 'not found' while a current one opens the booking", async () => {
    const { id, token } = await bookThroughApi(10);
    expect(await customerView(id, token)).toBe(200);
    const [row] = await db.select().from(bookings).where(eq(bookings.id, id));
    const expired = signManageTokenUntil(row!, Math.floor(Date.now() / 1000) - 60);
    expect(await customerView(id, expired)).toBe(404);
  });

  it("an admin's rotation revokes the old link (404) and answers a new one that works, without bumping the version", async () => {
    const { id, token } = await bookThroughApi(11);
    const { jar } = await newAdmin();
    const [before] = await db.select().from(bookings).where(eq(bookings.id, id));
    const res = await rotate(id, jar);
    expect(res.status).toBe(200);
    const { manageUrl } = (await res.json()) as { manageUrl: string };
    expect(manageUrl).toMatch(new RegExp(`^http://holdfast.test/bookings/${id}\\?token=\\d+-[\\w-]{43}$`));
    expect(await customerView(id, token)).toBe(404);
    expect(await customerView(id, new URL(manageUrl).searchParams.get("token")!)).toBe(200);
    const [after] = await db.select().from(bookings).where(eq(bookings.id, id));
    expect(after!.version).toBe(before!.version);
    expect(after!.manageSecret).not.toBe(before!.manageSecret);
    // The trail says who rotated it, and never carries the secret.
    const [event] = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, id)).orderBy(desc(bookingEvents.id)).limit(1);
    expect(event).toMatchObject({ reason: MANAGE_LINK_ROTATED_REASON, actorKind: "admin" });
    expect(JSON.stringify([event!.oldRow, event!.newRow])).not.toContain(after!.manageSecret);
  });

  it("old-format links from mails already sent keep working until a rotation", async () => {
    const { id } = await bookThroughApi(12);
    const legacy = createHmac("sha256", process.env.AUTH_SECRET!).update(`manage:${id}`).digest("base64url");
    expect(await customerView(id, legacy)).toBe(200);
    const { jar } = await newAdmin();
    expect((await rotate(id, jar)).status).toBe(200);
    expect(await customerView(id, legacy)).toBe(404);
  });

  it("rotating a booking that does not exist is a 404 in the error shape", async () => {
    const { jar } = await newAdmin();
    const res = await rotate("00000000-0000-4000-8000-00000000beef", jar);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.objectContaining({ code: "not_found" }) });
  });
});

describe("admin sessions end on the server", () => {
  it("a JWT issued before sign-out is refused (401) by admin routes and server actions", async () => {
    const { jar } = await newAdmin();
    const stolen = jar.copy();
    expect(await adminRouteStatus(jar)).toBe(200);
    expect(await adminActionResult(jar)).toEqual(expect.objectContaining({ ok: true }));
    const out = await signOutOverHttp(jar);
    expect(out.status).toBe(200);
    // The browser dropped its cookie; a copy of it (stolen, or another tab) must be dead too.
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(await adminRouteStatus(stolen)).toBe(401);
    expect(await adminActionResult(stolen)).toEqual({ ok: false, error: expect.objectContaining({ code: "unauthorized" }) });
  });

  it("a JWT issued before `admin:create --reset` is refused; signing in with the new password works", async () => {
    const { email, jar } = await newAdmin();
    expect(await adminRouteStatus(jar)).toBe(200);
    expect(await upsertStaffUser(db, { email, password: "the new admin password", role: "admin", resetPassword: true })).toBe("updated");
    expect(await adminRouteStatus(jar)).toBe(401);
    expect(await adminActionResult(jar)).toEqual({ ok: false, error: expect.objectContaining({ code: "unauthorized" }) });
    const fresh = await signInWithPasswordOverHttp(email, "the new admin password", ipFor());
    expect(fresh.error).toBeNull();
    expect(await adminRouteStatus(fresh.jar)).toBe(200);
  });

  it("a stale token's sign-out cannot end the admin's newer sessions", async () => {
    const { email, password, jar: old } = await newAdmin();
    await signOutOverHttp(old.copy());
    const current = await signInWithPasswordOverHttp(email, password, ipFor());
    const [{ sessionVersion }] = (await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.email, email))) as [
      { sessionVersion: number },
    ];
    await signOutOverHttp(old);
    expect((await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.email, email)))[0]!.sessionVersion).toBe(sessionVersion);
    expect(await adminRouteStatus(current.jar)).toBe(200);
  });
});
