import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { bookings } from "@/db/schema";
import { holdTokenMatches } from "@/lib/auth/booking-token";
import { setAuditContext, type Actor } from "./audit-context";

/**
 * Lets go of a hold its owner no longer wants (they picked another time, or are re-holding the
 * same slot after the countdown ran out), so it stops blocking the slot for others right away
 * instead of at its expiry. Only the holder of the hold token can release it; anything else
 * (unknown id, wrong token, already submitted or expired) is a quiet no-op.
 */
export async function releaseHold(db: Database, input: { holdId: string; holdToken: string; actor: Actor }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [hold] = await tx
      .select({ id: bookings.id, status: bookings.status, holdTokenHash: bookings.holdTokenHash })
      .from(bookings)
      .where(eq(bookings.id, input.holdId))
      .for("update");
    if (!hold || hold.status !== "hold" || !holdTokenMatches(input.holdToken, hold.holdTokenHash)) return false;
    await setAuditContext(tx, input.actor, "hold released by the customer");
    await tx
      .update(bookings)
      .set({ status: "expired", holdTokenHash: null })
      .where(and(eq(bookings.id, hold.id), eq(bookings.status, "hold")));
    return true;
  });
}
