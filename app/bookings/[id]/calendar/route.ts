import { customerBookingIcs } from "@/lib/bookings/customer-booking-ics";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { HoldfastError } from "@/lib/errors";
import { withPublic } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** "Add to calendar": the booking as an .ics download, behind the same signed token as the manage page. */
export const GET = withPublic<{ id: string }>(async ({ req, db, params }) => {
  if (!bookingIdSchema.safeParse(params.id).success) throw new HoldfastError("not_found", "That booking was not found (check the link in your email)");
  const { ics, filename } = await customerBookingIcs(db, params.id, new URL(req.url).searchParams.get("token"));
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
      "referrer-policy": "no-referrer",
    },
  });
});
