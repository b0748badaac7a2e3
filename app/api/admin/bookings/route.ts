import { listAdminBookings, listBookingsQuerySchema } from "@/lib/admin/list-bookings";
import { parseQuery } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** GET /api/admin/bookings?status&artist&from&to&q&page&pageSize&sort → {bookings, total, page, pageSize, pageCount} */
export const GET = withAdmin(async ({ req, db }) => {
  const url = new URL(req.url);
  parseQuery(url, listBookingsQuerySchema);
  return Response.json(await listAdminBookings(db, Object.fromEntries(url.searchParams)));
});
