import { z } from "@/lib/zod";
import { getAdminBookingDetail } from "@/lib/admin/booking-detail";
import { bookingDetailResponseSchema } from "@/lib/admin/response-schemas";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  {
    method: "GET",
    path: "/api/admin/bookings/[id]",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "A booking with its status history, audit trail, notifications, jobs and calendar state",
    params: z.object({ id: bookingIdSchema }),
    notFound: "That booking was not found",
    responses: { 200: bookingDetailResponseSchema },
  },
  async ({ db, params }) => Response.json(await getAdminBookingDetail(db, params.id)),
);
