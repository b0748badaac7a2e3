import { bookForCustomer } from "@/lib/bookings/book-for-customer";
import { bookForCustomerResponseSchema, bookForCustomerSchema, serializeBookForCustomer } from "@/lib/bookings/book-for-customer-schema";
import { defineRoute } from "@/lib/http/define-route";

// POST /api/admin/bookings. Lives beside route.ts (which re-exports it) so the studio's booking
// command has its own module; the definition's path is route.ts's folder.
export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/bookings",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "Book on behalf of a customer (phone, walk-in), optionally as a weekly series",
    description:
      'Confirmed at once, the admin recorded as the actor and `reason` (default "phone booking") in the audit trail. `override` allows times outside the public rules (short notice, outside the window or hours) but never an overlap. Without `repeat`: 201 `{booking}`, 409 `slot_taken` with `alternatives` when the time is taken, 422 when it is not offered. With `repeat` every free occurrence is booked (same wall-clock time each week) and the taken ones come back in `conflicts` with up to 3 alternatives; 409 only when none is free. `notify: false` sends the customer nothing.',
    body: bookForCustomerSchema,
    responses: { 201: bookForCustomerResponseSchema },
    errors: [404, 409, 422],
  },
  async ({ db, body, actor }) => {
    const result = await bookForCustomer(db, { ...body, actor });
    return Response.json(serializeBookForCustomer(result, Boolean(body.repeat)), { status: 201 });
  },
);
