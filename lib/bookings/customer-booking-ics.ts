import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings } from "@/db/schema";
import { buildBookingIcs } from "@/lib/notifications/booking-ics";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { getCustomerBooking } from "./get-customer-booking";

const ICS_STATUS = { pending: "TENTATIVE", confirmed: "CONFIRMED", completed: "CONFIRMED", cancelled: "CANCELLED", rejected: "CANCELLED" } as const;

/**
 * The "Add to calendar" file of the confirmation and manage pages: the same event (same UID, so a
 * calendar app updates rather than duplicates it) that the confirmation email attaches. The signed
 * token is checked exactly as for the manage page.
 */
export async function customerBookingIcs(db: Executor, bookingId: string, token: string | null | undefined) {
  const booking = await getCustomerBooking(db, bookingId, token);
  const [row] = await db.select({ caldavUid: bookings.caldavUid, version: bookings.version }).from(bookings).where(eq(bookings.id, bookingId));
  const studio = await getPublicStudioInfo(db);
  const serviceName = booking.service?.name ?? "Appointment";
  const artistName = booking.artist?.name ?? studio.name;
  const status = ICS_STATUS[booking.status as keyof typeof ICS_STATUS] ?? "TENTATIVE";
  const ics = buildBookingIcs({
    uid: row?.caldavUid ?? `${booking.id}@holdfast`,
    sequence: row?.version ?? 0,
    summary: `${status === "TENTATIVE" ? "Requested: " : ""}${serviceName} — ${studio.name}`,
    description: `${serviceName} with ${artistName}.${status === "TENTATIVE" ? "\nWaiting for the studio to confirm." : ""}\nManage your booking: ${booking.manageUrl ?? ""}`,
    start: new Date(booking.start),
    end: new Date(booking.end),
    timezone: booking.timezone ?? studio.timezone,
    status,
    url: booking.manageUrl,
    bookingId: booking.id,
    method: "PUBLISH",
    dtstamp: new Date(),
  });
  const slug = `${serviceName}-${booking.start.slice(0, 10)}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return { ics, filename: `${slug || "booking"}.ics` };
}
