import { getAdminBookingDetail } from "@/lib/admin/booking-detail";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** GET → the booking with its status history, audit trail, notifications, jobs and calendar state. */
export const GET = withAdmin<{ id: string }>(async ({ db, params }) => Response.json(await getAdminBookingDetail(db, params.id)));
