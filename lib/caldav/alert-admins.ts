import type { Executor } from "@/db/client";
import { adminAlerts, notifications } from "@/db/schema";
import { queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { escapeHtml } from "@/lib/notifications/templates";
import { appUrl } from "@/lib/app-url";
import { getStudioSettings } from "@/lib/studio/studio-settings";

export type CalendarAlert = {
  kind: "calendar_sync_failing" | "calendar_conflict";
  severity: "info" | "warning" | "error";
  message: string;
  calendarId?: string | null;
  bookingId?: string | null;
  /** Also e-mail the studio address (through the notification outbox, so it is retried and visible). */
  email?: { subject: string };
};

/** An entry in the admins' in-app feed, and optionally an e-mail to the studio. */
export async function alertAdmins(db: Executor, alert: CalendarAlert) {
  await db.insert(adminAlerts).values({
    kind: alert.kind,
    severity: alert.severity,
    message: alert.message,
    calendarId: alert.calendarId ?? null,
    bookingId: alert.bookingId ?? null,
  });
  if (!alert.email) return;
  const recipient = (await getStudioSettings(db)).email;
  if (!recipient) return;
  const base = appUrl();
  const text = `${alert.message}\n\nSync health: ${base}/admin/calendars\n\n— Holdfast`;
  const [row] = await db
    .insert(notifications)
    .values({
      bookingId: alert.bookingId ?? null,
      kind: alert.kind,
      recipient,
      subject: alert.email.subject,
      textBody: text,
      htmlBody: `<p>${escapeHtml(alert.message)}</p><p><a href="${escapeHtml(`${base}/admin/calendars`)}">Sync health</a></p><p>— Holdfast</p>`,
    })
    .returning({ id: notifications.id });
  await queueNotificationDelivery(db, row!.id);
}
