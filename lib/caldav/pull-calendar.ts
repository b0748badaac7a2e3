/**
 * Nextcloud → Holdfast. For each due calendar (claimed with FOR UPDATE SKIP LOCKED plus a lease,
 * so several app instances share the work and never pull one calendar twice at once):
 * sync-collection from the stored token, a multiget of the objects whose ETag changed, expansion
 * over a rolling horizon, and one transaction that replaces the busy blocks of exactly those
 * objects together with calendar_objects and the new token. Holdfast's own events never become
 * busy blocks (they are bookings already); changes the artist made to them go through the
 * studio's policy. Every run leaves a calendar_sync_runs row; failures leave the mirror as it was.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { artists, bookings, busyBlocks, calendarConflicts, calendarObjects, calendars, calendarSyncRuns, type Booking, type Calendar, type CalendarObject } from "@/db/schema";
import { setAuditContext } from "@/lib/bookings/audit-context";
import { HoldfastError } from "@/lib/errors";
import { alertAdmins } from "./alert-admins";
import { applyArtistEdits, calendarActor, calendarEditPolicy, detectArtistEdits, openConflict, openEditConflicts, type EditInput } from "./apply-artist-edits";
import { holdfastIdentifiers, readObservedEvent, type ObservedEvent } from "./booking-event";
import { CalDavError, hrefKey, type CalDavClient, type CalDavStats, type FetchedObject, type ObjectVersion } from "./caldav-client";
import { clientForCalendar } from "./client-for-calendar";
import { expandBusyIntervals, type BusyInterval } from "./expand-busy-intervals";
import { MalformedCalendarObjectError, parseCalendarObject, type ParsedCalendarObject } from "./parse-calendar-object";

export const DEFAULT_HORIZON_DAYS = 180;
/**
 * Least seconds between the STARTS of two pulls of a healthy calendar. Counted from the start (not
 * the end) of a pull and kept well under the tick, so every tick (30 s in-process, 60 s by cron)
 * finds every calendar due however long the previous tick took; it only stops several instances
 * ticking at once from pulling the same calendar twice in a row.
 */
const SYNC_INTERVAL_SECONDS = 20;
/** How long a claim protects a calendar from other instances if this one dies mid-pull. */
const LEASE_SECONDS = 600;
/** Re-expand recurring events once the horizon has moved this far past their expansion. */
const REEXPAND_SLACK_MS = 86_400_000;
export const ALERT_AFTER_FAILURES = 3;
const INSERT_CHUNK = 1000;

export type PullKind = "initial" | "incremental" | "full_resync";
export type PullStatus = "success" | "partial" | "failed" | "busy" | "missing";

export type PullSummary = {
  calendarId: string;
  status: PullStatus;
  kind: PullKind | null;
  objectsChanged: number;
  objectsDeleted: number;
  objectsSkipped: number;
  blocksWritten: number;
  requests: number;
  bytes: number;
  durationMs: number;
  error: string | null;
  errorCode: string | null;
};

export type PullOptions = { now?: Date; horizonDays?: number };

function horizonDays(opts: PullOptions): number {
  const configured = Number(process.env.CALDAV_HORIZON_DAYS);
  return opts.horizonDays ?? (Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_HORIZON_DAYS);
}

function syncWindow(opts: PullOptions) {
  const now = opts.now ?? new Date();
  return { now, from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + horizonDays(opts) * 86_400_000) };
}

// -------------------------------------------------------------------------------------------------
// Claiming

/**
 * Takes one calendar (a given one, or the most overdue) for this instance: the row lock with
 * SKIP LOCKED makes two instances pick different rows, and the lease written in the same
 * statement keeps others away for the whole pull without holding a transaction open over HTTP.
 */
async function claimCalendar(db: Database, calendarId: string | null, dueBy?: Date): Promise<Calendar | null> {
  const which = calendarId ? sql`id = ${calendarId}` : sql`next_sync_at <= ${(dueBy ?? new Date()).toISOString()}::timestamptz`;
  const claimed = await db.execute<{ id: string }>(sql`
    update calendars set sync_locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
    where id = (
      select id from calendars
      where active and (sync_locked_until is null or sync_locked_until < now()) and ${which}
      order by next_sync_at
      limit 1
      for update skip locked
    )
    returning id`);
  const id = claimed.rows[0]?.id;
  if (!id) return null;
  const [calendar] = await db.select().from(calendars).where(eq(calendars.id, id));
  return calendar ?? null;
}

// -------------------------------------------------------------------------------------------------
// Reading the server

type Listing = { kind: PullKind; token: string | null; changed: ObjectVersion[]; deleted: string[]; verify: string[]; known: Known };

/** What we hold about an object, without its stored source (only re-expansion needs that). */
type KnownObject = Omit<CalendarObject, "icalData">;
type Known = Map<string, KnownObject>;

const knownColumns = {
  calendarId: calendarObjects.calendarId,
  href: calendarObjects.href,
  etag: calendarObjects.etag,
  uid: calendarObjects.uid,
  bookingId: calendarObjects.bookingId,
  expandedUntil: calendarObjects.expandedUntil,
  pushedStartsAt: calendarObjects.pushedStartsAt,
  pushedEndsAt: calendarObjects.pushedEndsAt,
  pushedStatus: calendarObjects.pushedStatus,
  skipReason: calendarObjects.skipReason,
  skippedAt: calendarObjects.skippedAt,
  updatedAt: calendarObjects.updatedAt,
};

/**
 * The objects we hold for a calendar: all of them for a full listing; for an incremental one only
 * those the server mentioned plus Holdfast's own recent writes, so an idle minute reads nothing.
 */
async function knownObjects(db: Database, calendarId: string, only?: { hrefs: string[]; pushedSince: Date | null }): Promise<Known> {
  const filter = only
    ? or(
        only.hrefs.length ? inArray(calendarObjects.href, only.hrefs) : undefined,
        and(isNotNull(calendarObjects.bookingId), only.pushedSince ? gte(calendarObjects.updatedAt, only.pushedSince) : undefined),
      )
    : undefined;
  const rows = await db.select(knownColumns).from(calendarObjects).where(and(eq(calendarObjects.calendarId, calendarId), filter));
  return new Map(rows.map((r) => [hrefKey(r.href), r]));
}

/** Every member of the calendar, diffed by href and ETag against what we hold. */
async function fullListing(db: Database, client: CalDavClient, calendar: Calendar, kind: PullKind): Promise<Listing> {
  let token: string | null;
  let members: ObjectVersion[];
  try {
    ({ token, changed: members } = await client.syncChanges(calendar.calendarUrl, null));
  } catch (err) {
    if (!(err instanceof CalDavError && err.kind === "truncated")) throw err;
    ({ token, members } = await client.listMembers(calendar.calendarUrl));
  }
  const known = await knownObjects(db, calendar.id);
  const present = new Set(members.map((m) => hrefKey(m.href)));
  const changed = members.filter((m) => m.etag === null || known.get(hrefKey(m.href))?.etag !== m.etag);
  const deleted = [...known.values()].filter((row) => !present.has(hrefKey(row.href))).map((row) => row.href);
  return { kind, token, changed, deleted, verify: [], known };
}

/**
 * Changes since the stored token; a forgotten token (403) or a truncated answer (507) means a
 * full resync. An event Holdfast created after the token was taken and that is gone again is not
 * reported at all (it was never a member at the token's state — Xandikos omits it), so such
 * events are checked explicitly.
 */
async function readChanges(db: Database, client: CalDavClient, calendar: Calendar): Promise<Listing> {
  if (!calendar.syncToken) return fullListing(db, client, calendar, "initial");
  let changes;
  try {
    changes = await client.syncChanges(calendar.calendarUrl, calendar.syncToken);
  } catch (err) {
    if (err instanceof CalDavError && (err.kind === "invalid_sync_token" || err.kind === "truncated")) return fullListing(db, client, calendar, "full_resync");
    // Some servers answer a token they cannot use with a 500 (Xandikos) instead of 403: after a
    // few such failures in a row, stop offering that token.
    if (err instanceof CalDavError && err.kind === "server_error" && calendar.consecutiveFailures >= 2 && calendar.lastErrorCode === "server_error") {
      return fullListing(db, client, calendar, "full_resync");
    }
    throw err;
  }
  const mentionedHrefs = [...changes.changed.map((c) => c.href), ...changes.deleted];
  // lastSuccessAt is when the run that stored our token started.
  const known = await knownObjects(db, calendar.id, { hrefs: mentionedHrefs, pushedSince: calendar.lastSuccessAt });
  // Our own PUTs come back as changes too; their ETag is already stored, so they cost no fetch.
  const changed = changes.changed.filter((c) => c.etag === null || known.get(hrefKey(c.href))?.etag !== c.etag);
  const deleted = changes.deleted.filter((href) => known.has(hrefKey(href)));
  const mentioned = new Set(mentionedHrefs.map(hrefKey));
  const verify = [...known.values()].filter((row) => row.bookingId && !mentioned.has(hrefKey(row.href))).map((row) => row.href);
  return { kind: "incremental", token: changes.token, changed, deleted, verify, known };
}

/** Recurring events whose busy blocks end before the (moved-on) horizon needs them. */
async function staleExpansions(db: Database, calendarId: string, horizonEnd: Date) {
  return db
    .select({ href: calendarObjects.href, icalData: calendarObjects.icalData })
    .from(calendarObjects)
    .where(
      and(
        eq(calendarObjects.calendarId, calendarId),
        isNotNull(calendarObjects.icalData),
        or(isNull(calendarObjects.expandedUntil), lt(calendarObjects.expandedUntil, new Date(horizonEnd.getTime() - REEXPAND_SLACK_MS))),
      ),
    );
}

// -------------------------------------------------------------------------------------------------
// Planning (no writes yet)

type ForeignObject = { href: string; etag: string | null; uid: string | null; parsed: ParsedCalendarObject; data: string; intervals: BusyInterval[] };
type OwnObject = { href: string; etag: string | null; uid: string | null; booking: Booking; observed: ObservedEvent | null; previous: KnownObject | undefined };
type Plan = {
  foreign: ForeignObject[];
  own: OwnObject[];
  deleted: string[];
  reexpanded: { href: string; intervals: BusyInterval[] }[];
  skipped: { href: string; reason: string }[];
  warnings: string[];
};

function parseFetched(objects: FetchedObject[]) {
  const parsed: { object: FetchedObject; parsed: ParsedCalendarObject }[] = [];
  const skipped: { href: string; reason: string }[] = [];
  for (const object of objects) {
    try {
      parsed.push({ object, parsed: parseCalendarObject(object.data) });
    } catch (err) {
      if (!(err instanceof MalformedCalendarObjectError)) throw err;
      skipped.push({ href: object.href, reason: err.message });
    }
  }
  return { parsed, skipped };
}

/** Bookings that these objects are events of, by UID or X-HOLDFAST-BOOKING-ID (never by title). */
async function bookingsFor(db: Database, objects: ParsedCalendarObject[]): Promise<{ byUid: Map<string, Booking>; byId: Map<string, Booking> }> {
  const ids = objects.map((p) => holdfastIdentifiers(p));
  const uids = [...new Set(ids.map((i) => i.uid).filter((u): u is string => Boolean(u)))];
  const bookingIds = [...new Set(ids.map((i) => i.bookingId).filter((b): b is string => Boolean(b)))];
  const rows =
    uids.length + bookingIds.length === 0
      ? []
      : await db
          .select()
          .from(bookings)
          .where(sql`${bookings.caldavUid} = any(${sql.param(uids)}::text[]) or ${bookings.id} = any(${sql.param(bookingIds)}::uuid[])`);
  return { byUid: new Map(rows.map((b) => [b.caldavUid, b])), byId: new Map(rows.map((b) => [b.id, b])) };
}

async function planChanges(
  db: Database,
  calendar: Calendar,
  fetched: FetchedObject[],
  deleted: string[],
  known: Known,
  timezone: string,
  window: { from: Date; to: Date },
): Promise<Plan> {
  const { parsed, skipped } = parseFetched(fetched);
  const { byUid, byId } = await bookingsFor(db, parsed.map((p) => p.parsed));
  const plan: Plan = { foreign: [], own: [], deleted, reexpanded: [], skipped, warnings: [] };
  const expandWindow = { from: window.from, to: window.to, fallbackZone: timezone };

  for (const { object, parsed: p } of parsed) {
    const ids = holdfastIdentifiers(p);
    const booking = (ids.bookingId ? byId.get(ids.bookingId) : undefined) ?? (ids.uid ? byUid.get(ids.uid) : undefined);
    if (booking && booking.artistId === calendar.artistId) {
      plan.own.push({ href: object.href, etag: object.etag, uid: p.uid, booking, observed: readObservedEvent(p, timezone), previous: known.get(hrefKey(object.href)) });
      continue;
    }
    const expansion = expandBusyIntervals(p, expandWindow);
    plan.warnings.push(...expansion.warnings.map((w) => `${object.href}: ${w}`));
    plan.foreign.push({ href: object.href, etag: object.etag, uid: p.uid, parsed: p, data: object.data, intervals: expansion.intervals });
  }

  // Recurring events whose expansion the rolling horizon has outrun: re-expand from the stored
  // source, without asking the server (sync-collection never reports an unchanged object).
  const touched = new Set([...fetched.map((f) => hrefKey(f.href)), ...deleted.map(hrefKey)]);
  for (const row of await staleExpansions(db, calendar.id, window.to)) {
    if (!row.icalData || touched.has(hrefKey(row.href))) continue;
    try {
      plan.reexpanded.push({ href: row.href, intervals: expandBusyIntervals(parseCalendarObject(row.icalData), expandWindow).intervals });
    } catch (err) {
      plan.skipped.push({ href: row.href, reason: `stored copy unreadable: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return plan;
}

// -------------------------------------------------------------------------------------------------
// Writing (one transaction)

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

type CommitResult = { blocksWritten: number; deferredEdits: EditInput[] };

async function commitPlan(db: Database, calendar: Calendar, listing: Listing, plan: Plan, window: { to: Date }, stats: CalDavStats, startedAt: Date): Promise<CommitResult | null> {
  const policy = await calendarEditPolicy(db);
  return db.transaction(async (tx) => {
    await setAuditContext(tx, calendarActor, "calendar sync");
    const [current] = await tx.select({ id: calendars.id, active: calendars.active }).from(calendars).where(eq(calendars.id, calendar.id)).for("update");
    if (!current?.active) return null; // unlinked or paused mid-pull: write nothing

    const deletedRows = plan.deleted.length
      ? await tx.delete(calendarObjects).where(and(eq(calendarObjects.calendarId, calendar.id), inArray(calendarObjects.href, plan.deleted))).returning()
      : [];
    const replacedHrefs = [...plan.foreign.map((f) => f.href), ...plan.own.map((o) => o.href), ...plan.deleted, ...plan.reexpanded.map((r) => r.href)];
    if (replacedHrefs.length) {
      await tx.delete(busyBlocks).where(and(eq(busyBlocks.calendarId, calendar.id), inArray(busyBlocks.sourceHref, replacedHrefs)));
    }
    const rows = [...plan.foreign.flatMap((f) => blockRows(calendar, f.href, f.intervals)), ...plan.reexpanded.flatMap((r) => blockRows(calendar, r.href, r.intervals))];
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
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }
    if (plan.reexpanded.length) {
      await tx
        .update(calendarObjects)
        .set({ expandedUntil: window.to })
        .where(and(eq(calendarObjects.calendarId, calendar.id), inArray(calendarObjects.href, plan.reexpanded.map((r) => r.href))));
    }

    // Holdfast's events the artist changed or removed.
    const edits: EditInput[] = [];
    for (const o of plan.own) {
      const prev = o.previous;
      const snapshot = prev ? { start: prev.pushedStartsAt, end: prev.pushedEndsAt, status: prev.pushedStatus } : null;
      edits.push({ booking: o.booking, edits: detectArtistEdits(o.booking, snapshot, o.observed), calendarId: calendar.id, href: o.href, observed: o.observed });
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
    if (!idle) await tx.insert(calendarSyncRuns).values({
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
      error: plan.skipped.length ? `skipped ${plan.skipped.length} unreadable object(s): ${plan.skipped.map((s) => `${s.href} (${s.reason})`).join("; ")}`.slice(0, 2000) : null,
    });
    return { blocksWritten: rows.length, deferredEdits: policy === "auto" ? withEdits : [] };
  });
}

// -------------------------------------------------------------------------------------------------
// Failure bookkeeping

function failureBackoffSeconds(failures: number, err: unknown): number {
  const base = Math.min(60 * 2 ** Math.max(0, failures - 1), 3600);
  if (err instanceof CalDavError && err.retryAfterMs !== undefined) return Math.max(base, Math.ceil(err.retryAfterMs / 1000));
  // Every refused login counts towards Nextcloud's brute-force lock: do not hammer it.
  if (err instanceof CalDavError && err.kind === "unauthorized") return Math.max(base, 900);
  return base;
}

function describeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof CalDavError) {
    const hint =
      err.kind === "unauthorized"
        ? " — the app password may have been revoked: create a new one in Nextcloud and link the calendar again"
        : err.kind === "rate_limited"
          ? " — Nextcloud is throttling logins from this server (brute-force protection)"
          : "";
    return { code: err.kind, message: `${err.message}${hint}` };
  }
  if (err instanceof HoldfastError) return { code: err.code, message: err.message };
  return { code: "internal", message: err instanceof Error ? err.message : String(err) };
}

async function recordFailure(db: Database, calendar: Calendar, kind: PullKind, err: unknown, stats: CalDavStats, startedAt: Date): Promise<{ code: string; message: string }> {
  const failure = describeFailure(err);
  console.error(`[caldav] pull of calendar ${calendar.id} failed (${failure.code}): ${failure.message}`);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(calendars)
      .set({ consecutiveFailures: sql`${calendars.consecutiveFailures} + 1`, lastError: failure.message, lastErrorCode: failure.code, lastSyncAt: new Date(), syncLockedUntil: null })
      .where(eq(calendars.id, calendar.id))
      .returning({ failures: calendars.consecutiveFailures, name: calendars.displayName, url: calendars.calendarUrl, artistId: calendars.artistId });
    if (!row) return;
    const backoff = failureBackoffSeconds(row.failures, err);
    await tx.update(calendars).set({ nextSyncAt: sql`now() + make_interval(secs => ${backoff})` }).where(eq(calendars.id, calendar.id));
    await tx.insert(calendarSyncRuns).values({
      calendarId: calendar.id,
      kind,
      status: "failed",
      startedAt,
      finishedAt: new Date(),
      requests: stats.requests,
      bytes: stats.bytesSent + stats.bytesReceived,
      error: `${failure.code}: ${failure.message}`.slice(0, 2000),
    });
    if (row.failures === ALERT_AFTER_FAILURES) {
      const [artist] = await tx.select({ name: artists.name }).from(artists).where(eq(artists.id, row.artistId));
      const label = `${row.name ?? row.url}${artist ? ` (${artist.name})` : ""}`;
      await alertAdmins(tx, {
        kind: "calendar_sync_failing",
        severity: "error",
        calendarId: calendar.id,
        message: `Calendar ${label} failed to sync ${row.failures} times in a row. Nothing was deleted; Holdfast keeps retrying. Last error: ${failure.message}`,
        email: { subject: `Calendar sync failing: ${label}` },
      });
    }
  });
  return failure;
}

// -------------------------------------------------------------------------------------------------

async function runPull(db: Database, calendar: Calendar, opts: PullOptions): Promise<PullSummary> {
  const startedAt = new Date();
  const stats: CalDavStats = { requests: 0, bytesSent: 0, bytesReceived: 0 };
  const summary = (status: PullStatus, rest: Partial<PullSummary> = {}): PullSummary => ({
    calendarId: calendar.id,
    status,
    kind: null,
    objectsChanged: 0,
    objectsDeleted: 0,
    objectsSkipped: 0,
    blocksWritten: 0,
    requests: stats.requests,
    bytes: stats.bytesSent + stats.bytesReceived,
    durationMs: Date.now() - startedAt.getTime(),
    error: null,
    errorCode: null,
    ...rest,
  });
  let kind: PullKind = calendar.syncToken ? "incremental" : "initial";
  try {
    const window = syncWindow(opts);
    const [artist] = await db.select({ timezone: artists.timezone }).from(artists).where(eq(artists.id, calendar.artistId));
    const timezone = artist?.timezone ?? process.env.APP_TZ ?? "UTC";
    const client = clientForCalendar(calendar, { stats });
    const listing = await readChanges(db, client, calendar);
    const known = listing.known;
    // One spelling per object: the one already stored, whatever encoding the server used this time.
    const canonical = (href: string) => known.get(hrefKey(href))?.href ?? href;
    kind = listing.kind;
    const toFetch = [...listing.changed.map((c) => canonical(c.href)), ...listing.verify];
    const fetched = toFetch.length ? await client.fetchObjects(calendar.calendarUrl, toFetch) : { found: [], missing: [] };
    const verifyOnly = new Set(listing.verify.map(hrefKey));
    const found = fetched.found
      .map((f) => ({ ...f, href: canonical(f.href) }))
      // Still there and unchanged since we wrote it: nothing to do.
      .filter((f) => !(verifyOnly.has(hrefKey(f.href)) && f.etag !== null && known.get(hrefKey(f.href))?.etag === f.etag));
    const deleted = [...new Set([...listing.deleted, ...fetched.missing.filter((href) => known.has(hrefKey(href)))].map(canonical))];
    const plan = await planChanges(db, calendar, found, deleted, known, timezone, window);
    for (const s of plan.skipped) console.warn(`[caldav] calendar ${calendar.id}: skipped ${s.href}: ${s.reason}`);
    for (const w of plan.warnings) console.warn(`[caldav] calendar ${calendar.id}: ${w}`);

    const committed = await commitPlan(db, calendar, listing, plan, window, stats, startedAt);
    if (!committed) return summary("missing", { kind });
    // Policy "auto": apply the artist's edits through the booking transitions, now that the
    // mirror is committed (each transition is its own transaction and queues its own push).
    for (const edit of committed.deferredEdits) await applyArtistEdits(db, edit);
    return summary(plan.skipped.length ? "partial" : "success", {
      kind,
      objectsChanged: plan.foreign.length + plan.own.length,
      objectsDeleted: deleted.length,
      objectsSkipped: plan.skipped.length,
      blocksWritten: committed.blocksWritten,
    });
  } catch (err) {
    const failure = await recordFailure(db, calendar, kind, err, stats, startedAt);
    return summary("failed", { kind, error: failure.message, errorCode: failure.code });
  }
}

/**
 * Pulls one calendar now, whether or not it is due (a webhook, "sync now", tests). Answers
 * `busy` when another instance is pulling it at this moment.
 */
export async function pullCalendarChanges(db: Database, calendarId: string, opts: PullOptions = {}): Promise<PullSummary> {
  const calendar = await claimCalendar(db, calendarId);
  if (!calendar) {
    const [exists] = await db.select({ id: calendars.id, active: calendars.active }).from(calendars).where(eq(calendars.id, calendarId));
    return {
      calendarId,
      status: exists?.active ? "busy" : "missing",
      kind: null,
      objectsChanged: 0,
      objectsDeleted: 0,
      objectsSkipped: 0,
      blocksWritten: 0,
      requests: 0,
      bytes: 0,
      durationMs: 0,
      error: null,
      errorCode: null,
    };
  }
  return runPull(db, calendar, opts);
}

/**
 * Pulls every due calendar, `concurrency` at a time (the server's latency dominates, so a few in
 * parallel keep Holdfast's own overhead small). Each worker claims its next calendar itself, so
 * any number of instances can run this at once.
 */
export async function pullDueCalendars(db: Database, opts: PullOptions & { concurrency?: number; limit?: number } = {}): Promise<{ pulled: number; failed: number; results: PullSummary[] }> {
  const results: PullSummary[] = [];
  // Only what was due when this round began: a long round must not start pulling its first
  // calendars a second time.
  const dueBy = new Date();
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  let claimed = 0;
  const worker = async () => {
    while (claimed < limit) {
      claimed += 1;
      const calendar = await claimCalendar(db, null, dueBy);
      if (!calendar) return;
      results.push(await runPull(db, calendar, opts));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return { pulled: results.length, failed: results.filter((r) => r.status === "failed").length, results };
}

/** Sync-run log retention: rows older than `days` (default 90) go. */
export async function pruneSyncRuns(db: Database, days = 90): Promise<number> {
  const deleted = await db
    .delete(calendarSyncRuns)
    .where(lt(calendarSyncRuns.startedAt, sql`now() - make_interval(days => ${days})`))
    .returning({ id: calendarSyncRuns.id });
  return deleted.length;
}
