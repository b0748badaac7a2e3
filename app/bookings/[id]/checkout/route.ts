import { appUrl } from "@/lib/app-url";
import { withPublic } from "@/lib/http/route-handlers";
import { checkoutRedirectTarget } from "@/lib/payments/checkout-redirect";

export const dynamic = "force-dynamic";

/** "Continue to payment": 303 to the booking's open checkout, or to its page (paid, expired, or a wrong link). */
export const GET = withPublic<{ id: string }>(async ({ req, db, params }) => {
  const target = await checkoutRedirectTarget(db, params.id, new URL(req.url).searchParams.get("token"), appUrl());
  return new Response(null, { status: 303, headers: { location: target, "cache-control": "private, no-store", "referrer-policy": "no-referrer" } });
});
