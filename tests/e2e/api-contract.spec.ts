import { randomUUID } from "node:crypto";
import { expect, test, type APIResponse } from "@playwright/test";
import { nextWeekday, queryDb, uniqueClientIp } from "./support/e2e-runtime";

// The public HTTP contract of DESIGN.md, over real HTTP against the production build.
test.describe("public HTTP contract", () => {
  const date = nextWeekday([3], 5); // a Wednesday: Mara (Berlin) works Tue–Sat

  test("lists artists with their services — the booking page would be empty otherwise", async ({ request }) => {
    const res = await request.get("/api/artists");
    expect(res.status()).toBe(200);
    const { artists } = await res.json();
    // The demo seed's artists (other specs may add their own in the same server).
    expect(artists.map((a: { slug: string }) => a.slug)).toEqual(expect.arrayContaining(["jonas", "kai", "mara"]));
    const kai = artists.find((a: { slug: string }) => a.slug === "kai");
    expect(kai.timezone).toBe("America/Denver");
    expect(kai.services[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), slug: expect.any(String), name: expect.any(String), durationMinutes: expect.any(Number) }),
    );
  });

  test("reads free slots in the artist's zone and names the zone", async ({ request }) => {
    const res = await request.get(`/api/availability?artist=mara&service=flash-tattoo&from=${date}&to=${date}`);
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.timezone).toBe("Europe/Berlin");
    expect(body.slots.length).toBeGreaterThan(3);
    // Mara works 10:00–18:00 Berlin time; the first slot starts at 10:00 local.
    const first = new Date(body.slots[0].start);
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(first)).toBe("10:00");
  });

  test("answers bad query parameters with 400 and field messages, unknown artists with 404", async ({ request }) => {
    const bad = await request.get("/api/availability?artist=mara&service=flash-tattoo&from=tomorrow&to=2026-13-01");
    expect(bad.status()).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe("invalid_input");
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(["from", "to"]));
    const missing = await request.get(`/api/availability?artist=nobody&service=flash-tattoo&from=${date}&to=${date}`);
    expect(missing.status()).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });

  test("holds, submits, reads back and cancels a booking with the private token", async ({ request }) => {
    const headers = { "x-forwarded-for": uniqueClientIp() };
    const slots = (await (await request.get(`/api/availability?artist=mara&service=flash-tattoo&from=${date}&to=${date}`)).json()).slots;
    const slot = slots[slots.length - 1];
    const holdRes = await request.post("/api/holds", { headers, data: { artist: "mara", service: "flash-tattoo", start: slot.start } });
    expect(holdRes.status()).toBe(201);
    const { hold } = await holdRes.json();
    expect(hold).toEqual({ id: expect.any(String), token: expect.any(String), expiresAt: expect.any(String) });
    const minutesLeft = (new Date(hold.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(8);
    expect(minutesLeft).toBeLessThanOrEqual(10.1);

    const key = randomUUID();
    const submit = () =>
      request.post("/api/bookings", {
        headers: { ...headers, "idempotency-key": key },
        data: { holdId: hold.id, holdToken: hold.token, customer: { name: "Contract Test", email: `contract-${key}@example.com` }, notes: "left forearm" },
      });
    const created = await submit();
    expect(created.status()).toBe(201);
    const { booking } = await created.json();
    expect(booking.status).toBe("pending");
    expect(booking.manageUrl).toContain(`/bookings/${booking.id}?token=`);
    // The same Idempotency-Key again: the same booking, not a second one.
    const replay = await submit();
    expect(replay.status()).toBe(200);
    expect((await replay.json()).booking.id).toBe(booking.id);

    const token = new URL(booking.manageUrl).searchParams.get("token")!;
    const read = await request.get(`/api/bookings/${booking.id}?token=${token}`);
    expect(read.status()).toBe(200);
    const readBody = await read.json();
    expect(readBody.booking).toEqual(
      expect.objectContaining({ id: booking.id, status: "pending", start: slot.start, timezone: "Europe/Berlin", notes: "left forearm" }),
    );

    const tampered = await request.get(`/api/bookings/${booking.id}?token=${token.slice(0, -2)}xx`);
    expect(tampered.status()).toBe(404);

    const cancelled = await request.post(`/api/bookings/${booking.id}/cancel`, { data: { token, reason: "cannot make it" } });
    expect(cancelled.status()).toBe(200);
    expect((await cancelled.json()).booking.status).toBe("cancelled");
  });

  test("answers a taken slot with 409 slot_taken and nearby alternatives", async ({ request }) => {
    const slots = (await (await request.get(`/api/availability?artist=mara&service=flash-tattoo&from=${date}&to=${date}`)).json()).slots;
    const slot = slots[1];
    const first = await request.post("/api/holds", {
      headers: { "x-forwarded-for": uniqueClientIp() },
      data: { artist: "mara", service: "flash-tattoo", start: slot.start },
    });
    expect(first.status()).toBe(201);
    const second = await request.post("/api/holds", {
      headers: { "x-forwarded-for": uniqueClientIp() },
      data: { artist: "mara", service: "flash-tattoo", start: slot.start },
    });
    expect(second.status()).toBe(409);
    const body = await second.json();
    expect(body.error.code).toBe("slot_taken");
    expect(body.error.alternatives.length).toBeGreaterThan(0);
    expect(body.error.alternatives.length).toBeLessThanOrEqual(5);
    expect(body.error.alternatives[0]).toEqual({ start: expect.any(String), end: expect.any(String) });
  });

  test("answers bad bodies with 400 field errors, a missing Idempotency-Key with 400, and a huge body with 413", async ({ request }) => {
    const headers = { "x-forwarded-for": uniqueClientIp() };
    const bad = await request.post("/api/holds", { headers, data: { artist: "", start: "soon" } });
    expect(bad.status()).toBe(400);
    expect(Object.keys((await bad.json()).error.fields)).toEqual(expect.arrayContaining(["artist", "service", "start"]));

    const badEmail = await request.post("/api/bookings", {
      headers: { ...headers, "idempotency-key": randomUUID() },
      data: { holdId: randomUUID(), holdToken: "x".repeat(20), customer: { name: "A", email: "not-an-email" } },
    });
    expect(badEmail.status()).toBe(400);
    expect((await badEmail.json()).error.fields["customer.email"]).toBeDefined();

    const noKey = await request.post("/api/bookings", {
      headers,
      data: { holdId: randomUUID(), holdToken: "x".repeat(20), customer: { name: "A", email: "a@example.com" } },
    });
    expect(noKey.status()).toBe(400);
    expect((await noKey.json()).error.fields["Idempotency-Key"]).toBeDefined();

    const huge = await request.post("/api/holds", {
      headers,
      data: { artist: "mara", service: "flash-tattoo", start: "2030-01-01T10:00:00Z", padding: "x".repeat(100_000) },
    });
    expect(huge.status()).toBe(413);
    expect((await huge.json()).error.code).toBe("payload_too_large");

    const notJson = await request.post("/api/holds", { headers: { ...headers, "content-type": "application/json" }, data: Buffer.from("{not json") });
    expect(notJson.status()).toBe(400);
    expect((await notJson.json()).error.code).toBe("invalid_json");
  });

  test("rate-limits holds per client with 429 and Retry-After — a bot cannot hold every slot", async ({ request }) => {
    const headers = { "x-forwarded-for": uniqueClientIp() };
    let limited: APIResponse | undefined;
    for (let i = 0; i < 40 && !limited; i += 1) {
      // Off-grid times are refused with 422 but still count against the limit.
      const res = await request.post("/api/holds", { headers, data: { artist: "mara", service: "flash-tattoo", start: `${date}T03:0${i % 10}:00Z` } });
      if (res.status() === 429) limited = res;
      else expect(res.status()).toBe(422);
    }
    expect(limited, "no 429 after 40 holds").toBeDefined();
    expect(Number(limited!.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await limited!.json()).error.code).toBe("rate_limited");
  });

  test("refuses the cron route without the secret", async ({ request }) => {
    const res = await request.post("/api/cron/sync", { headers: { authorization: "Bearer wrong-secret-wrong" } });
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  });

  test("answers a method a route lacks with 405 method_not_allowed and Allow, and an unknown /api path with 404 JSON — a client can always read the error", async ({
    request,
  }) => {
    // GET /api/bookings/ (an empty id) lands on the POST-only /api/bookings.
    const empty = await request.get("/api/bookings/", { maxRedirects: 5 });
    expect(empty.status()).toBe(405);
    expect(empty.headers()["allow"]).toBe("POST, OPTIONS");
    expect((await empty.json()).error).toMatchObject({ code: "method_not_allowed", message: expect.any(String) });
    const put = await request.put("/api/holds", { data: {} });
    expect(put.status()).toBe(405);
    expect((await put.json()).error.code).toBe("method_not_allowed");
    const unknown = await request.get("/api/no-such-endpoint");
    expect(unknown.status()).toBe(404);
    expect(unknown.headers()["content-type"]).toContain("application/json");
    expect((await unknown.json()).error).toMatchObject({ code: "not_found", message: expect.any(String) });
    const deep = await request.post("/api/bookings/not-a-uuid/cancel/extra", { data: {} });
    expect(deep.status()).toBe(404);
    expect((await deep.json()).error.code).toBe("not_found");
  });

  test("answers odd input with 400 in the error shape, never 500 (NUL bytes, years 0000 and 9999)", async ({ request }) => {
    for (const query of [
      "artist=mara%00&service=flash-tattoo&from=2031-01-06&to=2031-01-07",
      "artist=mara&service=flash-tattoo&from=0000-01-01&to=0000-01-02",
      "artist=mara&service=flash-tattoo&from=9999-12-30&to=9999-12-31",
    ]) {
      const res = await request.get(`/api/availability?${query}`);
      expect(res.status(), query).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
  });

  test("reports health: 200 with every part ok, or 503 naming exactly the parts the open alerts are about", async ({ request }) => {
    // Other specs break things on purpose (a failing calendar, a dead job), so either answer is
    // possible here; what must hold is that the answer matches the alerts the watchdog has open.
    const res = await request.get("/api/health");
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    expect(Object.keys(body.checks).sort()).toEqual(["alerts", "calendars", "database", "jobs", "mail", "worker"]);
    const failing = Object.entries(body.checks)
      .filter(([, c]) => !c.ok)
      .map(([part]) => part);
    if (res.status() === 200) {
      expect(body.status).toBe("ok");
      expect(failing).toEqual([]);
    } else {
      expect(res.status()).toBe(503);
      expect(body.status).toBe("unavailable");
      expect(failing).toContain("alerts");
      expect(body.checks.database!.ok).toBe(true);
      const open = await queryDb<{ n: number }>("select count(*)::int as n from incidents where cleared_at is null");
      expect(open[0]!.n).toBeGreaterThan(0);
    }
  });
});
