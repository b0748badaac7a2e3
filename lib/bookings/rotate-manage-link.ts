import { and, eq, notInArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { bookings } from "@/db/schema";
import { manageUrl, newRotatedManageSecret } from "@/lib/auth/booking-token";
import { appUrl } from "@/lib/app-url";
import { notFound } from "@/lib/errors";
import { setAuditContext, type Actor } from "./audit-context";

/** The audit trail's reason for a rotation (the secret itself never reaches the trail). */
export const MANAGE_LINK_ROTATED_REASON = "Manage link rotated: earlier links no longer work";

/**
 * Revokes every manage link sent for a booking (e.g. a customer forwarded theirs by mistake) by
 * giving it a new secret, and answers the new link for the admin to pass on. It is bookkeeping,
 * not a change of the booking: the version stays, so no admin's open page turns stale, and nobody
 * is notified. Holds and expired holds have no customer link, so they are "not found".
 */
export async function rotateManageLink(db: Database, bookingId: string, actor: Actor): Promise<{ manageUrl: string }> {
  return db.transaction(async (tx) => {
    await setAuditContext(tx, actor, MANAGE_LINK_ROTATED_REASON);
    const [row] = await tx
      .update(bookings)
      .set({ manageSecret: newRotatedManageSecret() })
      .where(and(eq(bookings.id, bookingId), notInArray(bookings.status, ["hold", "expired"])))
      .returning({ id: bookings.id, endsAt: bookings.endsAt, manageSecret: bookings.manageSecret });
    if (!row) throw notFound("That booking");
    return { manageUrl: manageUrl(appUrl(), row) };
  });
}
