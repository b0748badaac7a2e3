import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artists, notifications, services, type Artist, type Booking, type BookingStatus, type Service } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { manageUrl } from "@/lib/auth/booking-token";
import { buildCustomerBookingEvent, type CustomerEventMethod } from "@/lib/ical/build-booking-event";
import { queueNotificationDelivery, withdrawNotificationDeliveries } from "@/lib/jobs/queue-notification-delivery";
import { bookingPagePath } from "@/lib/studio/booking-page-path";
import { getStudioSettings, type EffectiveStudioSettings } from "@/lib/studio/studio-settings";
import { storedIntakeAnswers } from "@/lib/intake/answers";
import { countReferenceImages } from "@/lib/media/reference-images";
import { intakePageUrl } from "@/lib/media/signed-links";
import { planReminders } from "./plan-reminders";
import { isStudioNotification, renderNotification, type NotificationContext, type NotificationKind } from "./templates";

export type BookingNotificationExtra = {
  reason?: string | null;
  cancelledBy?: "customer" | "studio";
  previousStartsAt?: Date;
  previousEndsAt?: Date;
  /** The status before this change: a cancelled booking that was confirmed gets a METHOD:CANCEL. */
  previousStatus?: BookingStatus;
  /** When the change happens; reminders already due by then are skipped. */
  now?: Date;
  /** For deposit_refunded: what this refund gave back. */
  refundedCents?: number;
};

type MessageContext = {
  artist: Artist;
  service: Service;
  studio: EffectiveStudioSettings;
  base: string;
  render: NotificationContext;
};

async function loadMessageContext(tx: Executor, booking: Booking, extra: BookingNotificationExtra): Promise<MessageContext> {
  const [row] = await tx
    .select({ artist: artists, service: services })
    .from(artists)
    .innerJoin(services, eq(services.id, booking.serviceId))
    .where(eq(artists.id, booking.artistId));
  if (!row) throw new Error(`booking ${booking.id} refers to a missing artist or service`);
  const studio = await getStudioSettings(tx);
  const base = appUrl();
  const intake =
    booking.intakeAnswers == null
      ? null
      : { answers: storedIntakeAnswers(booking.intakeAnswers), referenceImages: await countReferenceImages(tx, booking.id), url: intakePageUrl(base, booking) };
  const { previousStatus: _previousStatus, now: _now, ...textExtra } = extra;
  return {
    ...row,
    studio,
    base,
    render: {
      studioName: studio.name,
      appUrl: base,
      bookingId: booking.id,
      artistName: row.artist.name,
      serviceName: row.service.name,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      timezone: row.artist.timezone,
      customerTimezone: booking.customerTimezone,
      customerName: booking.customerName ?? "",
      customerEmail: booking.customerEmail ?? "",
      customerPhone: booking.customerPhone,
      notes: booking.notes,
      manageUrl: manageUrl(base, booking),
      studioContact: { email: studio.email, phone: studio.phone, address: studio.address, mapUrl: studio.mapUrl },
      bookAgainUrl: `${base}${bookingPagePath(row.artist, row.service)}`,
      intake,
      deposit: notificationDeposit(booking, studio),
      ...textExtra,
    },
  };
}

/**
 * The deposit as the booking row has it after the change (the transition settles the payment
 * before it queues the mails, so a rejection's mail already sees the refund it queued).
 */
export function notificationDeposit(
  booking: Pick<Booking, "paymentState" | "depositCents" | "paidCents" | "refundedCents" | "currency" | "paymentProvider">,
  studio: Pick<EffectiveStudioSettings, "manualPaymentInstructions" | "customerCancelRefund" | "cancellationNoticeHours">,
): NotificationContext["deposit"] {
  if (booking.paymentState === "none" || booking.depositCents <= 0) return null;
  return {
    state: booking.paymentState,
    amountCents: booking.depositCents,
    paidCents: booking.paidCents,
    refundedCents: booking.refundedCents,
    currency: booking.currency ?? "EUR",
    provider: booking.paymentProvider === "stripe" ? "stripe" : booking.paymentProvider === "manual" ? "manual" : null,
    manualInstructions: studio.manualPaymentInstructions,
    keptBecause:
      studio.customerCancelRefund === "never"
        ? "the deposit is not refunded when you cancel or do not show up"
        : `cancelled less than ${studio.cancellationNoticeHours} hours before the start, or not shown up`,
  };
}

/**
 * Which calendar file a customer mail carries (RFC 5546 iTIP over iMIP): the invitation while the
 * booking is confirmed, its cancellation once a confirmed booking ends, none for a request the
 * studio has not accepted (nothing is in the customer's calendar yet).
 */
function customerEventMethod(kind: NotificationKind, booking: Booking, previousStatus: BookingStatus | undefined): CustomerEventMethod | null {
  switch (kind) {
    case "booking_confirmed":
    case "booking_reminder":
      return "REQUEST";
    case "booking_rescheduled":
      return booking.status === "confirmed" ? "REQUEST" : null;
    case "booking_cancelled":
    case "booking_rejected":
      return previousStatus === "confirmed" ? "CANCEL" : null;
    default:
      return null;
  }
}

function customerIcs(ctx: MessageContext, booking: Booking, method: CustomerEventMethod | null, now: Date | undefined): string | null {
  if (!method) return null;
  // An invitation comes from the studio's address; without one the customer still gets the event, as an import.
  if (!ctx.studio.email || !booking.customerEmail) {
    method = method === "CANCEL" ? null : "PUBLISH";
    if (!method) return null;
  }
  return buildCustomerBookingEvent(
    {
      booking,
      serviceName: ctx.service.name,
      artistName: ctx.artist.name,
      studioName: ctx.studio.name,
      studioContact: { email: ctx.studio.email, address: ctx.studio.address },
      timezone: ctx.artist.timezone,
      manageUrl: ctx.render.manageUrl,
      now,
    },
    method,
  );
}

/** The studio's inbox, and the artist's own when they have one and asked for these mails. */
function studioRecipients(ctx: MessageContext): string[] {
  const recipients = [ctx.studio.email];
  if (ctx.artist.email && ctx.artist.notifyByEmail) recipients.push(ctx.artist.email);
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = r.trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type NewNotification = typeof notifications.$inferInsert;

function messageRows(ctx: MessageContext, booking: Booking, kind: NotificationKind, extra: BookingNotificationExtra): NewNotification[] {
  const message = renderNotification(kind, ctx.render);
  const base = { bookingId: booking.id, kind, subject: message.subject, textBody: message.text, htmlBody: message.html };
  if (isStudioNotification(kind)) {
    return studioRecipients(ctx).map((recipient) => ({ ...base, recipient, replyTo: booking.customerEmail || null, icsAttachment: null }));
  }
  if (!booking.customerEmail) return [];
  return [
    {
      ...base,
      recipient: booking.customerEmail,
      replyTo: ctx.studio.email || null,
      icsAttachment: customerIcs(ctx, booking, customerEventMethod(kind, booking, extra.previousStatus), extra.now),
    },
  ];
}

/**
 * Renders and queues the messages a booking change owes people, inside the caller's transaction:
 * the rows and their delivery jobs exist exactly when the change commits. Customer mails go to the
 * customer with the studio as Reply-To; studio mails go to the studio (and the artist, if they
 * opted in) with the customer as Reply-To.
 */
export async function enqueueBookingNotifications(
  tx: Executor,
  booking: Booking,
  kinds: NotificationKind[],
  extra: BookingNotificationExtra = {},
  context: () => Promise<MessageContext> = () => loadMessageContext(tx, booking, extra),
) {
  if (kinds.length === 0) return [];
  const ctx = await context();
  const rows = kinds.flatMap((kind) => messageRows(ctx, booking, kind, extra));
  if (rows.length === 0) return [];
  const inserted = await tx.insert(notifications).values(rows).returning();
  await queueNotificationDelivery(
    tx,
    inserted.map((row) => row.id),
  );
  return inserted;
}

/**
 * Brings a booking's reminders in line with its current state, inside the transaction that
 * changed it: every reminder not yet sent is withdrawn (marked `cancelled`, its job removed),
 * and a confirmed booking gets one per lead time of its service that is still ahead, each a
 * `scheduled` notification whose delivery job runs at its time. So a reschedule moves them, a
 * cancellation or rejection cancels them, and a service without reminders sends none.
 */
export async function syncBookingReminders(
  tx: Executor,
  booking: Booking,
  now: Date = new Date(),
  context: () => Promise<MessageContext> = () => loadMessageContext(tx, booking, { now }),
) {
  const withdrawn = await tx
    .update(notifications)
    .set({ status: "cancelled", updatedAt: now })
    .where(
      and(
        eq(notifications.bookingId, booking.id),
        eq(notifications.kind, "booking_reminder"),
        inArray(notifications.status, ["scheduled", "queued", "failed"]),
      ),
    )
    .returning({ id: notifications.id });
  await withdrawNotificationDeliveries(
    tx,
    withdrawn.map((r) => r.id),
  );
  if (booking.status !== "confirmed" || !booking.customerEmail) return [];

  const ctx = await context();
  const plan = planReminders({ startsAt: booking.startsAt, leadMinutes: ctx.service.reminderLeadMinutes, now });
  const created = [];
  for (const reminder of plan) {
    const reminderCtx = { ...ctx, render: { ...ctx.render, reminderLeadMinutes: reminder.leadMinutes } };
    const [row] = messageRows(reminderCtx, booking, "booking_reminder", { now });
    const [inserted] = await tx
      .insert(notifications)
      .values({ ...row!, status: "scheduled", scheduledFor: reminder.sendAt })
      .returning();
    await queueNotificationDelivery(tx, inserted!.id, { runAt: reminder.sendAt });
    created.push(inserted!);
  }
  return created;
}

/**
 * Everything a booking change owes people, in the transaction of the change: its mails
 * (`enqueueBookingNotifications`) and, unless `reminders` is false, its reminders brought in line
 * (`syncBookingReminders`). The artist, service and studio settings both need are read once.
 */
export async function queueBookingMessages(
  tx: Executor,
  booking: Booking,
  kinds: NotificationKind[],
  extra: BookingNotificationExtra = {},
  opts: { reminders?: boolean } = {},
) {
  let loaded: Promise<MessageContext> | undefined;
  const context = () => (loaded ??= loadMessageContext(tx, booking, extra));
  await enqueueBookingNotifications(tx, booking, kinds, extra, context);
  if (opts.reminders !== false) await syncBookingReminders(tx, booking, extra.now ?? new Date(), context);
}
