import { rescheduleBookingAsCustomer } from "@/lib/bookings/customer-booking-commands";
import { CUSTOMER_BOOKING_NOT_FOUND, customerBookingParamsSchema } from "@/lib/bookings/customer-booking-params";
import { getCustomerBooking } from "@/lib/bookings/get-customer-booking";
import { customerBookingResponseSchema } from "@/lib/bookings/response-schemas";
import { customerRescheduleSchema } from "@/lib/bookings/schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/bookings/[id]/reschedule",
    auth: "public",
    tags: ["booking"],
    summary: "The customer moves their booking to another offered start",
    description:
      "The old time is released only if the new one is won: 409 `slot_taken` (with `alternatives`), 422 `not_bookable` for a start not offered; 429 past the per-IP limit.",
    params: customerBookingParamsSchema,
    notFound: CUSTOMER_BOOKING_NOT_FOUND,
    body: customerRescheduleSchema,
    responses: { 200: customerBookingResponseSchema },
    errors: [409, 422, 429],
  },
  async ({ db, params, body, client }) => {
    await rescheduleBookingAsCustomer(db, { bookingId: params.id, token: body.token, start: body.start, client });
    return Response.json({ booking: await getCustomerBooking(db, params.id, body.token) });
  },
);
