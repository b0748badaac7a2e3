/**
 * Signing. If these fail, an integrator's Standard Webhooks library rejects every message from
 * Holdfast, or accepts one whose body, id or time was altered on the way.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook } from "@/lib/outgoing-webhooks/sign-webhook";

describe("signWebhook", () => {
  it("makes headers the standardwebhooks library verifies, and nothing altered verifies", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(generateWebhookSecret()).not.toBe(secret);
    const body = JSON.stringify({ type: "booking.confirmed", timestamp: "2031-03-10T09:00:00.000Z", data: { booking: { id: "b1" } } });
    const at = new Date();
    const headers = signWebhook(secret, "msg_0123456789abcdef0123456789abcdef", at, body);
    expect(headers["webhook-id"]).toBe("msg_0123456789abcdef0123456789abcdef");
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: "booking.confirmed" });

    expect(() => new Webhook(secret).verify(body.replace("b1", "b2"), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_other" })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) + 1) })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it("signs the attempt's time, so a message replayed long after is refused by the receiver", () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, "msg_0123456789abcdef0123456789abcdef", new Date(Date.now() - 3_600_000), "{}");
    expect(() => new Webhook(secret).verify("{}", headers)).toThrow(/too old/);
  });
});
