import { z } from "@/lib/zod";
import { defineRoute } from "@/lib/http/define-route";
import { changeBookingRoom } from "@/lib/resources/resource-commands";
import { bookingRoomResponseSchema } from "@/lib/resources/response-schemas";
import { changeBookingRoomSchema } from "@/lib/resources/schemas";

export const dynamic = "force-dynamic";

export const PUT = defineRoute(
  {
    method: "PUT",
    path: "/api/admin/resources/bookings/[id]",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "Move a booking into another room or station of a kind its service needs",
    description:
      "Version checked (409 stale_version) and guarded by the resource's exclusion constraint: a room taken at the booking's time or in its cleanup is 409 no_room_free, and the booking keeps its room.",
    params: z.object({ id: z.uuid() }),
    notFound: "That booking was not found",
    body: changeBookingRoomSchema,
    responses: { 200: bookingRoomResponseSchema },
    errors: [409],
  },
  async ({ db, params, body, actor }) => Response.json(await changeBookingRoom(db, params.id, { ...body, actor })),
);
