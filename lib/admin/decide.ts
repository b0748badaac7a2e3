import { childLogger } from "@/lib/log/logger";
import { desc, eq, sql } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Database, Executor } from "@/db/client";
import { bookingEvents, users } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { adminDecisionSchema } from "@/lib/bookings/schemas";
import { approveBooking, cancelBooking, completeBooking, rejectBooking, rescheduleBooking } from "@/lib/bookings/transitions";
import { HoldfastError } from "@/lib/errors";
import { loadAdminBookingRows, type AdminBookingRow } from "./list-bookings";

const log = childLogger("admin");

export const DECISIONS = ["approve", "reject", "cancel", "reschedule", "complete"] as const;
export type Decision = (typeof DECISIONS)[number];
export const MAX_BULK_ITEMS = 200;

export const decisionSchema = z.enum(DECISIONS, { error: `action must be one of ${DECISIONS.join(", ")}` });

/** POST /api/admin/bookings/bulk: one action, one optional reason, many bookings with the version each was seen at. */
export const bulkDecisionSchema = z.object({
  action: z.enum(["approve", "reject", "cancel"], { error: "action must be approve, reject or cancel" }),
  reason: z.string().trim().max(500).optional().nullable(),
  items: z
    .array(z.object({ id: z.uuid({ error: "Not a booking id" }), version: z.number().int().positive() }), { error: "items must list {id, version}" })
    .min(1, "Select at least one booking")
    .max(MAX_BULK_ITEMS, `At most ${MAX_BULK_ITEMS} bookings at once`),
});

export type DecisionInput = { action: Decision; bookingId: string; version: number; reason?: string | null; start?: Date; actor: Actor };

/** Who last changed a booking and when: what an admin with a stale page needs to hear. */
export type LastChange = { at: string; actorKind: string; actorLabel: string; reason: string | null; fromStatus: string | null; toStatus: string | null };

export async function lastChangeOf(db: Executor, bookingId: string): Promise<LastChange | null> {
  const [event] = await db
    .select({
      at: bookingEvents.occurredAt,
      actorKind: bookingEvents.actorKind,
      actorId: bookingEvents.actorId,
      reason: bookingEvents.reason,
      from: bookingEvents.oldStatus,
      to: bookingEvents.newStatus,
      email: users.email,
      name: users.name,
    })
    .from(bookingEvents)
    .leftJoin(users, sql`${users.id}::text = ${bookingEvents.actorId}`)
    .where(eq(bookingEvents.bookingId, bookingId))
    .orderBy(desc(bookingEvents.id))
    .limit(1);
  if (!event) return null;
  return {
    at: event.at.toISOString(),
    actorKind: event.actorKind,
    actorLabel: actorLabel(event.actorKind, event.actorId, event.name, event.email),
    reason: event.reason,
    fromStatus: event.from,
    toStatus: event.to,
  };
}

export function actorLabel(kind: string, id: string | null, name: string | null, email: string | null): string {
  if (email) return name ? `${name} <${email}>` : email;
  switch (kind) {
    case "customer":
      return "the customer";
    case "system":
      return `Holdfast (${id ?? "system"})`;
    case "calendar":
      return "the artist's calendar";
    case "unattributed":
      return `unattributed (${id ?? "database"})`;
    default:
      return id ? `${kind} ${id}` : kind;
  }
}

/**
 * One admin decision through the booking core's transition functions (they hold every rule). A
 * stale version comes back as the core's 409 `stale_version` with the current booking, plus who
 * changed it last, so the page can say what happened instead of overwriting it.
 */
export async function decideBooking(db: Database, input: DecisionInput): Promise<AdminBookingRow> {
  const common = { bookingId: input.bookingId, version: input.version, actor: input.actor, reason: input.reason ?? null };
  try {
    switch (input.action) {
      case "approve":
        await approveBooking(db, common);
        break;
      case "reject":
        await rejectBooking(db, common);
        break;
      case "cancel":
        await cancelBooking(db, common);
        break;
      case "complete":
        await completeBooking(db, common);
        break;
      case "reschedule":
        if (!input.start) throw new HoldfastError("invalid_input", "Choose the new start time", { fields: { start: ["Choose the new start time"] } });
        await rescheduleBooking(db, { ...common, start: input.start });
        break;
    }
  } catch (err) {
    if (err instanceof HoldfastError && (err.code === "stale_version" || err.code === "invalid_transition")) {
      const lastChange = await lastChangeOf(db, input.bookingId);
      throw new HoldfastError(err.code, err.message, { details: { ...(err.details ?? {}), lastChange }, cause: err });
    }
    throw err;
  }
  const [row] = await loadAdminBookingRows(db, [input.bookingId]);
  return row!;
}

export type BulkItemResult =
  | { id: string; ok: true; booking: AdminBookingRow }
  | { id: string; ok: false; error: { code: string; message: string; current?: unknown; lastChange?: LastChange | null } };

/**
 * Many decisions, each in its own transaction (one stale or already-decided booking never undoes
 * the others), reported per booking in the order given.
 */
export async function decideMany(
  db: Database,
  input: { action: "approve" | "reject" | "cancel"; reason?: string | null; items: { id: string; version: number }[]; actor: Actor },
) {
  const results: BulkItemResult[] = [];
  for (const item of input.items) {
    try {
      const booking = await decideBooking(db, { action: input.action, bookingId: item.id, version: item.version, reason: input.reason, actor: input.actor });
      results.push({ id: item.id, ok: true, booking });
    } catch (err) {
      if (!(err instanceof HoldfastError)) {
        const reference = crypto.randomUUID();
        log.error({ bookingId: item.id, action: input.action, reference, err }, "bulk decision failed unexpectedly");
        results.push({ id: item.id, ok: false, error: { code: "internal", message: `Something went wrong on our side (reference ${reference})` } });
        continue;
      }
      const details = err.details ?? {};
      results.push({
        id: item.id,
        ok: false,
        error: { code: err.code, message: err.message, current: details.current, lastChange: details.lastChange as LastChange | null | undefined },
      });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { action: input.action, succeeded, failed: results.length - succeeded, results };
}

/** The single-booking routes' body: the core's admin decision schema. */
export { adminDecisionSchema };
