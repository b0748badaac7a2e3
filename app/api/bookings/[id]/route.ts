import { getCustomerBooking } from "@/lib/bookings/get-customer-booking";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { withPublic } from "@/lib/http/route-handlers";
import { HoldfastError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = withPublic<{ id: string }>(async ({ req, db, params }) => {
  if (!bookingIdSchema.safeParse(params.id).success) throw new HoldfastError("not_found", "That booking was not found (check the link in your email)");
  const token = new URL(req.url).searchParams.get("token");
  return Response.json({ booking: await getCustomerBooking(db, params.id, token) });
});
