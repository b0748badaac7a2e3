/**
 * One delivery attempt of one webhook message (the `deliver_webhook` job). It never holds a
 * transaction across the call: claim the attempt in one statement, POST with a timeout, then
 * record the answer, the next attempt and the endpoint's health in one short transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { decryptSecret } from "@/lib/caldav/encrypt-secret";
import { pinnedHttpRequest } from "@/lib/caldav/pinned-http-request";
import { readEnv } from "@/lib/env";
import { metricsRegistry } from "@/lib/metrics/metrics-registry";
import { disableFailingEndpoint, ENDPOINT_DISABLED_AFTER_FAILING_MS } from "./disable-failing-endpoint";
import { queueDeliveryJob } from "./queue-webhook-event";
import { signWebhook } from "./sign-webhook";
import { checkWebhookUrl, WebhookUrlRefused } from "./webhook-url-guard";
import { retryOnLostConnection } from "@/lib/jobs/retry-on-lost-connection";

/**
 * Seconds to wait after each failed attempt (the Standard Webhooks / Svix schedule): 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h. Eight attempts over about 27 hours, so an endpoint that fails all
 * of them has failed for more than a day and is disabled on the way.
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;
/** Error text kept per attempt (a receiver's body is not ours to store whole). */
const MAX_ERROR_CHARS = 300;

export type DeliveryOutcome = "delivered" | "retrying" | "failed" | "skipped";

type AttemptResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** A 2xx is a delivery (Standard Webhooks); redirects are not followed and count as failures. */
async function postOnce(endpoint: WebhookEndpoint, deliveryId: string, body: string, at: Date): Promise<AttemptResult> {
  const timeoutMs = readEnv(["WEBHOOK_TIMEOUT_MS"]).WEBHOOK_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(endpoint.url);
    const target = await checkWebhookUrl(url, { signal });
    const headers = new Headers({
      "content-type": "application/json",
      "user-agent": "Holdfast-Webhooks/1",
      ...signWebhook(decryptSecret(endpoint.secretEncrypted), deliveryId, at, body),
    });
    const res = await pinnedHttpRequest({ url, method: "POST", headers, body: Buffer.from(body, "utf8"), addresses: target.addresses, signal });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const text = res.body.toString("utf8", 0, Math.min(res.body.length, 200)).replace(/\s+/g, " ").trim();
    return { ok: false, status: res.status, error: `answered ${res.status} ${res.statusText}${text ? `: ${text}` : ""}`.slice(0, MAX_ERROR_CHARS) };
  } catch (err) {
    if (err instanceof WebhookUrlRefused) return { ok: false, status: null, error: `refused: ${err.message}` };
    if (signal.aborted) return { ok: false, status: null, error: `no answer within ${timeoutMs} ms` };
    const code = (err as { code?: string }).code;
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, status: null, error: (code && !message.includes(code) ? `${code}: ${message}` : message).slice(0, MAX_ERROR_CHARS) };
  }
}

/**
 * Attempts delivery `deliveryId` now (or at `now`, the clock tests pass). Idempotent: a delivered
 * or given-up message is left alone, so a job run twice after a crash sends at most once more
 * (and the receiver recognises the repeat by its webhook-id).
 */
export async function deliverWebhook(db: Database, deliveryId: string, opts: { now?: Date } = {}): Promise<DeliveryOutcome> {
  const now = opts.now ?? new Date();
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!row || row.delivery.status !== "pending") return "skipped";
  if (!row.endpoint.enabled) {
    await db
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "the endpoint is disabled" })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")));
    return "failed";
  }

  // Claim the attempt in one statement (no lock held across the call).
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: now })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")))
    .returning({ attempts: webhookDeliveries.attempts });
  if (!claimed) return "skipped";

  const result = await postOnce(row.endpoint, deliveryId, JSON.stringify(row.delivery.payload), now);
  // The receiver has answered: if Postgres is restarting, wait for it rather than fail the job,
  // whose next run would deliver the event a second time.
  const outcome = await retryOnLostConnection(() => recordAttempt(db, row.endpoint, deliveryId, claimed.attempts, result, now));
  metricsRegistry().webhookAttempts.inc({ outcome });
  return outcome;
}

async function recordAttempt(db: Database, endpoint: WebhookEndpoint, deliveryId: string, attempts: number, result: AttemptResult, now: Date) {
  return db.transaction(async (tx): Promise<DeliveryOutcome> => {
    if (result.ok) {
      await tx
        .update(webhookDeliveries)
        .set({ status: "delivered", deliveredAt: now, lastStatusCode: result.status, lastError: null })
        .where(eq(webhookDeliveries.id, deliveryId));
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id));
      return "delivered";
    }
    const delay = RETRY_DELAYS_SECONDS[attempts - 1];
    const giveUp = delay === undefined;
    await tx
      .update(webhookDeliveries)
      .set({ status: giveUp ? "failed" : "pending", lastStatusCode: result.status, lastError: result.error })
      .where(eq(webhookDeliveries.id, deliveryId));
    if (!giveUp) await queueDeliveryJob(tx, deliveryId, new Date(now.getTime() + delay * 1000));
    const disabled = await noteEndpointFailure(tx, endpoint.id, now);
    return disabled || giveUp ? "failed" : "retrying";
  });
}

/**
 * Marks the endpoint failing since its first failure after a success; one that has been failing
 * for a day (ENDPOINT_DISABLED_AFTER_FAILING_MS) is disabled. Returns whether this call disabled it.
 */
async function noteEndpointFailure(tx: Executor, endpointId: string, now: Date): Promise<boolean> {
  const [endpoint] = await tx
    .update(webhookEndpoints)
    .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning();
  if (!endpoint?.enabled || !endpoint.failingSince) return false;
  if (now.getTime() - endpoint.failingSince.getTime() < ENDPOINT_DISABLED_AFTER_FAILING_MS) return false;
  return disableFailingEndpoint(tx, endpoint, now);
}
