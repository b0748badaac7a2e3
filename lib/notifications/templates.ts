/**
 * Email copy for every booking notification, as plain text and simple inline-styled HTML (mail
 * clients ignore <style> blocks). Times are always printed with their zone, in the artist's zone
 * first, because that is where the customer has to turn up.
 */
import { describeLeadTime } from "./plan-reminders";
import { formatDateTimeInZone, formatShortDateTimeInZone, formatTimeRangeInZone } from "@/lib/time/format-in-zone";
import { isValidTimeZone, wallClockInZone } from "@/lib/time/zone-clock";
import { formatPrice } from "@/lib/studio/format-price";

export type NotificationKind =
  | "request_received"
  | "booking_confirmed"
  | "booking_rejected"
  | "booking_cancelled"
  | "booking_rescheduled"
  | "booking_reminder"
  | "deposit_refunded"
  | "deposit_kept"
  | "studio_new_request"
  | "studio_new_booking"
  | "studio_booking_rescheduled"
  | "studio_booking_cancelled";

export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  "request_received",
  "booking_confirmed",
  "booking_rejected",
  "booking_cancelled",
  "booking_rescheduled",
  "booking_reminder",
  "deposit_refunded",
  "deposit_kept",
  "studio_new_request",
  "studio_new_booking",
  "studio_booking_rescheduled",
  "studio_booking_cancelled",
];

/** The kinds that go to the studio (and the artist), not to the customer. */
export const STUDIO_NOTIFICATION_KINDS: ReadonlySet<NotificationKind> = new Set([
  "studio_new_request",
  "studio_new_booking",
  "studio_booking_rescheduled",
  "studio_booking_cancelled",
]);

export function isStudioNotification(kind: NotificationKind): boolean {
  return STUDIO_NOTIFICATION_KINDS.has(kind);
}

/** How the customer reaches the studio: printed under every customer email. */
export type StudioContact = { email?: string | null; phone?: string | null; address?: string | null; mapUrl?: string | null };

export type NotificationContext = {
  studioName: string;
  appUrl: string;
  bookingId: string;
  artistName: string;
  serviceName: string;
  startsAt: Date;
  endsAt: Date;
  /** The artist's zone: the one the appointment physically happens in. */
  timezone: string;
  /** If set and showing a different clock time, the time is also printed in this zone. */
  customerTimezone?: string | null;
  customerName: string;
  customerEmail: string;
  customerPhone?: string | null;
  notes?: string | null;
  reason?: string | null;
  cancelledBy?: "customer" | "studio";
  previousStartsAt?: Date;
  previousEndsAt?: Date;
  /** The customer's private link to view, reschedule or cancel. */
  manageUrl: string;
  studioContact?: StudioContact;
  /** Where "Request another time" leads: the same artist and service. */
  bookAgainUrl?: string;
  /** For a reminder: how long before the appointment it goes out. */
  reminderLeadMinutes?: number;
  /** The request's intake answers (placement, size …) and reference images, for the studio's mails. */
  intake?: { answers: { label: string; display: string }[]; referenceImages: number; url: string } | null;
  /** The booking's deposit as it stands after the change (null or absent: the service takes none). */
  deposit?: NotificationDeposit | null;
  /** For deposit_refunded: the amount this refund gave back (the deposit's total refunded otherwise). */
  refundedCents?: number;
};

/**
 * What the mail says about money, read from the booking row after the change: the state, the
 * amounts in cents, the manual mode's "how to pay", and why a kept deposit was kept.
 */
export type NotificationDeposit = {
  state: "none" | "due" | "paid" | "refunded" | "partially_refunded" | "kept";
  amountCents: number;
  paidCents: number;
  refundedCents: number;
  currency: string;
  provider: "stripe" | "manual" | null;
  /** The studio's manual payment instructions (bank details, at the desk), printed with a due deposit. */
  manualInstructions?: string | null;
  /** Why the studio keeps a deposit (the policy in a few words), printed with a kept one. */
  keptBecause?: string | null;
};

/** The deposit line of a request or confirmation: "Deposit paid: €50" or "Deposit due: €50 — how to pay". */
export function depositStatusDetail(deposit: NotificationDeposit | null | undefined): { label: string; value: string } | null {
  if (!deposit || deposit.state === "none" || deposit.amountCents <= 0) return null;
  const money = (cents: number) => formatPrice(cents, deposit.currency);
  switch (deposit.state) {
    case "due": {
      const how = present(deposit.manualInstructions) ? deposit.manualInstructions.trim() : "by bank transfer or at the studio";
      return { label: "Deposit due", value: `${money(deposit.amountCents)} — ${how}` };
    }
    case "paid":
      return { label: "Deposit paid", value: money(deposit.paidCents) };
    case "partially_refunded":
      return { label: "Deposit paid", value: `${money(deposit.paidCents)} (${money(deposit.refundedCents)} refunded)` };
    case "refunded":
      return { label: "Deposit refunded", value: money(deposit.refundedCents) };
    case "kept":
      return { label: "Deposit kept", value: money(deposit.paidCents - deposit.refundedCents) };
  }
}

/** The sentence a declined or cancelled booking's mail says about the money: refunded, kept (and why), or nothing to settle. */
export function depositSettlementSentence(deposit: NotificationDeposit | null | undefined): string | null {
  if (!deposit || deposit.state === "none" || deposit.amountCents <= 0) return null;
  const money = (cents: number) => formatPrice(cents, deposit.currency);
  switch (deposit.state) {
    case "refunded":
    case "partially_refunded":
      return `Your deposit of ${money(deposit.refundedCents)} will be refunded${deposit.provider === "stripe" ? " to the card you paid with" : ""}.`;
    case "kept": {
      const why = present(deposit.keptBecause) ? ` (${deposit.keptBecause.trim()})` : "";
      return `Your deposit of ${money(deposit.paidCents - deposit.refundedCents)} is kept per the studio's policy${why}.`;
    }
    case "due":
      return "No deposit was paid, so there is nothing to pay or refund.";
    case "paid":
      return null;
  }
}

export type RenderedNotification = { subject: string; text: string; html: string };

type Detail = { label: string; value: string; multiline?: boolean; struck?: boolean; href?: string };

type Message = {
  /** Whether the customer reads it (gets the studio's contact footer). */
  toCustomer: boolean;
  subject: string;
  heading: string;
  greeting: string | null;
  intro: string[];
  details: Detail[];
  action: { label: string; url: string } | null;
  outro: string[];
  signOff: string[];
};

export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Only schemes we mean to link; anything else (javascript:, data:) is shown as text, not linked. */
function safeHref(url: string): string | null {
  return /^(https?:\/\/|mailto:|tel:)/i.test(url.trim()) ? url.trim() : null;
}

/** Subjects are headers: a newline in a customer-supplied name must not reach them. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

function present(value: string | null | undefined): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * The customer's zone, when printing the time there tells them something new. A different id with
 * the same clock time (Paris vs Berlin) would only repeat the line; an id the runtime does not
 * know (browsers send odd values) is ignored rather than failing the whole email.
 */
function customerZone(ctx: NotificationContext, start: Date, end: Date): string | null {
  const zone = ctx.customerTimezone;
  if (!present(zone) || zone === ctx.timezone || !isValidTimeZone(zone)) return null;
  const same = (d: Date) => JSON.stringify(wallClockInZone(d, zone)) === JSON.stringify(wallClockInZone(d, ctx.timezone));
  return same(start) && same(end) ? null : zone;
}

function when(ctx: NotificationContext, start: Date, end: Date, label: string, theirLabel: string): Detail[] {
  const details: Detail[] = [{ label, value: formatTimeRangeInZone(start, end, ctx.timezone) }];
  const zone = customerZone(ctx, start, end);
  if (zone) details.push({ label: theirLabel, value: formatTimeRangeInZone(start, end, zone) });
  return details;
}

function adminUrl(ctx: NotificationContext): string {
  return `${ctx.appUrl.replace(/\/+$/, "")}/admin/bookings/${encodeURIComponent(ctx.bookingId)}`;
}

function compose(kind: NotificationKind, ctx: NotificationContext): Message {
  const what = `${ctx.serviceName} with ${ctx.artistName}`;
  // A subject is read in a list, without the body's two zones: the customer's own zone when we
  // know it, the studio's otherwise (always with its abbreviation).
  const short = formatShortDateTimeInZone(ctx.startsAt, customerZone(ctx, ctx.startsAt, ctx.endsAt) ?? ctx.timezone);
  const studioShort = formatShortDateTimeInZone(ctx.startsAt, ctx.timezone);
  const greeting = present(ctx.customerName) ? `Hi ${ctx.customerName.trim()},` : "Hi there,";
  const whenForCustomer = (label = "When") => when(ctx, ctx.startsAt, ctx.endsAt, label, "Your time");
  const reason: Detail[] = present(ctx.reason) ? [{ label: "Reason", value: ctx.reason.trim(), multiline: true }] : [];
  const manage = { label: "View or change your booking", url: ctx.manageUrl };
  const bookAgain = { label: "Request another time", url: ctx.bookAgainUrl ?? ctx.appUrl };
  const who = present(ctx.customerName) ? ctx.customerName.trim() : ctx.customerEmail;
  const customerContact: Detail[] = [
    { label: "Customer", value: who },
    { label: "Email", value: ctx.customerEmail, href: `mailto:${ctx.customerEmail}` },
  ];
  if (present(ctx.customerPhone)) {
    customerContact.push({ label: "Phone", value: ctx.customerPhone.trim(), href: `tel:${ctx.customerPhone.replace(/[^\d+]/g, "")}` });
  }
  const forStudio = (m: Omit<Message, "toCustomer" | "greeting" | "signOff">): Message => ({ ...m, toCustomer: false, greeting: null, signOff: [] });
  const forCustomer = (m: Omit<Message, "toCustomer">): Message => ({ ...m, toCustomer: true });
  const previous: Detail[] = [];
  if (ctx.previousStartsAt && ctx.previousEndsAt) {
    previous.push({ label: "Previously", value: formatTimeRangeInZone(ctx.previousStartsAt, ctx.previousEndsAt, ctx.timezone), struck: true });
  } else if (ctx.previousStartsAt) {
    previous.push({ label: "Previously", value: formatDateTimeInZone(ctx.previousStartsAt, ctx.timezone), struck: true });
  }
  const studioDetails = (label = "When"): Detail[] => [
    ...customerContact,
    { label: "Service", value: ctx.serviceName },
    { label: "Artist", value: ctx.artistName },
    ...when(ctx, ctx.startsAt, ctx.endsAt, label, "Customer's time"),
  ];
  const notes: Detail[] = present(ctx.notes) ? [{ label: "Notes", value: ctx.notes.trim(), multiline: true }] : [];
  const depositLine = depositStatusDetail(ctx.deposit);
  const deposit: Detail[] = depositLine ? [{ ...depositLine, multiline: true }] : [];
  const settlement = depositSettlementSentence(ctx.deposit);
  // The answers a quote depends on, then a signed link to them and the images (which are never attached to a mail).
  const intake: Detail[] = ctx.intake
    ? [
        ...ctx.intake.answers.map((a) => ({ label: a.label, value: a.display, multiline: true })),
        ...(ctx.intake.referenceImages > 0
          ? [{ label: "Reference images", value: `${ctx.intake.referenceImages}: ${ctx.intake.url}`, href: ctx.intake.url }]
          : []),
      ]
    : [];

  switch (kind) {
    case "request_received":
      return forCustomer({
        subject: `Request received: ${what} on ${short}`,
        heading: "We've got your request",
        greeting,
        intro: [
          `Thanks for your booking request with ${ctx.studioName}! It isn't confirmed yet: the studio will look at it shortly and we'll email you as soon as it's approved.`,
        ],
        details: [{ label: "What", value: what }, ...whenForCustomer(), { label: "Status", value: "Waiting for the studio to confirm" }, ...deposit],
        action: { label: "View or cancel your request", url: ctx.manageUrl },
        outro: [],
        signOff: ["Thanks,", ctx.studioName],
      });
    case "booking_confirmed":
      return forCustomer({
        subject: `Confirmed: ${what} on ${short}`,
        heading: "You're booked in",
        greeting,
        intro: [`Good news: your booking with ${ctx.studioName} is confirmed.`],
        details: [{ label: "What", value: what }, ...whenForCustomer(), ...deposit],
        action: manage,
        outro: ["If your plans change, please let us know as early as you can."],
        signOff: ["See you soon,", ctx.studioName],
      });
    case "booking_rejected":
      return forCustomer({
        subject: `Request declined: ${what} on ${short}`,
        heading: "Sorry, we can't take this booking",
        greeting,
        intro: [
          `Thanks for your interest in ${ctx.studioName}. Unfortunately we can't take your request for this time, but you're very welcome to ask for another.`,
        ],
        details: [{ label: "What", value: what }, ...whenForCustomer(), ...reason],
        action: bookAgain,
        outro: settlement ? [settlement] : [],
        signOff: ["All the best,", ctx.studioName],
      });
    case "booking_cancelled": {
      const byWhom: Detail[] = ctx.cancelledBy ? [{ label: "Cancelled by", value: ctx.cancelledBy === "customer" ? "you" : "the studio" }] : [];
      const intro =
        ctx.cancelledBy === "customer"
          ? "As you asked, your booking has been cancelled."
          : ctx.cancelledBy === "studio"
            ? `We're sorry: ${ctx.studioName} has had to cancel your booking.`
            : "Your booking has been cancelled.";
      return forCustomer({
        subject: `Cancelled: ${what} on ${short}`,
        heading: "Booking cancelled",
        greeting,
        intro: [intro],
        details: [{ label: "What", value: what }, ...whenForCustomer(), ...byWhom, ...reason],
        action: bookAgain,
        outro: [...(settlement ? [settlement] : []), ctx.cancelledBy === "studio" ? "We'd love to find you another time." : "We hope to see you another time."],
        signOff: ["All the best,", ctx.studioName],
      });
    }
    case "booking_rescheduled": {
      return forCustomer({
        subject: `New time: ${what} on ${short}`,
        heading: "Your booking has a new time",
        greeting,
        intro: [`Your booking with ${ctx.studioName} has moved to a new time.`],
        details: [{ label: "What", value: what }, ...whenForCustomer("New time"), ...previous, ...reason],
        action: manage,
        outro: ["If the new time doesn't work for you, please let us know using the link above."],
        signOff: ["See you soon,", ctx.studioName],
      });
    }
    case "booking_reminder": {
      const lead = ctx.reminderLeadMinutes ? describeLeadTime(ctx.reminderLeadMinutes) : null;
      return forCustomer({
        subject: `Reminder: ${what} on ${short}`,
        heading: "See you soon",
        greeting,
        intro: [lead ? `A reminder: your appointment with ${ctx.studioName} is in ${lead}.` : `A reminder of your appointment with ${ctx.studioName}.`],
        details: [{ label: "What", value: what }, ...whenForCustomer()],
        action: manage,
        outro: ["If you can't make it, please tell us as early as you can, so someone else can have the time."],
        signOff: ["See you soon,", ctx.studioName],
      });
    }
    case "deposit_refunded": {
      const d = ctx.deposit;
      const amount = d ? formatPrice(ctx.refundedCents ?? d.refundedCents, d.currency) : "";
      return forCustomer({
        subject: `Deposit refunded: ${what} on ${short}`,
        heading: "Your deposit has been refunded",
        greeting,
        intro: [
          `${ctx.studioName} has refunded ${amount ? `${amount} of ` : ""}your deposit${d?.provider === "stripe" ? " to the card you paid with; your bank may take a few days to show it" : ""}.`,
        ],
        details: [{ label: "What", value: what }, ...whenForCustomer(), ...(amount ? [{ label: "Refunded", value: amount }] : []), ...deposit],
        action: manage,
        outro: [],
        signOff: ["All the best,", ctx.studioName],
      });
    }
    case "deposit_kept":
      // Sent when the studio marks a no-show: the customer hears it from the studio, with the
      // amount and the policy, rather than finding no refund.
      return forCustomer({
        subject: `Missed appointment: ${what} on ${short}`,
        heading: "We missed you",
        greeting,
        intro: [`${ctx.studioName} marked your appointment as missed.`, ...(settlement ? [settlement] : [])],
        details: [{ label: "What", value: what }, ...whenForCustomer(), ...deposit],
        action: bookAgain,
        outro: ["If you think this is a mistake, just reply to this email or call the studio."],
        signOff: ["All the best,", ctx.studioName],
      });
    case "studio_new_request":
      return forStudio({
        subject: `New booking request: ${who}, ${what} on ${studioShort}`,
        heading: "New booking request",
        intro: [`${who} would like to book ${what}. It's waiting for your approval.`],
        details: [...studioDetails(), ...deposit, ...intake, ...notes],
        action: { label: "Review the request", url: adminUrl(ctx) },
        outro: [],
      });
    case "studio_new_booking":
      return forStudio({
        subject: `New booking: ${who}, ${what} on ${studioShort}`,
        heading: "New booking",
        intro: [`${who} booked ${what}. It is confirmed (this service books instantly) and already in the calendar.`],
        details: [...studioDetails(), ...deposit, ...intake, ...notes],
        action: { label: "Open the booking", url: adminUrl(ctx) },
        outro: [],
      });
    case "studio_booking_rescheduled":
      return forStudio({
        subject: `Moved by the customer: ${who}, ${what} to ${studioShort}`,
        heading: "A customer moved their booking",
        intro: [`${who} moved their booking for ${what} to a new time.`],
        details: [...studioDetails("New time"), ...previous],
        action: { label: "Open the booking", url: adminUrl(ctx) },
        outro: [],
      });
    case "studio_booking_cancelled":
      return forStudio({
        subject: `Cancelled by the customer: ${who}, ${what} on ${studioShort}`,
        heading: "A customer cancelled",
        intro: [`${who} cancelled their booking for ${what}. The time is free again.`],
        details: [
          ...studioDetails(),
          ...(present(ctx.reason) ? [{ label: "Reason", value: ctx.reason.trim(), multiline: true }] : [{ label: "Reason", value: "none given" }]),
        ],
        action: { label: "Open the booking", url: adminUrl(ctx) },
        outro: [],
      });
  }
}

type ContactLine = { text: string; href?: string };

/** The studio's name, address, phone, email and map link: every way a customer can reach it. */
function contactLines(ctx: NotificationContext): ContactLine[] {
  const c = ctx.studioContact ?? {};
  const lines: ContactLine[] = [{ text: ctx.studioName }];
  for (const line of (c.address ?? "").split(/\r?\n/)) if (line.trim()) lines.push({ text: line.trim() });
  if (present(c.phone)) lines.push({ text: c.phone.trim(), href: `tel:${c.phone.replace(/[^\d+]/g, "")}` });
  if (present(c.email)) lines.push({ text: c.email.trim(), href: `mailto:${c.email.trim()}` });
  if (present(c.mapUrl) && safeHref(c.mapUrl)) lines.push({ text: "Map", href: c.mapUrl.trim() });
  return lines.length > 1 ? lines : [];
}

function renderText(m: Message, contact: ContactLine[]): string {
  const blocks: string[] = [];
  if (m.greeting) blocks.push(m.greeting);
  blocks.push(...m.intro);
  blocks.push(
    m.details
      .map((d) => {
        const value = d.value.replace(/\r\n?/g, "\n");
        if (d.multiline && value.includes("\n")) return `${d.label}:\n${value.replace(/^/gm, "  ")}`;
        return `${d.label}: ${value}`;
      })
      .join("\n"),
  );
  if (m.action) blocks.push(`${m.action.label}: ${m.action.url}`);
  blocks.push(...m.outro);
  if (m.signOff.length > 0) blocks.push(m.signOff.join("\n"));
  if (contact.length > 0) blocks.push(["--", ...contact.map((l) => (l.text === "Map" && l.href ? `Map: ${l.href}` : l.text))].join("\n"));
  return blocks.join("\n\n") + "\n";
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const MUTED = "#5f6368";

// A long link must break anywhere on a phone rather than push the mail wider than the screen.
const WRAP = "word-break:break-all;overflow-wrap:anywhere";

function renderHtml(m: Message, contact: ContactLine[]): string {
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const rows = m.details
    .map((d) => {
      let value = escapeHtml(d.value.replace(/\r\n?/g, "\n"));
      if (d.multiline) value = value.replace(/\n/g, "<br>");
      const href = d.href ? safeHref(d.href) : null;
      if (href) value = `<a href="${escapeHtml(href)}" style="color:#1a1a1a">${value}</a>`;
      if (d.struck) value = `<s style="color:${MUTED}">${value}</s>`;
      return (
        `<tr><td style="padding:4px 16px 4px 0;color:${MUTED};vertical-align:top;white-space:nowrap">${escapeHtml(d.label)}</td>` +
        `<td style="padding:4px 0;vertical-align:top">${value}</td></tr>`
      );
    })
    .join("");
  const href = m.action ? safeHref(m.action.url) : null;
  const action = !m.action
    ? ""
    : href
      ? `<p style="margin:24px 0 8px"><a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 18px;background:#1a1a1a;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(m.action.label)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;color:${MUTED};${WRAP}">Or open this link: <a href="${escapeHtml(href)}" style="color:${MUTED};${WRAP}">${escapeHtml(href)}</a></p>`
      : `<p style="margin:0 0 16px;${WRAP}">${escapeHtml(`${m.action.label}: ${m.action.url}`)}</p>`;
  const signOff = m.signOff.length ? `<p style="margin:24px 0 0;color:${MUTED}">${m.signOff.map(escapeHtml).join("<br>")}</p>` : "";
  const footer = contact.length
    ? `<p style="margin:32px 0 0;padding-top:16px;border-top:1px solid #dddad4;font-size:13px;color:${MUTED}">` +
      contact
        .map((l) => {
          const link = l.href ? safeHref(l.href) : null;
          return link ? `<a href="${escapeHtml(link)}" style="color:${MUTED}">${escapeHtml(l.text)}</a>` : escapeHtml(l.text);
        })
        .join("<br>") +
      `</p>`
    : "";

  return [
    `<!doctype html>`,
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(m.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#f5f4f1">`,
    `<div style="max-width:560px;margin:0 auto;padding:32px 24px;${FONT};font-size:15px;line-height:1.5;color:#1a1a1a">`,
    `<h1 style="margin:0 0 20px;font-size:20px;font-weight:600">${escapeHtml(m.heading)}</h1>`,
    m.greeting ? p(m.greeting) : "",
    ...m.intro.map(p),
    `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;font-size:15px">${rows}</table>`,
    action,
    ...m.outro.map(p),
    signOff,
    footer,
    `</div>`,
    `</body></html>`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** Subject, plain-text and HTML bodies for one notification. */
export function renderNotification(kind: NotificationKind, ctx: NotificationContext): RenderedNotification {
  const message = compose(kind, ctx);
  message.subject = oneLine(message.subject);
  const contact = message.toCustomer ? contactLines(ctx) : [];
  return { subject: message.subject, text: renderText(message, contact), html: renderHtml(message, contact) };
}
