import { cancelBookingAsCustomer } from "@/lib/bookings/customer-booking-commands";
import { CUSTOMER_BOOKING_NOT_FOUND, customerBookingParamsSchema } from "@/lib/bookings/customer-booking-params";
import { getCustomerBooking } from "@/lib/bookings/get-customer-booking";
import { customerBookingResponseSchema } from "@/lib/bookings/response-schemas";
import { customerCancelSchema } from "@/lib/bookings/schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/bookings/[id]/cancel",
    auth: "public",
    tags: ["booking"],
    summary: "The customer cancels their booking",
    description:
      "409 `cancellation_window_passed` inside the studio's notice period, 409 `invalid_transition` when it is already over; 429 past the per-IP limit.",
    params: customerBookingParamsSchema,
    notFound: CUSTOMER_BOOKING_NOT_FOUND,
    body: customerCancelSchema,
    responses: { 200: customerBookingResponseSchema },
    errors: [409, 429],
  },
  async ({ db, params, body, client }) => {
    await cancelBookingAsCustomer(db, { bookingId: params.id, token: body.token, reason: body.reason, client });
    return Response.json({ booking: await getCustomerBooking(db, params.id, body.token) });
  },
);
