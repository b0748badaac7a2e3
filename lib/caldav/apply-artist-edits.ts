/**
 * What to do when the artist changed one of Holdfast's events in their own calendar: detect
 * what changed, then either apply it to the booking (studio policy "auto", through the same
 * booking transitions an admin uses, recorded with actor kind "calendar") or open a conflict for
 * an admin (policy "review", and whenever applying fails).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { calendarConflicts, type Booking } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { approveBooking, cancelBooking, rejectBooking, rescheduleBooking } from "@/lib/bookings/transitions";
import { alertAdmins } from "./alert-admins";
import { bookingShowsInCalendar, type ObservedEvent } from "./booking-event";
import { getCalendarEditPolicy } from "@/lib/studio/calendar-policy";

export type ArtistEdit = { kind: "event_deleted" } | { kind: "event_moved"; start: Date; end: Date } | { kind: "event_confirmed" };

export type ConflictKind = ArtistEdit["kind"] | "event_overlaps_booking";

/** Conflicts about the booking's own event; while one is open, Holdfast stops overwriting it. */
export const EDIT_CONFLICT_KINDS = ["event_deleted", "event_moved", "event_confirmed"] as const;

/** What the calendar held when Holdfast last wrote or accounted for its event. */
export type PushedSnapshot = { start: Date | null; end: Date | null; status: string | null };

export const calendarActor: Actor = { kind: "calendar", id: "caldav-sync" };

const sameInstant = (a: Date | null | undefined, b: Date | null | undefined) => Boolean(a && b && a.getTime() === b.getTime());

/**
 * The artist's edits: differences between what the calendar shows and the snapshot of what was
 * last accounted for, ignoring anything that already matches the booking (a push that simply
 * has not landed yet, or landed before its snapshot was stored, is not an artist edit).
 */
export function detectArtistEdits(booking: Booking, snapshot: PushedSnapshot | null, observed: ObservedEvent | null): ArtistEdit[] {
  if (!bookingShowsInCalendar(booking.status)) return [];
  if (!observed || observed.status === "CANCELLED") return [{ kind: "event_deleted" }];
  const edits: ArtistEdit[] = [];
  const matchesBooking = sameInstant(observed.start, booking.startsAt) && sameInstant(observed.end, booking.endsAt);
  const matchesSnapshot = snapshot !== null && sameInstant(observed.start, snapshot.start) && sameInstant(observed.end, snapshot.end);
  if (!matchesBooking && !matchesSnapshot) edits.push({ kind: "event_moved", start: observed.start, end: observed.end });
  if (booking.status === "pending" && observed.status === "CONFIRMED" && snapshot?.status !== "CONFIRMED") edits.push({ kind: "event_confirmed" });
  return edits;
}

export type ConflictInput = {
  bookingId: string | null;
  calendarId: string | null;
  kind: ConflictKind;
  details: Record<string, unknown>;
  dedupeKey: string;
  message: string;
};

/**
 * Opens a conflict, or refreshes the details of the same one if it is already open (the artist
 * moved the event again: the admin should decide on the latest version). Alerts the admins only
 * when it is new.
 */
export async function openConflict(db: Executor, input: ConflictInput): Promise<boolean> {
  // The conflict, its feed entry and any alert mail commit together (joining the caller's transaction when there is one).
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(calendarConflicts)
      .values({ bookingId: input.bookingId, calendarId: input.calendarId, kind: input.kind, details: input.details, dedupeKey: input.dedupeKey })
      .onConflictDoUpdate({ target: calendarConflicts.dedupeKey, targetWhere: sql`${calendarConflicts.status} = 'open'`, set: { details: input.details } })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    if (!row?.inserted) return false;
    await alertAdmins(tx, { kind: "calendar_conflict", severity: "warning", message: input.message, bookingId: input.bookingId, calendarId: input.calendarId });
    return true;
  });
}

export async function hasOpenEditConflict(db: Executor, bookingId: string): Promise<boolean> {
  const rows = await db
    .select({ id: calendarConflicts.id })
    .from(calendarConflicts)
    .where(and(eq(calendarConflicts.bookingId, bookingId), eq(calendarConflicts.status, "open"), inArray(calendarConflicts.kind, [...EDIT_CONFLICT_KINDS])))
    .limit(1);
  return rows.length > 0;
}

export const calendarEditPolicy = getCalendarEditPolicy;

const EDIT_MESSAGES: Record<ArtistEdit["kind"], string> = {
  event_deleted: "The artist deleted (or cancelled) this booking's event in their calendar",
  event_moved: "The artist moved this booking's event in their calendar",
  event_confirmed: "The artist confirmed this request in their calendar",
};

function editDetails(edit: ArtistEdit, where: { calendarId: string; href: string }, observed: ObservedEvent | null, extra: Record<string, unknown> = {}) {
  return {
    calendarId: where.calendarId,
    href: where.href,
    summary: observed?.summary ?? null,
    start: edit.kind === "event_moved" ? edit.start.toISOString() : (observed?.start.toISOString() ?? null),
    end: edit.kind === "event_moved" ? edit.end.toISOString() : (observed?.end.toISOString() ?? null),
    status: observed?.status ?? null,
    ...extra,
  };
}

/** Applies one edit to the booking through the regular transitions (notifications and the calendar push included). */
export async function applyEditToBooking(db: Executor, booking: Booking, edit: ArtistEdit, actor: Actor = calendarActor): Promise<Booking | null> {
  switch (edit.kind) {
    case "event_deleted":
      if (booking.status === "pending") return rejectBooking(db, { bookingId: booking.id, actor, reason: "Removed from the artist's calendar" });
      if (booking.status === "confirmed") return cancelBooking(db, { bookingId: booking.id, actor, reason: "Removed from the artist's calendar" });
      return null;
    case "event_moved":
      if (booking.startsAt.getTime() === edit.start.getTime()) return null;
      return rescheduleBooking(db, { bookingId: booking.id, actor, start: edit.start, reason: "Moved in the artist's calendar" });
    case "event_confirmed":
      if (booking.status !== "pending") return null;
      return approveBooking(db, { bookingId: booking.id, actor, reason: "Confirmed in the artist's calendar" });
  }
}

export type EditOutcome = "none" | "applied" | "conflict";

export type EditInput = { booking: Booking; edits: ArtistEdit[]; calendarId: string; href: string; observed: ObservedEvent | null };

/** Policy "review": one open conflict per kind of edit; usable inside the caller's transaction. */
export async function openEditConflicts(db: Executor, input: EditInput): Promise<EditOutcome> {
  for (const edit of input.edits) {
    await openConflict(db, {
      bookingId: input.booking.id,
      calendarId: input.calendarId,
      kind: edit.kind,
      details: editDetails(edit, { calendarId: input.calendarId, href: input.href }, input.observed),
      dedupeKey: `${edit.kind}:${input.booking.id}`,
      message: `${EDIT_MESSAGES[edit.kind]}. Please decide: keep the booking, accept the calendar's version, or cancel.`,
    });
  }
  return input.edits.length > 0 ? "conflict" : "none";
}

/**
 * Follows the studio's policy for the edits the artist made. Under "auto" each edit is applied
 * (confirm before move, so a moved request is approved at its new time); one that cannot be
 * applied (the new time is taken, or in the past) becomes a conflict instead.
 */
export async function applyArtistEdits(db: Database, input: EditInput): Promise<EditOutcome> {
  if (input.edits.length === 0) return "none";
  const policy = await calendarEditPolicy(db);
  if (policy === "review") return openEditConflicts(db, input);
  const ordered = [...input.edits].sort((a, b) => (a.kind === "event_confirmed" ? -1 : b.kind === "event_confirmed" ? 1 : 0));
  let outcome: EditOutcome = "none";
  let booking = input.booking;
  for (const edit of ordered) {
    try {
      booking = (await applyEditToBooking(db, booking, edit)) ?? booking;
      if (outcome === "none") outcome = "applied";
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await openConflict(db, {
        bookingId: booking.id,
        calendarId: input.calendarId,
        kind: edit.kind,
        details: editDetails(edit, { calendarId: input.calendarId, href: input.href }, input.observed, { autoApplyFailed: reason }),
        dedupeKey: `${edit.kind}:${booking.id}`,
        message: `${EDIT_MESSAGES[edit.kind]}, and Holdfast could not apply it (${reason}). Please decide.`,
      });
      outcome = "conflict";
    }
  }
  return outcome;
}
