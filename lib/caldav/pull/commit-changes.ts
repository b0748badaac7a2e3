/**
 * Writing a planned pull in one transaction: the busy blocks of exactly the changed objects,
 * their calendar_objects rows (skipped ones with their reason), the artist's edits of Holdfast's
 * events, overlap conflicts, the new sync token and the sync-run log row.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { bookings, busyBlocks, calendarConflicts, calendarObjects, calendars, calendarSyncRuns, type Calendar } from "@/db/schema";
import { setAuditContext } from "@/lib/bookings/audit-context";
import { calendarActor, calendarEditPolicy, detectArtistEdits, openConflict, openEditConflicts, type EditInput } from "../apply-artist-edits";
import { hrefKey, type CalDavStats } from "../caldav-client";
import type { BusyInterval } from "../expand-busy-intervals";
import type { Plan, SkippedObject } from "./plan-changes";
import type { Listing } from "./read-changes";

/**
 * Least seconds between the STARTS of two pulls of a healthy calendar. Counted from the start (not
 * the end) of a pull and kept well under the tick, so every tick (30 s in-process, 60 s by cron)
 * finds every calendar due however long the previous tick took; it only stops several instances
 * ticking at once from pulling the same calendar twice in a row.
 */
const SYNC_INTERVAL_SECONDS = 20;
const INSERT_CHUNK = 1000;

/** The run log's account of skipped objects: "skipped: N — href (reason); …". */
export function skippedSummary(skipped: SkippedObject[]): string | null {
  if (skipped.length === 0) return null;
  return `skipped: ${skipped.length} — ${skipped.map((s) => `${s.href} (${s.reason})`).join("; ")}`.slice(0, 2000);
}

function blockRows(calendar: Calendar, href: string, intervals: BusyInterval[]) {
  return intervals.map((i) => ({
    artistId: calendar.artistId,
    calendarId: calendar.id,
    sourceHref: href,
    sourceUid: i.uid || null,
    recurrenceId: i.recurrenceId,
    startsAt: i.start,
    endsAt: i.end,
  }));
}

/** A new or changed artist event over an active booking: an admin must hear about it. */
async function openOverlapConflicts(tx: Transaction, calendar: Calendar, objects: { href: string; intervals: BusyInterval[] }[]) {
  const spans = objects.flatMap((o) => o.intervals.map((i) => ({ href: o.href, start: i.start.toISOString(), end: i.end.toISOString() })));
  if (spans.length === 0) return;
  const overlaps = await tx.execute<{ booking_id: string; href: string; start: string; end: string }>(sql`
    select distinct on (b.id, x.href) b.id as booking_id, x.href, x.s as start, x.e as end
    from bookings b
    join unnest(${sql.param(spans.map((s) => s.start))}::text[], ${sql.param(spans.map((s) => s.end))}::text[], ${sql.param(spans.map((s) => s.href))}::text[]) as x(s, e, href)
      on tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(x.s::timestamptz, x.e::timestamptz, '[)')
    where b.artist_id = ${calendar.artistId} and b.status in ('pending', 'confirmed')
    order by b.id, x.href, x.s`);
  for (const o of overlaps.rows) {
    const start = new Date(o.start).toISOString();
    const end = new Date(o.end).toISOString();
    // Keyed by the event's time too: once an admin resolved it, the same overlap stays resolved.
    const dedupeKey = `event_overlaps_booking:${o.booking_id}:${calendar.id}:${o.href}:${start}:${end}`;
    const [seen] = await tx.select({ id: calendarConflicts.id }).from(calendarConflicts).where(eq(calendarConflicts.dedupeKey, dedupeKey)).limit(1);
    if (seen) continue;
    await openConflict(tx, {
      bookingId: o.booking_id,
      calendarId: calendar.id,
      kind: "event_overlaps_booking",
      details: { calendarId: calendar.id, href: o.href, start, end },
      dedupeKey,
      message: "The artist added an event to their calendar that overlaps a booking",
    });
  }
}

/**
 * Objects that could not be read: their row carries the reason and the ETag it applies to (a new
 * ETag means a new version, read again by the next pull). Whatever the last readable version
 * blocked stays blocked (its busy blocks and stored source are left alone), so an edit the
 * artist's app botched never frees time the artist had taken.
 */
async function recordSkipped(tx: Transaction, calendar: Calendar, skipped: SkippedObject[], horizonEnd: Date, now: Date) {
  for (const s of skipped) {
    await tx
      .insert(calendarObjects)
      .values({ calendarId: calendar.id, href: s.href, etag: s.etag, uid: s.uid, skipReason: s.reason.slice(0, 2000), skippedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [calendarObjects.calendarId, calendarObjects.href],
        set: {
          etag: sql`excluded.etag`,
          uid: sql`coalesce(excluded.uid, ${calendarObjects.uid})`,
          skipReason: sql`excluded.skip_reason`,
          // Since when this version has been unreadable (a server without ETags re-sends it every pull).
          skippedAt: sql`case when ${calendarObjects.skipReason} is not distinct from excluded.skip_reason and ${calendarObjects.etag} is not distinct from excluded.etag then coalesce(${calendarObjects.skippedAt}, excluded.skipped_at) else excluded.skipped_at end`,
          // A stored copy that cannot be re-expanded is not retried every tick, only as the horizon moves.
          ...(s.storedCopy ? { expandedUntil: horizonEnd } : {}),
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}

type CommitResult = { blocksWritten: number; deferredEdits: EditInput[] };

export async function commitPlan(
  db: Database,
  calendar: Calendar,
  listing: Listing,
  plan: Plan,
  window: { to: Date },
  stats: CalDavStats,
  startedAt: Date,
): Promise<CommitResult | null> {
  const policy = await calendarEditPolicy(db);
  return db.transaction(async (tx) => {
    await setAuditContext(tx, calendarActor, "calendar sync");
    const [current] = await tx.select({ id: calendars.id, active: calendars.active }).from(calendars).where(eq(calendars.id, calendar.id)).for("update");
    if (!current?.active) return null; // unlinked or paused mid-pull: write nothing

    const deletedRows = plan.deleted.length
      ? await tx
          .delete(calendarObjects)
          .where(and(eq(calendarObjects.calendarId, calendar.id), inArray(calendarObjects.href, plan.deleted)))
          .returning()
      : [];
    const replacedHrefs = [...plan.foreign.map((f) => f.href), ...plan.own.map((o) => o.href), ...plan.deleted, ...plan.reexpanded.map((r) => r.href)];
    if (replacedHrefs.length) {
      await tx.delete(busyBlocks).where(and(eq(busyBlocks.calendarId, calendar.id), inArray(busyBlocks.sourceHref, replacedHrefs)));
    }
    const rows = [
      ...plan.foreign.flatMap((f) => blockRows(calendar, f.href, f.intervals)),
      ...plan.reexpanded.flatMap((r) => blockRows(calendar, r.href, r.intervals)),
    ];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insert(busyBlocks).values(rows.slice(i, i + INSERT_CHUNK));

    const now = new Date();
    const objectRows = [
      ...plan.foreign.map((f) => ({
        calendarId: calendar.id,
        href: f.href,
        etag: f.etag,
        uid: f.uid,
        bookingId: null,
        icalData: f.parsed.recurring ? f.data : null,
        expandedUntil: window.to,
        pushedStartsAt: null,
        pushedEndsAt: null,
        pushedStatus: null,
        skipReason: null,
        skippedAt: null,
        updatedAt: now,
      })),
      ...plan.own.map((o) => ({
        calendarId: calendar.id,
        href: o.href,
        etag: o.etag,
        uid: o.uid,
        bookingId: o.booking.id,
        icalData: null,
        expandedUntil: null,
        // From now on this is what the calendar is known to show.
        pushedStartsAt: o.observed?.start ?? null,
        pushedEndsAt: o.observed?.end ?? null,
        pushedStatus: o.observed?.status ?? null,
        skipReason: null,
        skippedAt: null,
        updatedAt: now,
      })),
    ];
    for (let i = 0; i < objectRows.length; i += INSERT_CHUNK) {
      await tx
        .insert(calendarObjects)
        .values(objectRows.slice(i, i + INSERT_CHUNK))
        .onConflictDoUpdate({
          target: [calendarObjects.calendarId, calendarObjects.href],
          set: {
            etag: sql`excluded.etag`,
            uid: sql`excluded.uid`,
            bookingId: sql`excluded.booking_id`,
            icalData: sql`excluded.ical_data`,
            expandedUntil: sql`excluded.expanded_until`,
            pushedStartsAt: sql`excluded.pushed_starts_at`,
            pushedEndsAt: sql`excluded.pushed_ends_at`,
            pushedStatus: sql`excluded.pushed_status`,
            skipReason: sql`excluded.skip_reason`,
            skippedAt: sql`excluded.skipped_at`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }
    await recordSkipped(tx, calendar, plan.skipped, window.to, now);
    if (plan.reexpanded.length) {
      await tx
        .update(calendarObjects)
        .set({ expandedUntil: window.to })
        .where(
          and(
            eq(calendarObjects.calendarId, calendar.id),
            inArray(
              calendarObjects.href,
              plan.reexpanded.map((r) => r.href),
            ),
          ),
        );
    }

    // Holdfast's events the artist changed or removed.
    const edits: EditInput[] = [];
    for (const o of plan.own) {
      const prev = o.previous;
      const snapshot = prev ? { start: prev.pushedStartsAt, end: prev.pushedEndsAt, status: prev.pushedStatus } : null;
      edits.push({
        booking: o.booking,
        edits: detectArtistEdits(o.booking, snapshot, o.observed),
        calendarId: calendar.id,
        href: o.href,
        observed: o.observed,
      });
    }
    const goneBookingIds = deletedRows.map((r) => r.bookingId).filter((id): id is string => Boolean(id));
    if (goneBookingIds.length) {
      const gone = await tx.select().from(bookings).where(inArray(bookings.id, goneBookingIds));
      for (const booking of gone) {
        const row = deletedRows.find((r) => r.bookingId === booking.id)!;
        if (booking.caldavHref && hrefKey(booking.caldavHref) === hrefKey(row.href)) {
          await tx.update(bookings).set({ caldavHref: null, caldavEtag: null }).where(eq(bookings.id, booking.id));
        }
        const snapshot = { start: row.pushedStartsAt, end: row.pushedEndsAt, status: row.pushedStatus };
        edits.push({ booking, edits: detectArtistEdits(booking, snapshot, null), calendarId: calendar.id, href: row.href, observed: null });
      }
    }
    const withEdits = edits.filter((e) => e.edits.length > 0);
    if (policy === "review") for (const e of withEdits) await openEditConflicts(tx, e);

    await openOverlapConflicts(tx, calendar, plan.foreign);

    // The journey's proof that the artist can see a booking: this pull found its event as we last
    // wrote it (same ETag as stored now). Only the first sighting after a write is recorded (a
    // bookkeeping column: no new version, and no audit row on every pull).
    const seen = listing.seen ?? [];
    if (seen.length) {
      await tx.execute(sql`
        update bookings b set caldav_seen_at = clock_timestamp()
        from calendar_objects o
        join unnest(${sql.param(seen.map((s) => s.href))}::text[], ${sql.param(seen.map((s) => s.etag))}::text[]) as s(href, etag)
          on o.href = s.href and o.etag = s.etag
        where o.calendar_id = ${calendar.id} and o.booking_id = b.id
          and (b.caldav_seen_at is null or b.caldav_seen_at < b.caldav_written_at)`);
    }

    await tx
      .update(calendars)
      .set({
        syncToken: listing.token,
        lastSyncAt: now,
        // The start of this run, i.e. just before the token we store was issued (see readChanges).
        lastSuccessAt: startedAt,
        lastError: null,
        lastErrorCode: null,
        consecutiveFailures: 0,
        nextSyncAt: new Date(startedAt.getTime() + SYNC_INTERVAL_SECONDS * 1000),
        syncLockedUntil: null,
      })
      .where(eq(calendars.id, calendar.id));
    // An idle incremental pull (nothing changed) leaves no log row: it happens every tick for
    // every calendar, and calendars.last_success_at already records that it worked.
    const idle = listing.kind === "incremental" && plan.foreign.length + plan.own.length + deletedRows.length + plan.skipped.length === 0;
    if (!idle)
      await tx.insert(calendarSyncRuns).values({
        calendarId: calendar.id,
        kind: listing.kind,
        status: plan.skipped.length ? "partial" : "success",
        startedAt,
        finishedAt: now,
        objectsChanged: plan.foreign.length + plan.own.length,
        objectsDeleted: deletedRows.length,
        objectsSkipped: plan.skipped.length,
        requests: stats.requests,
        bytes: stats.bytesSent + stats.bytesReceived,
        error: skippedSummary(plan.skipped),
      });
    return { blocksWritten: rows.length, deferredEdits: policy === "auto" ? withEdits : [] };
  });
}
