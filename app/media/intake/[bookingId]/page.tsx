import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { BookingIntakePanel } from "@/components/admin/booking-intake-panel";
import { HoldfastError } from "@/lib/errors";
import { loadIntakeSheet } from "@/lib/intake/booking-intake";
import { formatTimeRangeInZone } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";
// A signed link: never indexed, and the token must not travel onward in a Referer.
export const metadata: Metadata = { title: "Request details", robots: { index: false, follow: false }, referrer: "no-referrer" };

/** The artist's view of a request's intake answers and reference images, from the signed link in their calendar event (no sign-in). */
export default async function IntakeSheetPage({
  params,
  searchParams,
}: {
  params: Promise<{ bookingId: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { bookingId } = await params;
  const { token } = await searchParams;
  let sheet;
  try {
    sheet = await loadIntakeSheet(getDb(), bookingId, typeof token === "string" ? token : null);
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") notFound();
    throw err;
  }
  const { booking, artist, service } = sheet;
  return (
    <main id="main">
      <h1>
        {service.name} <span className="with">for {booking.customerName ?? "a customer"}</span>
      </h1>
      <p className="lede">
        {formatTimeRangeInZone(booking.startsAt, booking.endsAt, artist.timezone)} · with {artist.name}
      </p>
      <BookingIntakePanel answers={sheet.answers} consentGivenAt={sheet.consentGivenAt} images={sheet.images} timezone={artist.timezone} />
      {booking.notes ? (
        <section className="panel">
          <h2>Notes</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{booking.notes}</p>
        </section>
      ) : null}
    </main>
  );
}
