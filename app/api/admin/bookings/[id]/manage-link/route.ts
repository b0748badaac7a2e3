import { z } from "@/lib/zod";
import { manageLinkResponseSchema } from "@/lib/admin/response-schemas";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { rotateManageLink } from "@/lib/bookings/rotate-manage-link";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/bookings/[id]/manage-link",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "A new customer link for the booking; every earlier one stops working",
    params: z.object({ id: bookingIdSchema }),
    notFound: "That booking was not found",
    responses: { 200: manageLinkResponseSchema },
  },
  async ({ db, params, actor }) => Response.json(await rotateManageLink(db, params.id, actor)),
);
