/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64
 * of random bytes, and each message carries webhook-id, webhook-timestamp (unix seconds) and
 * webhook-signature (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), made by the
 * `standardwebhooks` package so any of its libraries verifies them.
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
}

export type SignedHeaders = { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };

/** The three headers for one attempt of message `messageId` with exactly this body, at `at`. */
export function signWebhook(secret: string, messageId: string, at: Date, body: string): SignedHeaders {
  const signature = new Webhook(secret).sign(messageId, at, body);
  return { "webhook-id": messageId, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature };
}
