import { z } from "zod";
import { notFound } from "@/lib/errors";
import { withAdmin } from "@/lib/http/route-handlers";
import { retryNotification } from "@/lib/jobs/retry-jobs";

export const dynamic = "force-dynamic";

/** POST → sends a not-yet-sent notification again (its job rescheduled, or re-added). */
export const POST = withAdmin<{ id: string }>(async ({ db, params }) => {
  if (!z.uuid().safeParse(params.id).success) throw notFound("That notification");
  const outcome = await retryNotification(db, params.id);
  if (outcome === "missing") throw notFound("That notification");
  return Response.json({ outcome });
});
