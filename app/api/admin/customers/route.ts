import { customerSearchResponseSchema, searchCustomersQuerySchema } from "@/lib/bookings/book-for-customer-schema";
import { searchCustomers } from "@/lib/bookings/search-customers";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/customers",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "Earlier customers by name, email or phone, most recent first",
    description: "Customers are taken from the bookings (one per email, else per phone) with the latest details they gave.",
    query: searchCustomersQuerySchema,
    responses: { 200: customerSearchResponseSchema },
  },
  async ({ db, query }) => Response.json({ customers: await searchCustomers(db, query.q) }),
);
