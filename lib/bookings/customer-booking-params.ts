import { z } from "@/lib/zod";
import { NOT_FOUND_MESSAGE } from "./get-customer-booking";
import { bookingIdSchema } from "./schemas";

/** The `:id` of the customer's booking routes; a malformed one reads like a missing booking. */
export const customerBookingParamsSchema = z.object({ id: bookingIdSchema });

export const CUSTOMER_BOOKING_NOT_FOUND = NOT_FOUND_MESSAGE;
