import { appUrl } from "@/lib/app-url";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { NOT_FOUND_MESSAGE } from "@/lib/bookings/get-customer-booking";
import { HoldfastError } from "@/lib/errors";
import { withPublic } from "@/lib/http/route-handlers";
import { checkoutRedirectTarget } from "@/lib/payments/checkout-redirect";

export const dynamic = "force-dynamic";

/** "Continue to payment": 303 to the booking's open checkout, or to its page when there is nothing to pay. */
export const GET = withPublic<{ id: string }>(async ({ req, db, params }) => {
  if (!bookingIdSchema.safeParse(params.id).success) throw new HoldfastError("not_found", NOT_FOUND_MESSAGE);
  const target = await checkoutRedirectTarget(db, params.id, new URL(req.url).searchParams.get("token"), appUrl());
  return new Response(null, { status: 303, headers: { location: target, "cache-control": "private, no-store", "referrer-policy": "no-referrer" } });
});
