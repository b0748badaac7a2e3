import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookingEvents, bookings } from "@/db/schema";
import { manageUrl, verifyManageToken } from "@/lib/auth/booking-token";
import { HoldfastError } from "@/lib/errors";
import { selectBookingsWithArtistAndService } from "./select-booking-with-artist-and-service";
import { serializeBooking } from "./serialize-booking";
import { appUrl } from "@/lib/app-url";
import { bookingResourceRefs } from "@/lib/resources/resource-queries";

/** Word for word the same for a missing booking and a wrong token, so a guess learns nothing. */
export const NOT_FOUND_MESSAGE = "That booking was not found (check the link in your email)";

/**
 * Verifies the signed link against the booking's current secret and the link's expiry; a wrong,
 * expired or revoked token answers exactly like a missing booking.
 */
export async function assertCustomerToken(db: Executor, bookingId: string, token: string | null | undefined, now: Date = new Date()) {
  const [row] = await db
    .select({ id: bookings.id, endsAt: bookings.endsAt, manageSecret: bookings.manageSecret, status: bookings.status })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  if (!row || !verifyManageToken(row, token, now)) throw new HoldfastError("not_found", NOT_FOUND_MESSAGE);
  return { id: row.id, status: row.status };
}

/** The booking as its customer sees it, with artist, service and the history of its status. */
export async function getCustomerBooking(db: Executor, bookingId: string, token: string | null | undefined) {
  await assertCustomerToken(db, bookingId, token);
  const [row] = await selectBookingsWithArtistAndService(db).where(eq(bookings.id, bookingId));
  if (!row || row.booking.status === "hold" || row.booking.status === "expired") {
    throw new HoldfastError("not_found", NOT_FOUND_MESSAGE);
  }
  const events = await db
    .select({
      at: bookingEvents.occurredAt,
      from: bookingEvents.oldStatus,
      to: bookingEvents.newStatus,
      actorKind: bookingEvents.actorKind,
      reason: bookingEvents.reason,
      oldRow: bookingEvents.oldRow,
      newRow: bookingEvents.newRow,
    })
    .from(bookingEvents)
    .where(eq(bookingEvents.bookingId, bookingId))
    .orderBy(asc(bookingEvents.id));
  const history = events
    .filter((e) => e.from !== e.to || (e.oldRow as { starts_at?: string } | null)?.starts_at !== (e.newRow as { starts_at?: string } | null)?.starts_at)
    .filter((e) => e.to !== "hold")
    .map((e) => ({
      at: e.at.toISOString(),
      status: e.to,
      by: e.actorKind === "customer" ? "you" : "the studio",
      reason: e.actorKind === "customer" ? null : e.reason,
      rescheduledFrom: e.from === e.to ? ((e.oldRow as { starts_at?: string } | null)?.starts_at ?? null) : null,
    }));
  return {
    ...serializeBooking(row.booking, { timezone: row.artist.timezone, artist: row.artist, service: row.service, manageUrl: manageUrl(appUrl(), row.booking) }),
    history,
    /** The room or station the customer goes to (issue 13); empty when the service needs none. */
    resources: await bookingResourceRefs(db, bookingId),
  };
}

export type CustomerBookingView = Awaited<ReturnType<typeof getCustomerBooking>>;
