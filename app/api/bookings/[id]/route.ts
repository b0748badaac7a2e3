import { z } from "@/lib/zod";
import { CUSTOMER_BOOKING_NOT_FOUND, customerBookingParamsSchema } from "@/lib/bookings/customer-booking-params";
import { getCustomerBooking } from "@/lib/bookings/get-customer-booking";
import { customerBookingResponseSchema } from "@/lib/bookings/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/bookings/[id]",
    auth: "public",
    tags: ["booking"],
    summary: "The booking as its customer sees it, with its status history",
    description: "Needs the token of the signed link from the customer's email; a wrong, expired or revoked token is the same 404 as a missing booking.",
    params: customerBookingParamsSchema,
    notFound: CUSTOMER_BOOKING_NOT_FOUND,
    query: z.object({ token: z.string().optional().meta({ description: "The `token` of the manage link." }) }),
    responses: { 200: customerBookingResponseSchema },
  },
  async ({ db, params, query }) => Response.json({ booking: await getCustomerBooking(db, params.id, query.token) }),
);
