import { getSessionUserFromRequest } from "@/lib/auth/session";
import { serveImageVariant } from "@/lib/media/serve-image";
import { withPublic } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/** An image variant (`/media/<id>/640.webp`): artists' pictures for everyone, customers' reference images for admins or a signed link. */
export const GET = withPublic<{ id: string; variant: string }>(async ({ req, db, params }) =>
  serveImageVariant(db, params.id, params.variant, {
    token: new URL(req.url).searchParams.get("token"),
    isAdmin: async () => (await getSessionUserFromRequest(req))?.role === "admin",
  }),
);
