import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getCustomerBooking } from "@/lib/bookings/get-customer-booking";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { HoldfastError } from "@/lib/errors";

/**
 * The booking behind a signed link, for the confirmation and manage pages. A malformed id, a
 * wrong token and a missing booking all end on the same 404 page: a guessed link learns nothing.
 */
export const loadCustomerBookingOr404 = cache(async (id: string, token: string | null) => {
  if (!bookingIdSchema.safeParse(id).success || !token) notFound();
  try {
    return await getCustomerBooking(getDb(), id, token);
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") notFound();
    throw err;
  }
});

export function tokenParam(search: { token?: string | string[] }) {
  return typeof search.token === "string" ? search.token : null;
}

export const privatePageMetadata = { robots: { index: false, follow: false }, referrer: "no-referrer" as const };
