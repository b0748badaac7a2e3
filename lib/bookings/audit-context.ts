import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";

export type ActorKind = "customer" | "admin" | "artist" | "system" | "calendar";

/** Who is changing bookings, recorded by the audit trigger for every row the transaction touches. */
export type Actor = {
  kind: ActorKind;
  id?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export const systemActor: Actor = { kind: "system", id: "holdfast" };

/**
 * Scopes the actor to the current transaction (set_config(..., true)), so the audit trigger can
 * read it and nothing leaks into the next transaction on the same pooled connection.
 */
export async function setAuditContext(tx: Transaction, actor: Actor, reason?: string | null) {
  await tx.execute(sql`select
    set_config('holdfast.actor_kind', ${actor.kind}, true),
    set_config('holdfast.actor_id', ${actor.id ?? ""}, true),
    set_config('holdfast.ip', ${actor.ip ?? ""}, true),
    set_config('holdfast.user_agent', ${(actor.userAgent ?? "").slice(0, 500)}, true),
    set_config('holdfast.reason', ${reason ?? ""}, true)`);
}
