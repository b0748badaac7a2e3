import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings, services, type BookingStatus } from "@/db/schema";
import { selectBookingsWithArtistAndService } from "@/lib/bookings/select-booking-with-artist-and-service";
import { HoldfastError } from "@/lib/errors";
import { listReferenceImages, withImageTokens } from "@/lib/media/reference-images";
import type { ShownImage } from "@/lib/media/media-urls";
import { intakeLinkExpiry, verifyLinkToken } from "@/lib/media/signed-links";
import { storedIntakeAnswers, type StoredIntakeAnswer } from "./answers";

/** What a request says beyond the contact details: the intake answers, the consent and the reference images. */
export type BookingIntake = {
  answers: StoredIntakeAnswer[];
  consentGivenAt: Date | null;
  images: ShownImage[];
};

/** For the admin's booking detail: the images open with the admin's session, so their URLs carry no token. */
export async function loadBookingIntake(db: Executor, booking: { id: string; intakeAnswers: unknown; consentGivenAt: Date | null }): Promise<BookingIntake> {
  return { answers: storedIntakeAnswers(booking.intakeAnswers), consentGivenAt: booking.consentGivenAt, images: await listReferenceImages(db, booking.id) };
}

export type IntakeSheet = BookingIntake & {
  booking: { id: string; status: BookingStatus; startsAt: Date; endsAt: Date; customerName: string | null; notes: string | null };
  artist: { name: string; timezone: string };
  service: { name: string };
};

/**
 * The page the artist's calendar event links to: the request's answers and images, opened by a
 * signed link without signing in (the artist may have no account), until 30 days after the
 * appointment. A wrong or expired link and a missing booking look the same.
 */
export async function loadIntakeSheet(db: Executor, bookingId: string, token: string | null, now: Date = new Date()): Promise<IntakeSheet> {
  const gone = new HoldfastError("not_found", "This link has expired or is not valid. Open the booking in Holdfast instead.");
  if (!verifyLinkToken("intake-page", bookingId, token, now)) throw gone;
  const [row] = await selectBookingsWithArtistAndService(db).where(eq(bookings.id, bookingId)).limit(1);
  if (!row) throw gone;
  const intake = await loadBookingIntake(db, row.booking);
  return {
    ...intake,
    images: withImageTokens(intake.images, intakeLinkExpiry(row.booking.endsAt)),
    booking: {
      id: row.booking.id,
      status: row.booking.status,
      startsAt: row.booking.startsAt,
      endsAt: row.booking.endsAt,
      customerName: row.booking.customerName,
      notes: row.booking.notes,
    },
    artist: { name: row.artist.name, timezone: row.artist.timezone },
    service: { name: row.service.name },
  };
}

/** The same by booking id (the admin's booking detail page), with the service's consent line as it reads now. */
export async function loadBookingIntakeById(db: Executor, bookingId: string): Promise<BookingIntake & { consentText: string }> {
  const [row] = await selectBookingsWithArtistAndService(db, {
    id: bookings.id,
    intakeAnswers: bookings.intakeAnswers,
    consentGivenAt: bookings.consentGivenAt,
  })
    .where(eq(bookings.id, bookingId))
    .limit(1);
  if (!row) return { answers: [], consentGivenAt: null, images: [], consentText: "" };
  const [service] = await db.select({ consentText: services.consentText }).from(services).where(eq(services.id, row.service.id));
  return { ...(await loadBookingIntake(db, row.booking)), consentText: service?.consentText ?? "" };
}
