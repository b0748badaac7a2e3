/**
 * The outbox of outgoing webhooks: an event becomes one `webhook_deliveries` row per subscribed,
 * enabled endpoint plus its delivery job, written on the caller's executor, so they commit or roll
 * back with the change they report. Nothing here touches the network.
 */
import { and, arrayContains, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artists, services, webhookDeliveries, webhookEndpoints, type Booking, type BookingStatus, type Incident } from "@/db/schema";
import { addJob } from "@/lib/jobs/add-job";
import { incidentKindInfo } from "@/lib/watchdog/incident-kinds";
import { TEST_EVENT_TYPE, type WebhookEventType } from "./event-types";

/** The body every delivery sends (Standard Webhooks: type, timestamp, data). */
export type WebhookPayload = { type: string; timestamp: string; data: Record<string, unknown> };

export const webhookJobKey = (deliveryId: string) => `webhook:${deliveryId}`;

/** Every delivery job: the handler keeps its own retry schedule, so graphile-worker retries only crashes. */
export async function queueDeliveryJob(db: Executor, deliveryId: string, runAt?: Date) {
  await addJob(db, "deliver_webhook", { deliveryId }, { jobKey: webhookJobKey(deliveryId), runAt, maxAttempts: 5 });
}

/**
 * Queues `type` for every enabled endpoint that subscribed to it (or, with `endpointIds`, for
 * just those). `data` may be a function: it runs only when someone listens, so a studio without
 * webhooks pays one query per change. Returns the delivery ids (the webhook-id of each message).
 */
export async function queueWebhookEvent(
  tx: Executor,
  type: WebhookEventType | typeof TEST_EVENT_TYPE,
  data: Record<string, unknown> | (() => Promise<Record<string, unknown>>),
  opts: { now?: Date; endpointIds?: string[] } = {},
): Promise<string[]> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.enabled, true),
        opts.endpointIds ? inArray(webhookEndpoints.id, opts.endpointIds) : arrayContains(webhookEndpoints.events, [type]),
      ),
    );
  if (endpoints.length === 0) return [];
  const payload: WebhookPayload = { type, timestamp: (opts.now ?? new Date()).toISOString(), data: typeof data === "function" ? await data() : data };
  const rows = await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ endpointId: e.id, eventType: type, payload })))
    .returning({ id: webhookDeliveries.id });
  for (const row of rows) await queueDeliveryJob(tx, row.id);
  return rows.map((r) => r.id);
}

type BookingBefore = Pick<Booking, "status" | "startsAt" | "endsAt">;

/**
 * Which event a booking change is: a new status names it (a hold becoming pending is a request),
 * the same status at another time is a reschedule, anything else (a hold placed or expiring, a
 * manage link rotated) is not an event.
 */
export function bookingEventType(before: BookingBefore | null, after: Booking): WebhookEventType | null {
  const previous: BookingStatus = before?.status ?? "hold";
  if (previous !== after.status) {
    const byStatus: Partial<Record<BookingStatus, WebhookEventType>> = {
      pending: "booking.requested",
      confirmed: "booking.confirmed",
      rejected: "booking.rejected",
      cancelled: "booking.cancelled",
      completed: "booking.completed",
    };
    return byStatus[after.status] ?? null;
  }
  if (before && (before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime())) return "booking.rescheduled";
  return null;
}

/**
 * A booking's part of a payload: ids, times, status, artist and service. Never the customer's
 * name, email, phone, notes or any text they typed (a cancellation reason included): receivers
 * are third-party services the customer never agreed to.
 */
export async function bookingWebhookData(db: Executor, booking: Booking, before: BookingBefore | null) {
  const [artist] = await db.select({ id: artists.id, name: artists.name }).from(artists).where(eq(artists.id, booking.artistId));
  const [service] = await db.select({ id: services.id, name: services.name }).from(services).where(eq(services.id, booking.serviceId));
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const moved = before && (before.startsAt.getTime() !== booking.startsAt.getTime() || before.endsAt.getTime() !== booking.endsAt.getTime());
  return {
    booking: {
      id: booking.id,
      status: booking.status,
      previousStatus: before?.status ?? "hold",
      version: booking.version,
      startsAt: iso(booking.startsAt),
      endsAt: iso(booking.endsAt),
      previousStartsAt: moved ? iso(before.startsAt) : null,
      previousEndsAt: moved ? iso(before.endsAt) : null,
      submittedAt: iso(booking.submittedAt),
      confirmedAt: iso(booking.confirmedAt),
      cancelledAt: iso(booking.cancelledAt),
      seriesId: booking.seriesId ?? null,
      artist: { id: booking.artistId, name: artist?.name ?? null },
      service: { id: booking.serviceId, name: service?.name ?? null },
    },
  };
}

/**
 * The one call every booking change makes, next to queueBookingMessages: queues the event the
 * change is (if any) for the endpoints that listen to it. `previous` is the row before the change
 * (null for a booking created confirmed).
 */
export async function queueBookingWebhook(tx: Executor, booking: Booking, opts: { previous: BookingBefore | null; now?: Date }) {
  const type = bookingEventType(opts.previous, booking);
  if (!type) return [];
  return queueWebhookEvent(tx, type, () => bookingWebhookData(tx, booking, opts.previous), { now: opts.now });
}

/** alert.raised / alert.cleared for an incident, in the transaction that opens or clears it. */
export async function queueAlertWebhook(tx: Executor, incident: Incident, type: "alert.raised" | "alert.cleared") {
  const info = incidentKindInfo(incident.kind);
  return queueWebhookEvent(
    tx,
    type,
    {
      alert: {
        id: incident.id,
        kind: incident.kind,
        title: info?.title ?? incident.kind,
        severity: incident.severity,
        subject: incident.subject,
        message: incident.message,
        meaning: info?.meaning ?? null,
        action: info?.action ?? null,
        bookingIds: incident.bookingIds,
        beganAt: incident.beganAt.toISOString(),
        clearedAt: incident.clearedAt ? incident.clearedAt.toISOString() : null,
      },
    },
    { now: type === "alert.cleared" ? (incident.clearedAt ?? undefined) : incident.beganAt },
  );
}
