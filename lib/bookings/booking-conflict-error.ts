import { HoldfastError } from "@/lib/errors";

export type AlternativeSlot = { start: string; end: string };

/**
 * The one error for "someone else got there first": an overlapping booking (23P01), a deadlock
 * between two racing inserts (40P01), a serialization failure (40001), or a stale `version`.
 */
export class BookingConflictError extends HoldfastError {
  constructor(
    kind: "slot_taken" | "no_room_free" | "stale_version",
    message: string,
    opts: { alternatives?: AlternativeSlot[]; current?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const details: Record<string, unknown> = {};
    if (kind === "slot_taken" || kind === "no_room_free") details.alternatives = opts.alternatives ?? [];
    if (opts.current) details.current = opts.current;
    super(kind, message, { details, cause: opts.cause });
    this.name = "BookingConflictError";
  }

  get alternatives(): AlternativeSlot[] {
    return (this.details?.alternatives as AlternativeSlot[] | undefined) ?? [];
  }
}

// HFBSY: raised by holdfast_place_hold when the artist's calendar blocks the time.
// HFROM: raised by holdfast_take_resources when no suitable room or station is free.
const CONFLICT_CODES = new Set(["23P01", "40P01", "40001", "HFBSY", "HFROM"]);

/** drizzle wraps driver errors; the Postgres SQLSTATE sits somewhere down the `cause` chain. */
export function pgErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isSlotConflict(err: unknown) {
  const code = pgErrorCode(err);
  return code !== undefined && CONFLICT_CODES.has(code);
}

export function pgConstraintName(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const constraint = (current as { constraint?: unknown }).constraint;
    if (typeof constraint === "string") return constraint;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Which 409 a conflict is: no free room or station (HFROM, or a resource's own exclusion
 * constraint) is "no_room_free", everything else "slot_taken" (the artist's time is gone).
 */
export function conflictKindOf(err: unknown): "slot_taken" | "no_room_free" {
  return pgErrorCode(err) === "HFROM" || pgConstraintName(err) === "booking_resources_no_overlap" ? "no_room_free" : "slot_taken";
}

/** The customer-facing message of a conflict's kind. */
export function conflictMessage(kind: "slot_taken" | "no_room_free", taken = "That time was just taken") {
  return kind === "no_room_free" ? "The artist is free then, but no room or station is" : taken;
}
