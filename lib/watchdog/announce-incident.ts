import type { Executor } from "@/db/client";
import { adminAlerts, notifications, type Incident } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { escapeHtml } from "@/lib/notifications/templates";
import { queueAlertWebhook } from "@/lib/outgoing-webhooks/queue-webhook-event";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { incidentKindInfo } from "./incident-kinds";

const calendarIdOf = (subject: string) => /^calendar:([0-9a-f-]{36})$/i.exec(subject)?.[1] ?? null;

function feedLinks(incident: Incident) {
  return { calendarId: calendarIdOf(incident.subject), bookingId: incident.bookingIds.length === 1 ? incident.bookingIds[0]! : null };
}

/**
 * Tells the admins about a newly opened incident, in the transaction that opened it (so it is told
 * exactly once, however many instances saw the cause): a line in the dashboard feed, and an email
 * to the studio address through the outbox, the same recipient as lib/caldav/alert-admins.ts.
 * The email may fail for the very reason of the incident (SMTP down); the feed and the banner do not.
 */
export async function announceIncident(db: Executor, incident: Incident) {
  const info = incidentKindInfo(incident.kind);
  const title = info?.title ?? incident.kind;
  await db.insert(adminAlerts).values({
    kind: "incident_opened",
    severity: incident.severity === "warning" ? "warning" : "error",
    message: `Problem: ${title}. ${incident.message}`,
    ...feedLinks(incident),
  });
  await queueAlertWebhook(db, incident, "alert.raised");
  const recipient = (await getStudioSettings(db)).email;
  if (!recipient) return;
  const alertsUrl = `${appUrl()}/admin/alerts`;
  const lines = [
    `Holdfast found a problem: ${title}.`,
    "",
    incident.message,
    info ? `\nWhat it means: ${info.meaning}\nWhat to do: ${info.action}` : "",
    incident.bookingIds.length ? `\nBookings affected: ${incident.bookingIds.length}` : "",
    `\nSince: ${incident.beganAt.toISOString()}`,
    `Alerts: ${alertsUrl}`,
    "",
    "— Holdfast",
  ];
  const [row] = await db
    .insert(notifications)
    .values({
      bookingId: null,
      kind: "admin_incident",
      recipient,
      subject: `Holdfast alert: ${title}`,
      textBody: lines.join("\n"),
      htmlBody:
        `<p>Holdfast found a problem: <strong>${escapeHtml(title)}</strong>.</p><p>${escapeHtml(incident.message)}</p>` +
        (info ? `<p>What it means: ${escapeHtml(info.meaning)}<br>What to do: ${escapeHtml(info.action)}</p>` : "") +
        `<p>Since ${escapeHtml(incident.beganAt.toISOString())}. <a href="${escapeHtml(alertsUrl)}">Alerts</a></p><p>— Holdfast</p>`,
    })
    .returning({ id: notifications.id });
  await queueNotificationDelivery(db, row!.id);
}

/** The "recovered" line in the dashboard feed for an incident whose cause is gone. */
export async function announceRecovery(db: Executor, incident: Incident) {
  const title = incidentKindInfo(incident.kind)?.title ?? incident.kind;
  const minutes = Math.max(0, Math.round(((incident.clearedAt ?? incident.lastSeenAt).getTime() - incident.beganAt.getTime()) / 60_000));
  await db.insert(adminAlerts).values({
    kind: "incident_recovered",
    severity: "info",
    message: `Recovered: ${title} (after ${minutes} min). ${incident.message}`,
    ...feedLinks(incident),
  });
  await queueAlertWebhook(db, incident, "alert.cleared");
}
