import { and, desc, notInArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings } from "@/db/schema";
import { signManageToken } from "@/lib/auth/booking-token";
import { selectBookingsWithArtistAndService } from "./select-booking-with-artist-and-service";
import { serializeBooking } from "./serialize-booking";

/**
 * Every booking a signed-in customer made with this email (matched case-insensitively), newest
 * first, each with the path of its private manage page. Holds and expired holds are not bookings
 * the customer made, so they are left out.
 */
export async function listCustomerBookings(db: Executor, email: string) {
  const rows = await selectBookingsWithArtistAndService(db)
    .where(and(sql`lower(${bookings.customerEmail}) = lower(${email.trim()})`, notInArray(bookings.status, ["hold", "expired"])))
    .orderBy(desc(bookings.startsAt))
    .limit(200);
  return rows.map((row) => ({
    ...serializeBooking(row.booking, { timezone: row.artist.timezone, artist: row.artist, service: row.service }),
    managePath: `/bookings/${row.booking.id}?token=${signManageToken(row.booking)}`,
  }));
}

export type CustomerBookingListItem = Awaited<ReturnType<typeof listCustomerBookings>>[number];
