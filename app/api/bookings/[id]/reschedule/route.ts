import { rescheduleBookingAsCustomer } from "@/lib/bookings/customer-booking-commands";
import { getCustomerBooking } from "@/lib/bookings/get-customer-booking";
import { bookingIdSchema, customerRescheduleSchema } from "@/lib/bookings/schemas";
import { readJson } from "@/lib/http/read-json";
import { withPublic } from "@/lib/http/route-handlers";
import { HoldfastError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const POST = withPublic<{ id: string }>(async ({ req, db, params, client }) => {
  if (!bookingIdSchema.safeParse(params.id).success) throw new HoldfastError("not_found", "That booking was not found (check the link in your email)");
  const body = await readJson(req, customerRescheduleSchema);
  await rescheduleBookingAsCustomer(db, { bookingId: params.id, token: body.token, start: body.start, client });
  return Response.json({ booking: await getCustomerBooking(db, params.id, body.token) });
});
