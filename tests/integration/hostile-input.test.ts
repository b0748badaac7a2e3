/**
 * Regression tests for issue 8, items 8 and 11: the exact requests that got a manage link for a
 * wrong hold token or a 500 before, sent to the real route handlers with the real Postgres.
 */
import { Writable } from "node:stream";
import { encode } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { Database } from "@/db/client";
import { closeDb as closeAppDb } from "@/db/client";
import { users } from "@/db/schema";
import { createHold } from "@/lib/bookings/create-hold";
import { errorToResponse } from "@/lib/http/error-response";
import { setLogDestination } from "@/lib/log/logger";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const customer = { kind: "customer" as const, ip: "203.0.113.8", userAgent: "vitest" };
const WEBHOOK_SECRET = "hostile-input-webhook-secret-0123456789";

let db: Database;
let adminCookie = "";
const routes = {} as Record<"bookings" | "availability" | "adminBookings" | "webhook" | "health", Handler>;

beforeAll(async () => {
  db = useTestDatabase();
  routes.bookings = (await import("@/app/api/bookings/route")).POST as Handler;
  routes.availability = (await import("@/app/api/availability/route")).GET as Handler;
  routes.adminBookings = (await import("@/app/api/admin/bookings/route")).GET as Handler;
  routes.webhook = (await import("@/app/api/webhooks/nextcloud/route")).POST as Handler;
  routes.health = (await import("@/app/api/health/route")).GET as unknown as Handler;
  const [admin] = await db
    .insert(users)
    .values({ email: `hostile-admin-${crypto.randomUUID().slice(0, 8)}@test.example`, name: "Admin", role: "admin" })
    .returning();
  adminCookie = `next-auth.session-token=${await encode({ token: { sub: admin!.id, email: admin!.email, name: "Admin", role: "admin", sv: 1 }, secret: process.env.AUTH_SECRET! })}`;
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await closeDb();
});

async function call(handler: Handler, url: string, init: RequestInit = {}) {
  const res = await handler(new Request(`http://holdfast.test${url}`, init), { params: Promise.resolve({}) });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: JSON.parse(text) as { error?: { code: string; message: string; fields?: Record<string, string[]> } } & Record<string, unknown>,
  };
}

const submit = (body: unknown, key: string) =>
  call(routes.bookings, "/api/bookings", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key, "x-holdfast-client-ip": `198.18.7.${Math.floor(Math.random() * 250)}` },
    body: JSON.stringify(body),
  });

describe("item 8: replaying an Idempotency-Key", () => {
  it("answers a replay with a wrong hold token like any wrong token (404) — someone who saw the key must not get the manage link", async () => {
    const { artist, service } = await createTestArtist(db);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(12, "11:00"), actor: customer });
    const key = `replay-${hold.id}`;
    const body = { holdId: hold.id, holdToken: hold.token, customer: { name: "Rae Replay", email: "rae@example.com" } };
    const first = await submit(body, key);
    expect(first.status).toBe(201);

    const stolen = await submit({ ...body, holdToken: "y".repeat(32) }, key);
    expect(stolen.status).toBe(404);
    expect(stolen.body.error?.code).toBe("not_found");
    expect(stolen.text).not.toContain("token=");
    expect(stolen.text).not.toContain(hold.id.slice(0, 8) + "?");

    const replay = await submit(body, key); // the customer's own double click still gets its answer
    expect(replay.status).toBe(200);
    expect((replay.body.booking as { manageUrl: string }).manageUrl).toBe((first.body.booking as { manageUrl: string }).manageUrl);
  });
});

describe("item 11: odd input is a 400 in the error shape, never a 500", () => {
  it("refuses a NUL byte in the customer's name and leaves the hold usable — the customer fixes the name and books", async () => {
    const { artist, service } = await createTestArtist(db);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(13, "11:00"), actor: customer });
    const key = `nul-${hold.id}`;
    const bad = await submit({ holdId: hold.id, holdToken: hold.token, customer: { name: "Nul\u0000Name", email: "nul@example.com" } }, key);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const good = await submit({ holdId: hold.id, holdToken: hold.token, customer: { name: "Nul Name", email: "nul@example.com" } }, key);
    expect(good.status).toBe(201);
  });

  it.each([
    ["a NUL in artist=", (a: string, s: string) => `?artist=${a}%00&service=${s}&from=2031-01-06&to=2031-01-07`],
    ["year 0000 in from=", (a: string, s: string) => `?artist=${a}&service=${s}&from=0000-01-01&to=0000-01-02`],
    ["year 9999 in to=", (a: string, s: string) => `?artist=${a}&service=${s}&from=9999-12-30&to=9999-12-31`],
  ])("answers availability with %s as a 400 — the booking page shows a message, not a crash", async (_, query) => {
    const { artist, service } = await createTestArtist(db);
    const res = await call(routes.availability, `/api/availability${query(artist.slug, service.slug)}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_input", message: expect.any(String) });
  });

  it.each(["?q=%00", "?q=ana%00", "?artist=%00", "?from=0000-01-01", "?to=9999-12-31", "?from=%2B275760-09-13T00:00:00Z", "?to=-000001-01-01T00:00:00Z"])(
    "answers the admin bookings list with %s as a 400 — the admin table shows a filter error, not a 500",
    async (query) => {
      const res = await call(routes.adminBookings, `/api/admin/bookings${query}`, { headers: { cookie: adminCookie } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_input", message: expect.any(String) });
    },
  );

  it("answers a Nextcloud webhook whose principal holds a broken percent-escape with a 400", async () => {
    process.env.NEXTCLOUD_WEBHOOK_SECRET = WEBHOOK_SECRET;
    try {
      const res = await call(routes.webhook, "/api/webhooks/nextcloud", {
        method: "POST",
        headers: { "content-type": "application/json", "x-holdfast-webhook-secret": WEBHOOK_SECRET },
        body: JSON.stringify({ event: { calendarData: { principaluri: "principals/users/mara%zz" } } }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_input", message: expect.any(String) });
    } finally {
      delete process.env.NEXTCLOUD_WEBHOOK_SECRET;
    }
  });

  it.each(["22021", "22P02", "22008", "22007", "22003"])(
    "maps a Postgres %s that slipped past validation to 400 bad_request without the driver's text (the net under every route)",
    (code) => {
      const driverError = Object.assign(new Error('invalid input syntax for type uuid: "secret value"'), { code });
      const wrapped = new Error("Failed query: select * from bookings where id = $1\nparams: ana@example.com", { cause: driverError });
      const res = errorToResponse(wrapped);
      expect(res.status).toBe(400);
      return res.json().then((body: { error: { code: string; message: string } }) => {
        expect(body.error.code).toBe("bad_request");
        expect(JSON.stringify(body)).not.toMatch(/Failed query|params|uuid|secret value|ana@example/);
      });
    },
  );

  it("logs an unexpected error as one JSON line with a reference but without the customer's name or email from the failed query", async () => {
    const logged: string[] = [];
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "error";
    setLogDestination(
      new Writable({
        write(chunk, _encoding, done) {
          logged.push(...String(chunk).split("\n").filter(Boolean));
          done();
        },
      }),
    );
    onTestFinished(() => {
      setLogDestination(undefined);
      process.env.LOG_LEVEL = level;
    });
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: "23505",
      detail: "Key (customer_email)=(ana@example.com) already exists.",
    });
    const res = errorToResponse(
      new Error("Failed query: update bookings set customer_name = $1, customer_email = $2\nparams: Ana Secret,ana@example.com", { cause: driverError }),
    );
    expect(res.status).toBe(500);
    const reference = /reference ([0-9a-f-]{36})/.exec(((await res.json()) as { error: { message: string } }).error.message)?.[1];
    expect(logged).toHaveLength(1);
    const line = JSON.parse(logged[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "error", component: "http", reference, msg: "unexpected error" });
    expect(logged[0]).toContain("23505");
    expect(logged[0]).not.toMatch(/Ana Secret|ana@example\.com/);
  });

  it("answers /api/health with the database down as 503 without SQL, host or driver text — strangers learn nothing", async () => {
    const url = process.env.DATABASE_URL!;
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await closeAppDb();
    process.env.DATABASE_URL = "postgres://holdfast:wrong@127.0.0.1:9/nowhere";
    try {
      const res = await call(routes.health, "/api/health");
      expect(res.status).toBe(503);
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|select|graphile|password|connect/i);
      expect(res.body).toMatchObject({ checks: { database: { ok: false } } });
    } finally {
      await closeAppDb();
      process.env.DATABASE_URL = url;
      db = useTestDatabase();
    }
  });
});
