import { and, eq, inArray, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import type { Database } from "@/db/client";
import { bookings, notifications } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { getEnv } from "@/lib/env";
import { customerEventMethodOf } from "@/lib/ical/build-booking-event";
import { queueMissingNotificationDeliveries, queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { childLogger, elapsedMs, type Logger } from "@/lib/log/logger";
import { retryOnLostConnection } from "@/lib/jobs/retry-on-lost-connection";

const notificationsLog = childLogger("notifications");

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string, timeoutMs: number) {
  const cacheKey = `${timeoutMs} ${smtpUrl}`;
  let transport = transports.get(cacheKey);
  if (!transport) {
    // The timeouts must be transport options: nodemailer.createTransport(url, second) treats its
    // second argument as message defaults (and an object with `url` drops every other key), so
    // its own 2 min connect / 30 s greeting / 10 min socket defaults would apply and a server that
    // greets and then stalls would hold a worker slot for ten minutes.
    transport = nodemailer.createTransport(
      new SMTPTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }),
    );
    transports.set(cacheKey, transport);
  }
  return transport;
}

export type DeliveryOutcome = "sent" | "already_sent" | "kept_no_smtp" | "missing" | "cancelled" | "not_due";

export class DeliveryFailedError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "DeliveryFailedError";
  }
}

/** The Message-ID of a notification: the same on every attempt, on the host of APP_URL (RFC 5322 wants a domain). */
export function notificationMessageId(notificationId: string, host = new URL(appUrl()).hostname) {
  return `<${notificationId}@${host}>`;
}

/**
 * A reminder is sent only while it still stands: its booking is confirmed and has not started.
 * The transaction that cancels or moves a booking also withdraws its reminders, so this is the
 * second lock, for a job that was already running or a row changed by hand.
 */
async function reminderStillStands(db: Database, bookingId: string | null, now: Date): Promise<boolean> {
  if (!bookingId) return false;
  const [booking] = await db.select({ status: bookings.status, startsAt: bookings.startsAt }).from(bookings).where(eq(bookings.id, bookingId));
  return booking?.status === "confirmed" && booking.startsAt.getTime() > now.getTime();
}

/**
 * Sends one queued notification through SMTP and records the outcome on its row.
 *
 * No transaction or row lock is held while talking to the SMTP server: the row is marked
 * "sending" (sending_started_at) in one short statement, the message is sent, and the result is
 * recorded in another. Only one job exists per notification (`notificationJobKey`) and the
 * job queue lets one worker run it at a time, so two workers never send the same row at once.
 *
 * A crash between "the server accepted it" and "the row says sent" leaves the row queued with
 * sending_started_at set; the job is unlocked by the dead-worker sweep and sends the message
 * again with the SAME Message-ID (`<row id@holdfast>`), which receiving servers and mail clients
 * use to drop the duplicate. A row marked sent is never sent again.
 *
 * A failure is written to the row and then rethrown so the job queue retries with backoff.
 */
export async function deliverNotification(db: Database, notificationId: string, opts: DeliveryOptions & { log?: Logger } = {}): Promise<DeliveryOutcome> {
  // One line per delivery, by ids only (the recipient stays out of the log; see lib/log/logger.ts).
  const log = opts.log ?? notificationsLog;
  const started = performance.now();
  const about: { bookingId?: string | null; kind?: string } = {};
  try {
    const outcome = await deliverOnce(db, notificationId, opts, about);
    log.info({ notificationId, bookingId: about.bookingId ?? null, kind: about.kind, outcome, durationMs: elapsedMs(started) }, "notification delivery");
    return outcome;
  } catch (err) {
    log.warn(
      {
        notificationId,
        bookingId: about.bookingId ?? null,
        kind: about.kind,
        outcome: "failed",
        finalAttempt: !!opts.finalAttempt,
        durationMs: elapsedMs(started),
        err,
      },
      "notification delivery failed",
    );
    throw err;
  }
}

type DeliveryOptions = { smtpUrl?: string; mailFrom?: string; finalAttempt?: boolean; timeoutMs?: number; now?: Date };

async function deliverOnce(
  db: Database,
  notificationId: string,
  opts: DeliveryOptions,
  about: { bookingId?: string | null; kind?: string },
): Promise<DeliveryOutcome> {
  const env = getEnv();
  const smtpUrl = opts.smtpUrl ?? env.SMTP_URL;
  const mailFrom = opts.mailFrom ?? env.MAIL_FROM;

  const [current] = await db
    .select({ kind: notifications.kind, status: notifications.status, bookingId: notifications.bookingId, scheduledFor: notifications.scheduledFor })
    .from(notifications)
    .where(eq(notifications.id, notificationId));
  if (!current) return "missing";
  Object.assign(about, { bookingId: current.bookingId, kind: current.kind });
  if (current.status === "sent") return "already_sent";
  if (current.status === "cancelled") return "cancelled";
  if (current.kind === "booking_reminder") {
    const now = opts.now ?? new Date();
    if (current.status === "scheduled" && current.scheduledFor && current.scheduledFor.getTime() > now.getTime() + 1000) {
      // Run early (an admin's retry): put it back at its time rather than send it now.
      await queueNotificationDelivery(db, notificationId, { runAt: current.scheduledFor });
      return "not_due";
    }
    if (!(await reminderStillStands(db, current.bookingId, now))) {
      await db
        .update(notifications)
        .set({ status: "cancelled", lastError: "not sent: the booking is no longer confirmed or has already started", updatedAt: sql`now()` })
        .where(and(eq(notifications.id, notificationId), inArray(notifications.status, ["scheduled", "queued", "failed"])));
      return "cancelled";
    }
  }
  if (!smtpUrl) {
    await db
      .update(notifications)
      .set({ lastError: "SMTP is not configured (SMTP_URL); the message is kept and will be sent once it is", updatedAt: sql`now()` })
      .where(eq(notifications.id, notificationId));
    return "kept_no_smtp";
  }
  const timeoutMs = opts.timeoutMs ?? env.SMTP_TIMEOUT_MS;

  // Short transaction 1: mark it "sending" (and read what to send).
  const [row] = await db
    .update(notifications)
    .set({ sendingStartedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(notifications.id, notificationId), inArray(notifications.status, ["queued", "scheduled", "failed"])))
    .returning();
  if (!row) return "already_sent";

  let info: SMTPTransport.SentMessageInfo;
  try {
    info = await transportFor(smtpUrl, timeoutMs).sendMail({
      from: mailFrom,
      to: row.recipient,
      ...(row.replyTo ? { replyTo: row.replyTo } : {}),
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody,
      messageId: notificationMessageId(row.id),
      // iMIP (RFC 6047): the calendar object as a text/calendar alternative whose method= matches
      // its METHOD, which is what makes Gmail, Outlook and Apple Mail offer it as an invitation.
      ...(row.icsAttachment
        ? { icalEvent: { method: customerEventMethodOf(row.icsAttachment) ?? "PUBLISH", filename: "invitation.ics", content: row.icsAttachment } }
        : {}),
    });
  } catch (err) {
    // Short transaction 2 (failure): back to the queue (or failed on the last attempt).
    await db
      .update(notifications)
      .set({
        status: opts.finalAttempt ? "failed" : "queued",
        attempts: sql`${notifications.attempts} + 1`,
        lastError: err instanceof Error ? err.message.slice(0, 1000) : String(err),
        sendingStartedAt: null,
        updatedAt: sql`now()`,
      })
      .where(eq(notifications.id, row.id));
    throw new DeliveryFailedError(`SMTP delivery of notification ${notificationId} failed: ${err instanceof Error ? err.message : String(err)}`, err);
  }

  // Short transaction 2 (success). The server has the mail: if Postgres is restarting, wait for it
  // rather than fail the job, whose next run would send the mail a second time.
  await retryOnLostConnection(() =>
    db
      .update(notifications)
      .set({
        status: "sent",
        attempts: sql`${notifications.attempts} + 1`,
        providerMessageId: info.messageId ?? null,
        lastError: null,
        sendingStartedAt: null,
        sentAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(notifications.id, row.id)),
  );
  return "sent";
}

/**
 * Messages kept while SMTP was not configured get a delivery job again (the job key makes this
 * safe to call on every start).
 */
export async function requeueUndeliveredNotifications(db: Database) {
  return queueMissingNotificationDeliveries(db);
}
