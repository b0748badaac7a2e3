import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings } from "@/db/schema";
import { buildCustomerBookingEvent } from "@/lib/ical/build-booking-event";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { getCustomerBooking } from "./get-customer-booking";

/**
 * The "Add to calendar" file of the confirmation and manage pages: the same event (same builder,
 * same UID, so a calendar app updates rather than duplicates it) that the confirmation email
 * attaches. The signed token is checked exactly as for the manage page.
 */
export async function customerBookingIcs(db: Executor, bookingId: string, token: string | null | undefined) {
  const booking = await getCustomerBooking(db, bookingId, token);
  const [row] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!row) throw new Error(`booking ${bookingId} vanished while its calendar file was built`);
  const studio = await getPublicStudioInfo(db);
  const serviceName = booking.service?.name ?? "Appointment";
  const ics = buildCustomerBookingEvent({
    booking: row,
    serviceName,
    artistName: booking.artist?.name ?? studio.name,
    studioName: studio.name,
    timezone: booking.timezone ?? studio.timezone,
    manageUrl: booking.manageUrl ?? "",
  });
  const slug = `${serviceName}-${booking.start.slice(0, 10)}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return { ics, filename: `${slug || "booking"}.ics` };
}
