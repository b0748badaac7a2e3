import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artists, notifications, services, studioSettings, type Booking } from "@/db/schema";
import { manageUrl } from "@/lib/auth/booking-token";
import { queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { buildCustomerBookingEvent } from "@/lib/ical/build-booking-event";
import { renderNotification, type NotificationKind } from "./templates";
import { appUrl } from "@/lib/app-url";
import { getEnv } from "@/lib/env";

type Extra = { reason?: string | null; cancelledBy?: "customer" | "studio"; previousStartsAt?: Date; previousEndsAt?: Date };

/**
 * Renders and queues the messages a booking transition owes people, inside the caller's
 * transaction: the rows and their delivery jobs exist exactly when the transition commits.
 */
export async function enqueueBookingNotifications(tx: Executor, booking: Booking, kinds: NotificationKind[], extra: Extra = {}) {
  if (kinds.length === 0) return [];
  const [context] = await tx
    .select({ artist: artists, service: services, studio: studioSettings })
    .from(artists)
    .innerJoin(services, eq(services.id, booking.serviceId))
    .leftJoin(studioSettings, eq(studioSettings.id, 1))
    .where(eq(artists.id, booking.artistId));
  if (!context) throw new Error(`booking ${booking.id} refers to a missing artist or service`);

  const studioName = context.studio?.name ?? "Holdfast studio";
  const studioEmail = context.studio?.email ?? getEnv().ADMIN_EMAIL ?? "studio@holdfast.local";
  const base = appUrl();
  const ctx = {
    studioName,
    appUrl: base,
    bookingId: booking.id,
    artistName: context.artist.name,
    serviceName: context.service.name,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    timezone: context.artist.timezone,
    customerTimezone: booking.customerTimezone,
    customerName: booking.customerName ?? "",
    customerEmail: booking.customerEmail ?? "",
    customerPhone: booking.customerPhone,
    notes: booking.notes,
    manageUrl: manageUrl(base, booking),
    ...extra,
  };

  const rows = kinds.map((kind) => {
    const message = renderNotification(kind, ctx);
    const toStudio = kind === "studio_new_request";
    const ics =
      kind === "booking_confirmed" || kind === "booking_rescheduled"
        ? buildCustomerBookingEvent({
            booking,
            serviceName: context.service.name,
            artistName: context.artist.name,
            studioName,
            timezone: context.artist.timezone,
            manageUrl: ctx.manageUrl,
          })
        : null;
    return {
      bookingId: booking.id,
      kind,
      recipient: toStudio ? studioEmail : (booking.customerEmail ?? ""),
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html,
      icsAttachment: ics,
    };
  });

  const inserted = await tx
    .insert(notifications)
    .values(rows.filter((r) => r.recipient))
    .returning();
  await queueNotificationDelivery(
    tx,
    inserted.map((row) => row.id),
  );
  return inserted;
}
