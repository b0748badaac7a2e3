import { z } from "@/lib/zod";
import { bookingIdSchema } from "@/lib/bookings/schemas";
import { defineRoute } from "@/lib/http/define-route";
import { applyPaymentAction } from "@/lib/payments/payment-commands";
import { paymentActionResponseSchema } from "@/lib/payments/response-schemas";
import { paymentActionSchema } from "@/lib/payments/schemas";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/bookings/[id]/payment",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "Act on a booking's deposit: mark a manual deposit paid, refund (all or part), or mark a no-show (the deposit is kept)",
    description:
      "Send the `version` you saw. `refund` takes `amountCents` (default: all still held); a Stripe refund is queued and retried with an idempotency key. 409 `stale_version` when someone changed the booking first, 409 `invalid_transition` when the deposit's state does not allow the action, 400 for an amount above what is held.",
    params: z.object({ id: bookingIdSchema }),
    notFound: "That booking was not found",
    body: paymentActionSchema,
    responses: { 200: paymentActionResponseSchema },
    errors: [409],
  },
  async ({ db, params, body, actor }) => {
    const { booking, payment } = await applyPaymentAction(db, { ...body, bookingId: params.id, actor });
    return Response.json({ payment, version: booking.version });
  },
);
