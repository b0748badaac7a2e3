/**
 * Outgoing webhooks end to end: real Postgres, the real job runner, a real HTTP receiver on
 * 127.0.0.1 that verifies every message with the standardwebhooks library as an integrator would.
 * If these fail, a studio's Slack/ntfy/CRM integration misses a booking, gets one twice, sees a
 * change that was rolled back, receives the customer's personal details, accepts forged messages,
 * keeps hammering a dead receiver for ever without anyone being told, or lets an admin point the
 * server at its own private network.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminAlerts, bookings, incidents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { approveBooking, cancelBooking } from "@/lib/bookings/transitions";
import { resetEnvCache } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { deliverWebhook, RETRY_DELAYS_SECONDS } from "@/lib/outgoing-webhooks/deliver-webhook";
import { checkDisabledWebhookEndpoints } from "@/lib/outgoing-webhooks/disable-failing-endpoint";
import {
  createWebhookEndpoint,
  enableWebhookEndpoint,
  getWebhookEndpoint,
  retryWebhookDelivery,
  sendTestWebhook,
} from "@/lib/outgoing-webhooks/endpoint-commands";
import { webhookJobKey } from "@/lib/outgoing-webhooks/queue-webhook-event";
import { userWithSessionCookie } from "../support/admin-fixtures";
import { createTestArtist, futureSlot, setupTestDatabase, uniqueTag } from "../support/test-db";

process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
const db = setupTestDatabase();

const customerActor = { kind: "customer" as const, ip: "203.0.113.21", userAgent: "vitest" };
const adminActor = { kind: "admin" as const, id: "admin-webhooks", ip: "198.51.100.21" };
const CUSTOMER = { name: "Zelda Privatperson", email: "zelda.private@example.com", phone: "+49 30 5550199" };
const NOTES = "Secret tattoo idea: a dragon on the left shoulder";

type Received = { headers: Record<string, string>; body: string; at: number };

/** A receiver on loopback: records every request and answers with the next queued status (200 when none). */
async function startReceiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  let hang = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      if (hang) return; // never answers: the sender's timeout must end it
      res.statusCode = answers.shift() ?? 200;
      res.end(res.statusCode >= 400 ? "receiver is broken" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/holdfast`,
    received,
    answers,
    setHang: (value: boolean) => (hang = value),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
const endpointIds: string[] = [];

function allowLoopback() {
  process.env.WEBHOOK_ALLOWED_PRIVATE_HOSTS = "127.0.0.1";
  resetEnvCache();
}

beforeAll(async () => {
  receiver = await startReceiver();
  allowLoopback();
});
afterEach(async () => {
  receiver.received.length = 0;
  receiver.answers.length = 0;
  receiver.setHang(false);
  allowLoopback();
  delete process.env.WEBHOOK_TIMEOUT_MS;
  resetEnvCache();
  // Later test files share the database: no endpoint of ours may receive their events.
  for (const id of endpointIds.splice(0)) await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
});
afterAll(async () => {
  await db
    .update(incidents)
    .set({ clearedAt: new Date() })
    .where(and(eq(incidents.kind, "webhook_endpoint_disabled"), isNull(incidents.clearedAt)));
  delete process.env.WEBHOOK_ALLOWED_PRIVATE_HOSTS;
  resetEnvCache();
  await receiver?.close();
});

async function endpoint(events: Parameters<typeof createWebhookEndpoint>[1]["events"], url = receiver.url) {
  const created = await createWebhookEndpoint(db, { url, events, description: "vitest" }, { actor: adminActor });
  endpointIds.push(created.endpoint.id);
  return created;
}

async function pendingRequest() {
  const { artist, service } = await createTestArtist(db);
  const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(12, "10:00"), actor: customerActor });
  const { booking } = await submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer: CUSTOMER,
    notes: NOTES,
    idempotencyKey: `webhooks-${uniqueTag()}`,
    actor: customerActor,
  });
  return { booking, artist, service };
}

const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers) as { type: string; timestamp: string; data: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function deliveriesOf(endpointId: string) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}

/** Makes a delivery's waiting retry due now (the retry schedule is minutes to hours; the test does not wait). */
async function makeRetryDue(deliveryId: string) {
  await db.execute(sql`update graphile_worker._private_jobs set run_at = now() where key = ${webhookJobKey(deliveryId)} and locked_at is null`);
}

describe("booking events", () => {
  it("an approval delivers exactly one signed booking.confirmed, without the customer's name, email, phone or notes", async () => {
    const { secret, endpoint: ep } = await endpoint(["booking.confirmed"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { booking, artist, service } = await pendingRequest();
    // booking.requested happened too, but this endpoint did not subscribe to it.
    expect(await deliveriesOf(ep.id)).toHaveLength(0);

    await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await runDueJobs(db);
    await runDueJobs(db);

    expect(receiver.received).toHaveLength(1);
    const [message] = receiver.received;
    const payload = verify(secret, message!);
    expect(payload.type).toBe("booking.confirmed");
    expect(payload.data.booking).toMatchObject({
      id: booking.id,
      status: "confirmed",
      previousStatus: "pending",
      startsAt: booking.startsAt.toISOString(),
      artist: { id: artist.id, name: artist.name },
      service: { id: service.id, name: service.name },
    });
    expect(message!.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(message!.headers["content-type"]).toBe("application/json");
    for (const secretText of [CUSTOMER.name, "Zelda", CUSTOMER.email, CUSTOMER.phone, "5550199", NOTES, "dragon"]) {
      expect(message!.body, `the body carries "${secretText}"`).not.toContain(secretText);
    }
    // A forged or altered message does not verify.
    expect(() => new Webhook(secret).verify(message!.body.replace("confirmed", "cancelled"), message!.headers)).toThrow();
    const [row] = await deliveriesOf(ep.id);
    expect(row).toMatchObject({ id: message!.headers["webhook-id"], status: "delivered", attempts: 1, lastStatusCode: 200 });
  });

  it("each kind of change is its own event type, sent only to endpoints that subscribed to it", async () => {
    const all = await endpoint(["booking.requested", "booking.confirmed", "booking.cancelled"]);
    const cancelledOnly = await endpoint(["booking.cancelled"]);
    const { booking } = await pendingRequest();
    const confirmed = await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await cancelBooking(db, { bookingId: booking.id, version: confirmed.version, actor: adminActor });
    expect((await deliveriesOf(all.endpoint.id)).map((d) => d.eventType).sort()).toEqual(["booking.cancelled", "booking.confirmed", "booking.requested"]);
    expect((await deliveriesOf(cancelledOnly.endpoint.id)).map((d) => d.eventType)).toEqual(["booking.cancelled"]);
  });

  it("a rolled-back transaction delivers nothing", async () => {
    const { endpoint: ep } = await endpoint(["booking.confirmed"]);
    const { booking } = await pendingRequest();
    await expect(
      db.transaction(async (tx) => {
        await approveBooking(tx, { bookingId: booking.id, version: booking.version, actor: adminActor });
        throw new Error("the caller's next step failed");
      }),
    ).rejects.toThrow("the caller's next step failed");
    await runDueJobs(db);
    expect(receiver.received).toEqual([]);
    expect(await deliveriesOf(ep.id)).toEqual([]);
    const [row] = await db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, booking.id));
    expect(row!.status).toBe("pending");
  });

  it("a receiver answering 500 is retried with backoff and then gets the same message, same webhook-id", async () => {
    const { secret, endpoint: ep } = await endpoint(["booking.confirmed"]);
    const { booking } = await pendingRequest();
    await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    receiver.answers.push(500);
    await runDueJobs(db);
    expect(receiver.received).toHaveLength(1);
    const [afterFailure] = await deliveriesOf(ep.id);
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500 });
    expect(afterFailure!.lastError).toContain("500");
    const [endpointRow] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ep.id));
    expect(endpointRow!.failingSince).not.toBeNull();
    // The retry waits (5 s first): running the queue again right away sends nothing.
    await runDueJobs(db);
    expect(receiver.received).toHaveLength(1);

    await makeRetryDue(afterFailure!.id);
    await runDueJobs(db);
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.body).toBe(first!.body);
    expect(verify(secret, second!).type).toBe("booking.confirmed");
    const [delivered] = await deliveriesOf(ep.id);
    expect(delivered).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200, lastError: null });
    const [healed] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ep.id));
    expect(healed!.failingSince).toBeNull();
  });
});

describe("failing endpoints", () => {
  it("an endpoint failing for more than a day is disabled, raises an alert (incident, feed, alert.raised) and gets nothing more", async () => {
    const failing = await endpoint(["booking.confirmed"]);
    const watcher = await endpoint(["alert.raised"]);
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    const { deliveryId } = await sendTestWebhook(db, failing.endpoint.id, { now: dayAgo });

    receiver.answers.push(500, 500);
    expect(await deliverWebhook(db, deliveryId, { now: dayAgo })).toBe("retrying");
    const [stillOn] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, failing.endpoint.id));
    expect(stillOn).toMatchObject({ enabled: true, failingSince: dayAgo });

    // 25 hours later (explicit clocks, no waiting) the next attempt fails too: a day of failures.
    const now = new Date();
    expect(await deliverWebhook(db, deliveryId, { now })).toBe("failed");
    const [off] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, failing.endpoint.id));
    expect(off).toMatchObject({ enabled: false, disabledAt: now });
    const [gaveUp] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    expect(gaveUp!.status).toBe("failed");

    const open = await db
      .select()
      .from(incidents)
      .where(and(eq(incidents.kind, "webhook_endpoint_disabled"), eq(incidents.subject, `webhook:${failing.endpoint.id}`), isNull(incidents.clearedAt)));
    expect(open).toHaveLength(1);
    expect(open[0]!.message).toContain("127.0.0.1");
    const feed = await db.select().from(adminAlerts).where(eq(adminAlerts.kind, "incident_opened"));
    expect(feed.some((a) => a.message.includes("Webhook endpoint disabled") && a.message.includes("127.0.0.1"))).toBe(true);

    // The other endpoint hears about it, signed like everything else.
    receiver.received.length = 0;
    await runDueJobs(db);
    const alerts = receiver.received.map((r) => verify(watcher.secret, r));
    expect(alerts.map((a) => a.type)).toEqual(["alert.raised"]);
    expect(alerts[0]!.data.alert).toMatchObject({ kind: "webhook_endpoint_disabled", subject: `webhook:${failing.endpoint.id}` });

    // Disabled: new events and test sends are not queued for it.
    await expect(sendTestWebhook(db, failing.endpoint.id)).rejects.toMatchObject({ code: "invalid_transition" });
    const { booking } = await pendingRequest();
    await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    expect((await deliveriesOf(failing.endpoint.id)).map((d) => d.id)).toEqual([deliveryId]);

    // The watchdog keeps the alert while it is disabled and lets it clear once enabled again.
    expect((await checkDisabledWebhookEndpoints(db)).findings.map((f) => f.subject)).toContain(`webhook:${failing.endpoint.id}`);
    const enabled = await enableWebhookEndpoint(db, failing.endpoint.id);
    expect(enabled.endpoint).toMatchObject({ enabled: true, failingSince: null, disabledAt: null });
    expect((await checkDisabledWebhookEndpoints(db)).findings.map((f) => f.subject)).not.toContain(`webhook:${failing.endpoint.id}`);
  });

  it("failing for less than a day keeps the endpoint on and retrying", async () => {
    const { endpoint: ep } = await endpoint(["booking.confirmed"]);
    const hoursAgo = new Date(Date.now() - 23 * 3_600_000);
    const { deliveryId } = await sendTestWebhook(db, ep.id, { now: hoursAgo });
    receiver.answers.push(500, 500);
    await deliverWebhook(db, deliveryId, { now: hoursAgo });
    expect(await deliverWebhook(db, deliveryId, { now: new Date() })).toBe("retrying");
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ep.id));
    expect(row).toMatchObject({ enabled: true, failingSince: hoursAgo });
  });

  it("a receiver that never answers is cut off by the timeout and retried", async () => {
    process.env.WEBHOOK_TIMEOUT_MS = "300";
    resetEnvCache();
    const { endpoint: ep } = await endpoint(["booking.confirmed"]);
    const { deliveryId } = await sendTestWebhook(db, ep.id);
    receiver.setHang(true);
    const started = Date.now();
    expect(await deliverWebhook(db, deliveryId)).toBe("retrying");
    expect(Date.now() - started).toBeLessThan(5000);
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null, lastError: "no answer within 300 ms" });
  });
});

describe("admin actions", () => {
  it("send test delivers a signed webhook.test to that endpoint only", async () => {
    const target = await endpoint(["alert.cleared"]);
    const other = await endpoint(["alert.cleared"]);
    const { deliveryId } = await sendTestWebhook(db, target.endpoint.id);
    await runDueJobs(db);
    expect(receiver.received).toHaveLength(1);
    expect(verify(target.secret, receiver.received[0]!)).toMatchObject({ type: "webhook.test", data: { endpoint: { id: target.endpoint.id } } });
    expect(receiver.received[0]!.headers["webhook-id"]).toBe(deliveryId);
    expect(await deliveriesOf(other.endpoint.id)).toEqual([]);
  });

  it("retry sends a given-up delivery once more with the same webhook-id; a delivered one is refused", async () => {
    const { secret, endpoint: ep } = await endpoint(["booking.confirmed"]);
    const { deliveryId } = await sendTestWebhook(db, ep.id);
    // Every scheduled attempt fails: the delivery is given up (the endpoint stays on: it all happened just now).
    receiver.answers.push(...Array.from({ length: RETRY_DELAYS_SECONDS.length + 1 }, () => 500));
    const outcomes: string[] = [];
    for (let i = 0; i <= RETRY_DELAYS_SECONDS.length; i++) outcomes.push(await deliverWebhook(db, deliveryId));
    expect(outcomes.at(-1)).toBe("failed");
    expect(outcomes.slice(0, -1).every((o) => o === "retrying")).toBe(true);
    expect(await deliverWebhook(db, deliveryId)).toBe("skipped");
    const sent = receiver.received.length;

    const { delivery } = await retryWebhookDelivery(db, deliveryId);
    expect(delivery).toMatchObject({ id: deliveryId, status: "pending" });
    await runDueJobs(db);
    expect(receiver.received).toHaveLength(sent + 1);
    const last = receiver.received.at(-1)!;
    expect(last.headers["webhook-id"]).toBe(deliveryId);
    expect(verify(secret, last).type).toBe("webhook.test");
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    expect(row).toMatchObject({ status: "delivered", attempts: RETRY_DELAYS_SECONDS.length + 2 });

    await expect(retryWebhookDelivery(db, deliveryId)).rejects.toMatchObject({ code: "invalid_transition" });
    await expect(retryWebhookDelivery(db, "msg_00000000000000000000000000000000")).rejects.toMatchObject({ code: "not_found" });
  });

  it("the signing secret is shown once at creation: the list, the endpoint and its log never return it", async () => {
    const { cookie } = await userWithSessionCookie(db, { email: `webhooks-${uniqueTag()}@admin.test`, name: "Webhook admin", role: "admin" });
    const headers = { cookie, "content-type": "application/json", "user-agent": "vitest-webhooks" };
    const collection = await import("@/app/api/admin/webhooks/route");
    const one = await import("@/app/api/admin/webhooks/[id]/route");
    const log = await import("@/app/api/admin/webhooks/[id]/deliveries/route");
    const noParams = { params: Promise.resolve({}) };

    const res = await collection.POST(
      new Request("http://holdfast.test/api/admin/webhooks", {
        method: "POST",
        headers,
        body: JSON.stringify({ url: receiver.url, events: ["booking.confirmed", "alert.raised"], description: "Slack bridge" }),
      }),
      noParams,
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as { endpoint: { id: string }; secret: string };
    endpointIds.push(created.endpoint.id);
    expect(created.secret).toMatch(/^whsec_/);
    await sendTestWebhook(db, created.endpoint.id);

    const params = { params: Promise.resolve({ id: created.endpoint.id }) };
    const answers = [
      await collection.GET(new Request("http://holdfast.test/api/admin/webhooks", { headers }), noParams),
      await one.GET(new Request(`http://holdfast.test/api/admin/webhooks/${created.endpoint.id}`, { headers }), params),
      await log.GET(new Request(`http://holdfast.test/api/admin/webhooks/${created.endpoint.id}/deliveries`, { headers }), params),
    ];
    const secretBody = created.secret.slice("whsec_".length);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const text = await answer.text();
      expect(text).not.toContain(secretBody);
      expect(text).not.toMatch(/secret/i);
    }
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.endpoint.id));
    expect(row!.secretEncrypted).not.toContain(secretBody);
    expect(row!.createdBy).toMatch(/^admin:/);
    expect((await getWebhookEndpoint(db, created.endpoint.id)).deliveries).toHaveLength(1);
  });
});

describe("where webhooks may go", () => {
  it("loopback and private addresses are refused unless WEBHOOK_ALLOWED_PRIVATE_HOSTS lists the host", async () => {
    delete process.env.WEBHOOK_ALLOWED_PRIVATE_HOSTS;
    resetEnvCache();
    for (const url of [
      receiver.url,
      "http://localhost:9/x",
      "http://[::1]:9/x",
      "http://10.0.0.8/x",
      "http://169.254.169.254/latest/meta-data",
      "http://2130706433/x",
    ]) {
      const err = await createWebhookEndpoint(db, { url, events: ["booking.confirmed"] }).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(HoldfastError);
      expect(err, url).toMatchObject({ code: "invalid_input", fields: { url: [expect.stringContaining("WEBHOOK_ALLOWED_PRIVATE_HOSTS")] } });
    }
    for (const url of ["ftp://example.com/x", "http://user:pw@example.com/x", "not a url"]) {
      await expect(createWebhookEndpoint(db, { url, events: ["booking.confirmed"] }), url).rejects.toBeDefined();
    }
  });

  it("an endpoint registered while allowed is not called once the allow-list no longer permits it", async () => {
    const { endpoint: ep } = await endpoint(["booking.confirmed"]);
    const { deliveryId } = await sendTestWebhook(db, ep.id);
    delete process.env.WEBHOOK_ALLOWED_PRIVATE_HOSTS;
    resetEnvCache();
    expect(await deliverWebhook(db, deliveryId)).toBe("retrying");
    expect(receiver.received).toEqual([]);
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    expect(row!.lastError).toMatch(/^refused: .*WEBHOOK_ALLOWED_PRIVATE_HOSTS/);
  });
});
