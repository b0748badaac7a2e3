import { bookingIdSchema } from "@/lib/bookings/schemas";
import { rotateManageLink } from "@/lib/bookings/rotate-manage-link";
import { notFound } from "@/lib/errors";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** POST /api/admin/bookings/:id/manage-link → `{manageUrl}`: a new customer link; every earlier one stops working. */
export const POST = withAdmin<{ id: string }>(async ({ db, params, actor }) => {
  if (!bookingIdSchema.safeParse(params.id).success) throw notFound("That booking");
  return Response.json(await rotateManageLink(db, params.id, actor));
});
