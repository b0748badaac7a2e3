/**
 * Which event a booking change is, and where a webhook may go. If these fail, an integration is
 * told a booking was confirmed when it was moved (or not told at all), a hold that merely expired
 * reaches a studio's Slack, a receiver's token in its URL shows up in alerts, or a loopback
 * address is allowed without the operator listing it.
 */
import { describe, expect, it } from "vitest";
import type { Booking } from "@/db/schema";
import { describeEndpointUrl } from "@/lib/outgoing-webhooks/disable-failing-endpoint";
import { WEBHOOK_EVENT_TYPES } from "@/lib/outgoing-webhooks/event-types";
import { bookingEventType } from "@/lib/outgoing-webhooks/queue-webhook-event";
import { createWebhookEndpointSchema } from "@/lib/outgoing-webhooks/schemas";
import { webhookPolicyFor, webhookUrlFormProblem } from "@/lib/outgoing-webhooks/webhook-url-guard";

const start = new Date("2031-03-10T09:00:00Z");
const end = new Date("2031-03-10T10:00:00Z");
const booking = (status: Booking["status"], s = start, e = end) => ({ status, startsAt: s, endsAt: e }) as Booking;

describe("bookingEventType", () => {
  it("names each status change by the new status", () => {
    expect(bookingEventType(booking("hold"), booking("pending"))).toBe("booking.requested");
    expect(bookingEventType(booking("hold"), booking("confirmed"))).toBe("booking.confirmed");
    expect(bookingEventType(null, booking("confirmed"))).toBe("booking.confirmed");
    expect(bookingEventType(booking("pending"), booking("confirmed"))).toBe("booking.confirmed");
    expect(bookingEventType(booking("pending"), booking("rejected"))).toBe("booking.rejected");
    expect(bookingEventType(booking("confirmed"), booking("cancelled"))).toBe("booking.cancelled");
    expect(bookingEventType(booking("confirmed"), booking("completed"))).toBe("booking.completed");
  });

  it("the same status at another time is a reschedule; no change and expired holds are no event", () => {
    const later = new Date("2031-03-11T09:00:00Z");
    const laterEnd = new Date("2031-03-11T10:00:00Z");
    expect(bookingEventType(booking("confirmed"), booking("confirmed", later, laterEnd))).toBe("booking.rescheduled");
    expect(bookingEventType(booking("pending"), booking("pending", start, laterEnd))).toBe("booking.rescheduled");
    expect(bookingEventType(booking("confirmed"), booking("confirmed"))).toBeNull();
    expect(bookingEventType(booking("hold"), booking("expired"))).toBeNull();
  });

  it("every event it can name is one an endpoint can subscribe to", () => {
    for (const type of ["booking.requested", "booking.confirmed", "booking.rejected", "booking.cancelled", "booking.rescheduled", "booking.completed"]) {
      expect(WEBHOOK_EVENT_TYPES).toContain(type);
    }
  });
});

describe("endpoint input and URL policy", () => {
  it("refuses non-http URLs, credentials in the URL, unknown events and an empty event list", () => {
    expect(webhookUrlFormProblem("https://hooks.example.com/x")).toBeNull();
    expect(webhookUrlFormProblem("ftp://hooks.example.com/x")).toMatch(/https/);
    expect(webhookUrlFormProblem("https://me:pw@hooks.example.com/x")).toMatch(/password/);
    expect(webhookUrlFormProblem("hooks.example.com")).toMatch(/URL/);
    expect(createWebhookEndpointSchema.safeParse({ url: "https://h.example.com/", events: ["booking.exploded"] }).success).toBe(false);
    expect(createWebhookEndpointSchema.safeParse({ url: "https://h.example.com/", events: [] }).success).toBe(false);
    expect(createWebhookEndpointSchema.parse({ url: " https://h.example.com/ ", events: ["alert.raised", "alert.raised"] })).toEqual({
      url: "https://h.example.com/",
      events: ["alert.raised"],
    });
    expect(createWebhookEndpointSchema.safeParse({ url: "https://h.example.com/", events: ["alert.raised"], description: "two\nlines" }).success).toBe(false);
  });

  it("blocks private addresses for every host but the listed ones", () => {
    const env = { WEBHOOK_ALLOWED_PRIVATE_HOSTS: "ntfy.lan, 127.0.0.1" };
    expect(webhookPolicyFor(new URL("http://ntfy.lan/topic"), env).blockPrivate).toBe(false);
    expect(webhookPolicyFor(new URL("http://NTFY.lan./topic"), env).blockPrivate).toBe(false);
    expect(webhookPolicyFor(new URL("http://127.0.0.1:9/x"), env).blockPrivate).toBe(false);
    expect(webhookPolicyFor(new URL("http://localhost:9/x"), env).blockPrivate).toBe(true);
    expect(webhookPolicyFor(new URL("https://hooks.example.com/x"), {}).blockPrivate).toBe(true);
  });

  it("names an endpoint in alerts without its query string (receivers put tokens there)", () => {
    expect(describeEndpointUrl("https://ntfy.sh/holdfast-alerts?auth=tk_secret")).toBe("ntfy.sh/holdfast-alerts");
    expect(describeEndpointUrl("https://hooks.example.com/")).toBe("hooks.example.com");
  });
});
