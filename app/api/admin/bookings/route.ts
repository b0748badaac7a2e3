import { adminBookingListResponseSchema } from "@/lib/admin/response-schemas";
import { listAdminBookings, listBookingsQuerySchema } from "@/lib/admin/list-bookings";
import { defineRoute } from "@/lib/http/define-route";

// POST (book for a customer, with repeat) is defined beside this file, in its own module.
export { POST } from "./create-booking-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/bookings",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "The bookings table: filtered, searched, one page at a time",
    description:
      "`status` is a comma-separated list, `active` or `all`; `from`/`to` are dates (in the artist's zone, else the studio's) or instants; `q` searches name and email.",
    query: listBookingsQuerySchema,
    responses: { 200: adminBookingListResponseSchema },
  },
  // listAdminBookings takes the raw filters (the admin page passes its search params too) and
  // parses them itself; the definition has already refused bad ones with a 400.
  async ({ db, req }) => Response.json(await listAdminBookings(db, Object.fromEntries(new URL(req.url).searchParams))),
);
