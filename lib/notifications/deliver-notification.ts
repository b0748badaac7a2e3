import { eq, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "@/db/client";
import { notifications } from "@/db/schema";

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string) {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // Short timeouts: a hung SMTP server must fail the attempt (and be retried), not stall the worker.
    transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export type DeliveryOutcome = "sent" | "already_sent" | "kept_no_smtp" | "missing";

export class DeliveryFailedError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "DeliveryFailedError";
  }
}

/**
 * Sends one queued notification through SMTP and records the outcome on its row. The row is
 * locked while sending so two workers never send it twice, and a sent row is never sent again.
 * A failure is written to the row and then rethrown so the job queue retries with backoff.
 */
export async function deliverNotification(
  db: Database,
  notificationId: string,
  opts: { smtpUrl?: string; mailFrom?: string; finalAttempt?: boolean } = {},
): Promise<DeliveryOutcome> {
  const smtpUrl = opts.smtpUrl ?? process.env.SMTP_URL;
  const mailFrom = opts.mailFrom ?? process.env.MAIL_FROM ?? "Holdfast <bookings@holdfast.local>";
  let failure: unknown;

  const outcome = await db.transaction(async (tx): Promise<DeliveryOutcome> => {
    const [row] = await tx.select().from(notifications).where(eq(notifications.id, notificationId)).for("update");
    if (!row) return "missing";
    if (row.status === "sent") return "already_sent";
    if (!smtpUrl) {
      await tx
        .update(notifications)
        .set({ lastError: "SMTP is not configured (SMTP_URL); the message is kept and will be sent once it is", updatedAt: sql`now()` })
        .where(eq(notifications.id, row.id));
      return "kept_no_smtp";
    }
    try {
      const info = await transportFor(smtpUrl).sendMail({
        from: mailFrom,
        to: row.recipient,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        // A stable Message-ID lets mail servers and clients drop a duplicate if a crash between
        // "SMTP accepted" and "row marked sent" ever makes us send it again.
        messageId: `<${row.id}@holdfast>`,
        attachments: row.icsAttachment ? [{ filename: "booking.ics", content: row.icsAttachment, contentType: "text/calendar; charset=utf-8; method=PUBLISH" }] : [],
      });
      await tx
        .update(notifications)
        .set({ status: "sent", attempts: sql`${notifications.attempts} + 1`, providerMessageId: info.messageId ?? null, lastError: null, sentAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(notifications.id, row.id));
      return "sent";
    } catch (err) {
      failure = err;
      await tx
        .update(notifications)
        .set({
          status: opts.finalAttempt ? "failed" : "queued",
          attempts: sql`${notifications.attempts} + 1`,
          lastError: err instanceof Error ? err.message.slice(0, 1000) : String(err),
          updatedAt: sql`now()`,
        })
        .where(eq(notifications.id, row.id));
      return "missing";
    }
  });

  if (failure !== undefined) {
    throw new DeliveryFailedError(`SMTP delivery of notification ${notificationId} failed: ${failure instanceof Error ? failure.message : String(failure)}`, failure);
  }
  return outcome;
}

/**
 * Messages kept while SMTP was not configured get a delivery job again (the job key makes this
 * safe to call on every start).
 */
export async function requeueUndeliveredNotifications(db: Database) {
  const result = await db.execute<{ id: string }>(sql`
    select graphile_worker.add_job('deliver_notification', json_build_object('notificationId', n.id), max_attempts => 12, job_key => 'notification:' || n.id)
    from notifications n where n.status = 'queued'
      and not exists (select 1 from graphile_worker.jobs j where j.key = 'notification:' || n.id)`);
  return result.rowCount ?? 0;
}
