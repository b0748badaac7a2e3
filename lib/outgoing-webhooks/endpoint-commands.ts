/**
 * What an admin does with outgoing webhooks: register an endpoint (its secret shown once), list,
 * read its delivery log, delete, enable again, send a test message, retry a delivery. Shared by
 * the REST routes and the admin screen.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, type WebhookDelivery, type WebhookEndpoint } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { encryptSecret } from "@/lib/caldav/encrypt-secret";
import type { HostResolver } from "@/lib/caldav/outbound-guard";
import { HoldfastError, invalidInput, notFound } from "@/lib/errors";
import { TEST_EVENT_TYPE, isWebhookEventType, type WebhookEventType } from "./event-types";
import { queueDeliveryJob, queueWebhookEvent, type WebhookPayload } from "./queue-webhook-event";
import { createWebhookEndpointSchema, type CreateWebhookEndpointInput } from "./schemas";
import { generateWebhookSecret } from "./sign-webhook";
import { checkWebhookUrl, WebhookUrlRefused } from "./webhook-url-guard";

export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  createdBy: string | null;
  createdAt: string;
  deliveries: { pending: number; delivered: number; failed: number };
  lastDeliveredAt: string | null;
};

export type WebhookDeliveryView = {
  id: string;
  endpointId: string;
  eventType: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  payload: WebhookPayload;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Counts = { pending: number; delivered: number; failed: number; lastDeliveredAt: Date | string | null };

function endpointView(e: WebhookEndpoint, c: Counts | undefined): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events.filter(isWebhookEventType),
    enabled: e.enabled,
    failingSince: iso(e.failingSince),
    disabledAt: iso(e.disabledAt),
    disabledReason: e.disabledReason,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    deliveries: { pending: c?.pending ?? 0, delivered: c?.delivered ?? 0, failed: c?.failed ?? 0 },
    lastDeliveredAt: c?.lastDeliveredAt ? new Date(c.lastDeliveredAt).toISOString() : null,
  };
}

export function deliveryView(d: WebhookDelivery): WebhookDeliveryView {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status as WebhookDeliveryView["status"],
    attempts: d.attempts,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
    payload: d.payload as WebhookPayload,
  };
}

async function deliveryCounts(db: Database, endpointId?: string): Promise<Map<string, Counts>> {
  const rows = await db.execute<Counts & { endpoint_id: string }>(sql`
    select endpoint_id,
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where status = 'delivered')::int as delivered,
      count(*) filter (where status = 'failed')::int as failed,
      max(delivered_at) as "lastDeliveredAt"
    from webhook_deliveries ${endpointId ? sql`where endpoint_id = ${endpointId}::uuid` : sql``} group by endpoint_id`);
  return new Map(rows.rows.map((r) => [r.endpoint_id, r]));
}

/**
 * Registers an endpoint. The URL must pass the outbound guard now (so a refused address is a
 * field error here, not a day of failed deliveries); it is checked again at every delivery.
 * The secret is returned this once and stored only encrypted.
 */
export async function createWebhookEndpoint(
  db: Database,
  raw: CreateWebhookEndpointInput,
  opts: { actor?: Actor; resolver?: HostResolver } = {},
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const input = createWebhookEndpointSchema.parse(raw);
  try {
    await checkWebhookUrl(new URL(input.url), { resolver: opts.resolver, signal: AbortSignal.timeout(5000) });
  } catch (err) {
    if (err instanceof WebhookUrlRefused) throw invalidInput({ url: [err.message] }, "Holdfast may not send webhooks to that address");
    throw invalidInput({ url: ["could not be resolved; check the host name"] }, "That address could not be found");
  }
  const secret = generateWebhookSecret();
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      url: input.url,
      description: input.description ?? "",
      events: input.events,
      secretEncrypted: encryptSecret(secret),
      createdBy: opts.actor ? `${opts.actor.kind}:${opts.actor.id ?? ""}` : null,
    })
    .returning();
  return { endpoint: endpointView(row!, undefined), secret };
}

export async function listWebhookEndpoints(db: Database): Promise<WebhookEndpointView[]> {
  const [rows, counts] = await Promise.all([db.select().from(webhookEndpoints).orderBy(webhookEndpoints.createdAt), deliveryCounts(db)]);
  return rows.map((e) => endpointView(e, counts.get(e.id)));
}

/** The delivery log, newest first. */
export async function listWebhookDeliveries(db: Database, endpointId: string, opts: { limit?: number } = {}): Promise<WebhookDeliveryView[]> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(opts.limit ?? 50);
  return rows.map(deliveryView);
}

export async function getWebhookEndpoint(db: Database, id: string, opts: { limit?: number } = {}) {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  if (!row) throw notFound("That webhook endpoint");
  const [counts, deliveries] = await Promise.all([deliveryCounts(db, id), listWebhookDeliveries(db, id, opts)]);
  return { endpoint: endpointView(row, counts.get(id)), deliveries };
}

/** Deletes it with its log; its queued jobs find no delivery and do nothing. */
export async function deleteWebhookEndpoint(db: Database, id: string) {
  const [row] = await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ id: webhookEndpoints.id });
  if (!row) throw notFound("That webhook endpoint");
  return { deleted: row.id };
}

/**
 * Switches a disabled endpoint back on with a clean record; the watchdog then clears its incident.
 * An endpoint that is on is left as it is (its failure clock keeps running).
 */
export async function enableWebhookEndpoint(db: Database, id: string) {
  await db
    .update(webhookEndpoints)
    .set({ enabled: true, failingSince: null, disabledAt: null, disabledReason: null })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.enabled, false)));
  return getWebhookEndpoint(db, id, { limit: 0 });
}

function refuseWhileDisabled(endpoint: Pick<WebhookEndpoint, "enabled">) {
  if (!endpoint.enabled) throw new HoldfastError("invalid_transition", "This endpoint is disabled; enable it again first");
}

/** Queues a `webhook.test` message to this endpoint only (signed like any other), whatever it subscribed to. */
export async function sendTestWebhook(db: Database, endpointId: string, opts: { now?: Date } = {}) {
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update");
    if (!endpoint) throw notFound("That webhook endpoint");
    refuseWhileDisabled(endpoint);
    const [deliveryId] = await queueWebhookEvent(
      tx,
      TEST_EVENT_TYPE,
      { message: "A test message from Holdfast. If your receiver verified this signature, it is set up.", endpoint: { id: endpoint.id } },
      { now: opts.now, endpointIds: [endpoint.id] },
    );
    return { deliveryId: deliveryId! };
  });
}

/**
 * Sends a delivery that is not delivered yet once more, now: a pending one jumps its wait, a
 * failed one gets one more attempt (same webhook-id, so the receiver can tell it is the same).
 */
export async function retryWebhookDelivery(db: Database, deliveryId: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ delivery: webhookDeliveries, enabled: webhookEndpoints.enabled })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(eq(webhookDeliveries.id, deliveryId))
      .for("update", { of: webhookDeliveries });
    if (!row) throw notFound("That delivery");
    if (row.delivery.status === "delivered") throw new HoldfastError("invalid_transition", "This message was already delivered");
    refuseWhileDisabled(row);
    const [updated] = await tx.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, deliveryId)).returning();
    await queueDeliveryJob(tx, deliveryId);
    return { delivery: deliveryView(updated!) };
  });
}
