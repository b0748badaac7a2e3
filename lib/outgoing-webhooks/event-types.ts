/**
 * The event types an outgoing webhook endpoint can subscribe to. Adding one is one line here
 * (plus a `queueWebhookEvent(tx, "<type>", data)` call in the transaction that makes it happen);
 * the admin form, the API's validation and the OpenAPI document all read this list.
 */
export const WEBHOOK_EVENT_TYPES = [
  "booking.requested",
  "booking.confirmed",
  "booking.rejected",
  "booking.cancelled",
  "booking.rescheduled",
  "booking.completed",
  "alert.raised",
  "alert.cleared",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Only sent by "Send test", never subscribed to: every endpoint accepts it. */
export const TEST_EVENT_TYPE = "webhook.test";

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
