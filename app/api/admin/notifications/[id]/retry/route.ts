import { z } from "@/lib/zod";
import { retryNotificationResponseSchema } from "@/lib/admin/response-schemas";
import { notFound } from "@/lib/errors";
import { defineRoute } from "@/lib/http/define-route";
import { retryNotification } from "@/lib/jobs/retry-jobs";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  {
    method: "POST",
    path: "/api/admin/notifications/[id]/retry",
    auth: "admin",
    tags: ["admin: outbox"],
    summary: "Send a not-yet-sent notification again (its job rescheduled, or re-added)",
    params: z.object({ id: z.uuid() }),
    notFound: "That notification was not found",
    responses: { 200: retryNotificationResponseSchema },
  },
  async ({ db, params }) => {
    const outcome = await retryNotification(db, params.id);
    if (outcome === "missing") throw notFound("That notification");
    return Response.json({ outcome });
  },
);
