import type { Executor } from "@/db/client";
import { assertCustomerToken } from "@/lib/bookings/get-customer-booking";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { HoldfastError } from "@/lib/errors";
import { openCheckoutUrl } from "./customer-payment";

/**
 * Where "continue to payment" leads (GET /bookings/:id/checkout, behind the booking's signed
 * link): its open Stripe Checkout while it waits for the payment, otherwise its own page (paid,
 * expired or cancelled meanwhile, where the customer reads which). The checkout address comes
 * from the database, never from the browser; that is why the embed sends the studio's window
 * here, to Holdfast's own origin, and public/embed.js follows nothing but Holdfast.
 */
export async function checkoutRedirectTarget(db: Executor, bookingId: string, token: string | null | undefined, appUrl: string): Promise<string> {
  const bookingPage = `${appUrl}/bookings/${encodeURIComponent(bookingId)}?token=${encodeURIComponent(token ?? "")}`;
  // A wrong or expired link goes to the booking's page too, which says "not found" in words (the
  // same check, the same answer), rather than a JSON error in the customer's window.
  if (!bookingIdSchema.safeParse(bookingId).success) return bookingPage;
  let booking: { id: string; status: string };
  try {
    booking = await assertCustomerToken(db, bookingId, token);
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") return bookingPage;
    throw err;
  }
  return (await openCheckoutUrl(db, booking)) ?? bookingPage;
}

/** The path of that redirect for a booking's token (the booking flow hands it to the embed). */
export function checkoutRedirectPath(bookingId: string, token: string) {
  return `/bookings/${bookingId}/checkout?token=${encodeURIComponent(token)}`;
}
