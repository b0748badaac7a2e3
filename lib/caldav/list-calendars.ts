/** Read models for the admin dashboard. Nothing here ever returns a password, encrypted or not. */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artists, bookings, calendarConflicts, calendars, calendarSyncRuns, type Calendar, type CalendarConflict, type CalendarSyncRun } from "@/db/schema";

export type PublicCalendar = {
  id: string;
  artistId: string;
  serverUrl: string;
  username: string;
  calendarUrl: string;
  displayName: string | null;
  role: "write" | "busy";
  active: boolean;
  lastSyncAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  /** True after a failed pull until the next successful one. */
  failing: boolean;
  nextSyncAt: string;
  createdAt: string;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toPublicCalendar(c: Calendar): PublicCalendar {
  return {
    id: c.id,
    artistId: c.artistId,
    serverUrl: c.serverUrl,
    username: c.username,
    calendarUrl: c.calendarUrl,
    displayName: c.displayName,
    role: c.role,
    active: c.active,
    lastSyncAt: iso(c.lastSyncAt),
    lastSuccessAt: iso(c.lastSuccessAt),
    lastError: c.lastError,
    lastErrorCode: c.lastErrorCode,
    consecutiveFailures: c.consecutiveFailures,
    failing: c.consecutiveFailures > 0,
    nextSyncAt: c.nextSyncAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
  };
}

/** Every linked calendar (optionally one artist's) with its sync health and artist name. */
export async function listCalendars(db: Executor, opts: { artistId?: string } = {}): Promise<(PublicCalendar & { artistName: string })[]> {
  const rows = await db
    .select({ calendar: calendars, artistName: artists.name })
    .from(calendars)
    .innerJoin(artists, eq(artists.id, calendars.artistId))
    .where(opts.artistId ? eq(calendars.artistId, opts.artistId) : undefined)
    .orderBy(asc(artists.name), asc(calendars.role), asc(calendars.createdAt));
  return rows.map((r) => ({ ...toPublicCalendar(r.calendar), artistName: r.artistName }));
}

/** The sync-run log of one calendar, newest first (kept 90 days). */
export async function listSyncRuns(db: Executor, calendarId: string, opts: { limit?: number } = {}): Promise<CalendarSyncRun[]> {
  return db
    .select()
    .from(calendarSyncRuns)
    .where(eq(calendarSyncRuns.calendarId, calendarId))
    .orderBy(desc(calendarSyncRuns.startedAt))
    .limit(Math.min(opts.limit ?? 50, 500));
}

export type ConflictView = CalendarConflict & {
  booking: { id: string; status: string; startsAt: string; endsAt: string; customerName: string | null; version: number } | null;
  /** Resolutions that make sense for this conflict, in the order to offer them. */
  resolutions: ("keep_booking" | "accept_calendar" | "cancel_booking")[];
};

/** Conflicts (open by default), newest first, with the booking they concern. */
export async function listConflicts(db: Executor, opts: { status?: "open" | "resolved"; limit?: number } = {}): Promise<ConflictView[]> {
  const rows = await db
    .select({ conflict: calendarConflicts, booking: bookings })
    .from(calendarConflicts)
    .leftJoin(bookings, eq(bookings.id, calendarConflicts.bookingId))
    .where(and(eq(calendarConflicts.status, opts.status ?? "open")))
    .orderBy(desc(calendarConflicts.createdAt))
    .limit(Math.min(opts.limit ?? 100, 500));
  return rows.map(({ conflict, booking }) => ({
    ...conflict,
    booking: booking
      ? {
          id: booking.id,
          status: booking.status,
          startsAt: booking.startsAt.toISOString(),
          endsAt: booking.endsAt.toISOString(),
          customerName: booking.customerName,
          version: booking.version,
        }
      : null,
    resolutions: conflict.status === "open" ? ["keep_booking", "accept_calendar", "cancel_booking"] : [],
  }));
}

export async function countOpenConflicts(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(calendarConflicts)
    .where(eq(calendarConflicts.status, "open"));
  return row?.n ?? 0;
}
