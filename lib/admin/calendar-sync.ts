/**
 * The "Calendar sync" screen's read model: every artist with their linked calendars (sync health,
 * the latest runs of each and the events Holdfast could not read), the open conflicts with what
 * they concern, recently resolved ones, and the studio's edit policy. Built from lib/caldav's read
 * models; never carries a password.
 */
import { and, asc, desc, inArray, isNotNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artists, bookings, calendarObjects, calendars, type CalendarSyncRun } from "@/db/schema";
import { selectBookingsWithArtistAndService } from "@/lib/bookings/select-booking-with-artist-and-service";
import { listCalendars, listConflicts, listSyncRuns, type ConflictView, type PublicCalendar } from "@/lib/caldav/list-calendars";
import { getCalendarEditPolicy, type CalendarEditPolicy } from "@/lib/studio/calendar-policy";
import { studioTimezone } from "./studio-setup";

export const SYNC_RUNS_SHOWN = 10;

export type SyncRunView = {
  id: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  objectsChanged: number;
  objectsDeleted: number;
  objectsSkipped: number;
  requests: number;
  bytes: number;
  error: string | null;
};

export type CalendarHealth = "ok" | "failing" | "waiting";

/**
 * An event in the artist's calendar that Holdfast could not read, and why. It blocks nothing new
 * (what its last readable version blocked stays) and is read again once the artist's app changes it.
 */
export type SkippedObjectView = { href: string; uid: string | null; reason: string; skippedAt: string | null };

export type CalendarView = PublicCalendar & { artistName: string; health: CalendarHealth; runs: SyncRunView[]; skippedObjects: SkippedObjectView[] };

export type ArtistCalendars = { id: string; name: string; slug: string; timezone: string; active: boolean; calendars: CalendarView[] };

export type ConflictKindName = "event_deleted" | "event_moved" | "event_confirmed" | "event_overlaps_booking";

export type ConflictItem = {
  id: string;
  kind: string;
  status: "open" | "resolved";
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
  /** From the calendar: where the event is now (moved / overlapping), its title, its status. */
  eventStart: string | null;
  eventEnd: string | null;
  eventSummary: string | null;
  calendar: { id: string; name: string } | null;
  booking: {
    id: string;
    status: string;
    start: string;
    end: string;
    customerName: string | null;
    serviceName: string;
    artistName: string;
    timezone: string;
    version: number;
  } | null;
  resolutions: ConflictView["resolutions"];
};

export type CalendarSyncOverview = {
  artists: ArtistCalendars[];
  openConflicts: ConflictItem[];
  recentlyResolved: ConflictItem[];
  policy: CalendarEditPolicy;
  studioTimezone: string;
};

export function calendarHealth(c: Pick<PublicCalendar, "consecutiveFailures" | "lastSuccessAt">): CalendarHealth {
  if (c.consecutiveFailures > 0) return "failing";
  return c.lastSuccessAt ? "ok" : "waiting";
}

export function toSyncRunView(r: Omit<CalendarSyncRun, "calendarId">): SyncRunView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    objectsChanged: r.objectsChanged,
    objectsDeleted: r.objectsDeleted,
    objectsSkipped: r.objectsSkipped,
    requests: r.requests,
    bytes: r.bytes,
    error: r.error,
  };
}

const isoOrNull = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null);

/** Conflicts with the booking's service, artist and zone, and the calendar's name, for display. */
async function describeConflicts(db: Executor, conflicts: ConflictView[]): Promise<ConflictItem[]> {
  const bookingIds = [...new Set(conflicts.map((c) => c.bookingId).filter((id): id is string => Boolean(id)))];
  const calendarIds = [...new Set(conflicts.map((c) => c.calendarId).filter((id): id is string => Boolean(id)))];
  const [bookingRows, calendarRows] = await Promise.all([
    bookingIds.length ? selectBookingsWithArtistAndService(db, { id: bookings.id }).where(inArray(bookings.id, bookingIds)) : Promise.resolve([]),
    calendarIds.length
      ? db
          .select({ id: calendars.id, displayName: calendars.displayName, calendarUrl: calendars.calendarUrl })
          .from(calendars)
          .where(inArray(calendars.id, calendarIds))
      : Promise.resolve([]),
  ]);
  const bookingInfo = new Map(bookingRows.map((b) => [b.booking.id, b]));
  const calendarInfo = new Map(calendarRows.map((c) => [c.id, c]));
  return conflicts.map((c) => {
    const details = (c.details ?? {}) as Record<string, unknown>;
    const info = c.bookingId ? bookingInfo.get(c.bookingId) : undefined;
    const cal = c.calendarId ? calendarInfo.get(c.calendarId) : undefined;
    return {
      id: c.id,
      kind: c.kind,
      status: c.status,
      resolution: c.resolution,
      createdAt: c.createdAt.toISOString(),
      resolvedAt: c.resolvedAt?.toISOString() ?? null,
      eventStart: isoOrNull(details.start),
      eventEnd: isoOrNull(details.end),
      eventSummary: typeof details.summary === "string" ? details.summary : null,
      calendar: cal ? { id: cal.id, name: cal.displayName ?? cal.calendarUrl } : null,
      booking:
        c.booking && info
          ? {
              id: c.booking.id,
              status: c.booking.status,
              start: c.booking.startsAt,
              end: c.booking.endsAt,
              customerName: c.booking.customerName,
              serviceName: info.service.name,
              artistName: info.artist.name,
              timezone: info.artist.timezone,
              version: c.booking.version,
            }
          : null,
      resolutions: c.resolutions,
    };
  });
}

export async function listConflictItems(db: Executor, opts: { status?: "open" | "resolved"; limit?: number } = {}): Promise<ConflictItem[]> {
  return describeConflicts(db, await listConflicts(db, opts));
}

/** Unreadable objects of these calendars, most recently skipped first, by calendar id. */
export async function listSkippedObjects(db: Executor, calendarIds: string[]): Promise<Map<string, SkippedObjectView[]>> {
  const byCalendar = new Map<string, SkippedObjectView[]>(calendarIds.map((id) => [id, []]));
  if (calendarIds.length === 0) return byCalendar;
  const rows = await db
    .select({
      calendarId: calendarObjects.calendarId,
      href: calendarObjects.href,
      uid: calendarObjects.uid,
      reason: calendarObjects.skipReason,
      skippedAt: calendarObjects.skippedAt,
    })
    .from(calendarObjects)
    .where(and(inArray(calendarObjects.calendarId, calendarIds), isNotNull(calendarObjects.skipReason)))
    .orderBy(desc(calendarObjects.skippedAt), asc(calendarObjects.href));
  for (const r of rows) byCalendar.get(r.calendarId)?.push({ href: r.href, uid: r.uid, reason: r.reason ?? "", skippedAt: r.skippedAt?.toISOString() ?? null });
  return byCalendar;
}

/** GET /api/admin/calendars: the linked calendars (optionally one artist's) with the events each could not read. */
export async function listCalendarsWithSkipped(db: Executor, opts: { artistId?: string } = {}) {
  const linked = await listCalendars(db, opts);
  const skipped = await listSkippedObjects(
    db,
    linked.map((c) => c.id),
  );
  return linked.map((c) => ({ ...c, skippedObjects: skipped.get(c.id) ?? [] }));
}

export async function getCalendarSyncOverview(db: Executor, opts: { runs?: number } = {}): Promise<CalendarSyncOverview> {
  const [artistRows, linked, open, resolved, policy, tz] = await Promise.all([
    db
      .select({ id: artists.id, name: artists.name, slug: artists.slug, timezone: artists.timezone, active: artists.active })
      .from(artists)
      .orderBy(asc(artists.name)),
    listCalendars(db),
    listConflictItems(db, { status: "open" }),
    listConflictItems(db, { status: "resolved", limit: 10 }),
    getCalendarEditPolicy(db),
    studioTimezone(db),
  ]);
  const [runs, skipped] = await Promise.all([
    Promise.all(linked.map((c) => listSyncRuns(db, c.id, { limit: opts.runs ?? SYNC_RUNS_SHOWN }))),
    listSkippedObjects(
      db,
      linked.map((c) => c.id),
    ),
  ]);
  const views: CalendarView[] = linked.map((c, i) => ({
    ...c,
    health: calendarHealth(c),
    runs: runs[i]!.map(toSyncRunView),
    skippedObjects: skipped.get(c.id) ?? [],
  }));
  return {
    artists: artistRows.map((a) => ({ ...a, calendars: views.filter((v) => v.artistId === a.id) })),
    openConflicts: open,
    recentlyResolved: resolved,
    policy,
    studioTimezone: tz,
  };
}
