import { childLogger } from "@/lib/log/logger";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notifications, studioSettings } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { mailboxKey } from "./email-address";
import { escapeHtml } from "@/lib/notifications/templates";

const log = childLogger("auth");

export const MAGIC_LINK_KIND = "magic_link";
/** How long a sign-in link works. Short, because the link alone signs its holder in. */
export const MAGIC_LINK_MAX_AGE_SECONDS = 60 * 60;

function renderMagicLink(studioName: string, url: string, expires: Date) {
  const minutes = Math.max(1, Math.round((expires.getTime() - Date.now()) / 60_000));
  const subject = `Sign in to ${studioName}`;
  const text = [
    "Hi,",
    "",
    `Use this link to sign in to ${studioName} and see your bookings. It works once, for the next ${minutes} minutes:`,
    "",
    url,
    "",
    "If you did not ask for it, ignore this email: nobody can sign in without the link.",
    "",
    studioName,
  ].join("\n");
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"></head><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933;line-height:1.5">
<h1 style="font-size:20px">Sign in to ${escapeHtml(studioName)}</h1>
<p>Use this link to sign in and see your bookings. It works once, for the next ${minutes} minutes.</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#1f4e79;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Sign in</a></p>
<p style="font-size:13px;color:#52606d;word-break:break-all;overflow-wrap:anywhere">Or paste this address into your browser:<br>${escapeHtml(url)}</p>
<p style="font-size:13px;color:#52606d">If you did not ask for it, ignore this email: nobody can sign in without the link.</p>
</body></html>`;
  return { subject, text, html };
}

/**
 * next-auth's `sendVerificationRequest` for customers' magic links: the email becomes a
 * notifications row plus a delivery job, like every other message, so an SMTP outage delays it
 * instead of losing it and, with no SMTP configured, it stays in the outbox where an admin can see
 * it. Three limits stand before it, so nobody can flood an inbox or the studio's mail server: per
 * client address, per mailbox (`+tag` and case do not make a new one), and an hourly ceiling for
 * the whole studio. The client's own limit comes first, so one sender used up is refused without
 * spending the others' points.
 */
export async function queueMagicLinkEmail(db: Database, input: { email: string; url: string; expires: Date; clientIp: string }) {
  await consumeRateLimit("signin_mails_per_ip", input.clientIp || "unknown");
  await consumeRateLimit("signin_mails_per_address", mailboxKey(input.email));
  try {
    await consumeRateLimit("signin_mails_total", "all");
  } catch (err) {
    // Worth an operator's attention: customers cannot sign in until the hour is over.
    if (err instanceof HoldfastError && err.code === "rate_limited")
      log.warn("the hourly ceiling of sign-in mails (RATE_LIMIT_SIGNIN_MAILS_PER_HOUR) is reached; sign-in requests are refused until the hour is over");
    throw err;
  }
  const [studio] = await db.select({ name: studioSettings.name }).from(studioSettings).where(eq(studioSettings.id, 1));
  const message = renderMagicLink(studio?.name ?? "Holdfast", input.url, input.expires);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notifications)
      .values({ kind: MAGIC_LINK_KIND, recipient: input.email, subject: message.subject, textBody: message.text, htmlBody: message.html })
      .returning({ id: notifications.id });
    await queueNotificationDelivery(tx, row!.id);
    return row!.id;
  });
}
