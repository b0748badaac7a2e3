/**
 * Writes a booking's CURRENT state to the artist's calendar — idempotent, so the job queue can
 * run it any number of times: an active booking is created (If-None-Match: *) or updated
 * (If-Match), a closed one is deleted (If-Match). A 412 means the calendar holds a version we
 * have not seen: fetch it, account for the artist's edit, and try again.
 *
 * A UID is never reused by deleting and re-creating: updates go to the same href, and a server
 * that refuses a UID it remembers (Nextcloud's trash bin answers 400) gets a fresh UID.
 * Transient failures throw, so the job is retried with backoff.
 */
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { artists, bookings, calendarConflicts, calendarObjects, calendars, services, type Booking, type Calendar, type CalendarObject } from "@/db/schema";
import { setAuditContext } from "@/lib/bookings/audit-context";
import { applyArtistEdits, calendarActor, detectArtistEdits, EDIT_CONFLICT_KINDS, hasOpenEditConflict } from "./apply-artist-edits";
import { buildArtistBookingEvent } from "@/lib/ical/build-booking-event";
import { intakePageUrl } from "@/lib/media/signed-links";
import { bookingShowsInCalendar, objectFileName, readObservedEvent, type ObservedEvent } from "./booking-event";
import { CalDavError, type CalDavClient, type FetchedObject, ensureTrailingSlash } from "./caldav-client";
import { clientForCalendar } from "./client-for-calendar";
import { MalformedCalendarObjectError, parseCalendarObject } from "./parse-calendar-object";
import { appUrl } from "@/lib/app-url";
import { childLogger, elapsedMs, type Logger } from "@/lib/log/logger";

const pushLog = childLogger("caldav.push");

export type PushOutcome = "created" | "updated" | "deleted" | "already_absent" | "no_calendar" | "missing" | "held_by_conflict" | "conflict_opened";

export type PushResult = { outcome: PushOutcome; href?: string | null };

/** Rounds before giving up for this attempt (each round follows a 412 or an applied artist edit). */
const MAX_ROUNDS = 5;

type PushContext = {
  booking: Booking;
  serviceName: string;
  timezone: string;
  /** The rooms or stations the booking took, by name ("Room 2"); null when none. */
  resources: string | null;
  /** The artist's calendar that receives bookings (null: none linked or inactive). */
  calendar: Calendar | null;
  /** Where this booking's event lives, if it was ever written. */
  object: (CalendarObject & { calendar: Calendar }) | null;
};

async function loadContext(db: Database, bookingId: string): Promise<PushContext | null> {
  const [row] = await db
    .select({
      booking: bookings,
      serviceName: services.name,
      timezone: artists.timezone,
      resources: sql<string | null>`(select string_agg(r.name, ', ' order by br.kind) from booking_resources br
        join resources r on r.id = br.resource_id where br.booking_id = ${bookings.id})`,
    })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(artists, eq(artists.id, bookings.artistId))
    .where(eq(bookings.id, bookingId));
  if (!row) return null;
  const [calendar] = await db
    .select()
    .from(calendars)
    .where(and(eq(calendars.artistId, row.booking.artistId), eq(calendars.role, "write"), eq(calendars.active, true)))
    .limit(1);
  const objects = await db
    .select({ object: calendarObjects, calendar: calendars })
    .from(calendarObjects)
    .innerJoin(calendars, eq(calendars.id, calendarObjects.calendarId))
    .where(eq(calendarObjects.bookingId, bookingId));
  // Prefer the copy in the current write calendar; any other is from an earlier write calendar.
  const found = objects.find((o) => o.calendar.id === calendar?.id) ?? objects[0];
  return {
    booking: row.booking,
    serviceName: row.serviceName,
    timezone: row.timezone,
    resources: row.resources,
    calendar: calendar ?? null,
    object: found ? { ...found.object, calendar: found.calendar } : null,
  };
}

type Snapshot = { start: Date; end: Date; status: string };

/**
 * Records where the event lives and what it now holds, in one transaction: the calendar_objects
 * row (the pull's basis for telling our own writes from the artist's) and the booking's
 * href/ETag (bookkeeping columns: they do not bump the booking's version).
 */
async function recordEvent(
  db: Database,
  ctx: PushContext,
  calendarId: string,
  href: string,
  etag: string | null,
  uid: string,
  snapshot: Snapshot | null,
  current = false,
) {
  await db.transaction(async (tx) => {
    await setAuditContext(tx, calendarActor, "calendar event written");
    if (current || ctx.booking.caldavHref !== href || ctx.booking.caldavEtag !== etag) {
      await tx
        .update(bookings)
        .set({ caldavHref: href, caldavEtag: etag, ...(current ? { caldavWrittenAt: writtenAtIfUnchanged(ctx.booking) } : {}) })
        .where(eq(bookings.id, ctx.booking.id));
    }
    const values = {
      calendarId,
      href,
      etag,
      uid,
      bookingId: ctx.booking.id,
      icalData: null,
      expandedUntil: null,
      pushedStartsAt: snapshot?.start ?? null,
      pushedEndsAt: snapshot?.end ?? null,
      pushedStatus: snapshot?.status ?? null,
      updatedAt: new Date(),
    };
    await tx
      .insert(calendarObjects)
      .values(values)
      .onConflictDoUpdate({ target: [calendarObjects.calendarId, calendarObjects.href], set: values });
  });
}

/**
 * The journey's "written" time (bookings.caldav_written_at, a bookkeeping column: no new version),
 * only when the booking is still the version this push wrote; a change made meanwhile has queued
 * its own push, which sets it.
 */
function writtenAtIfUnchanged(booking: Booking) {
  return sql`case when ${bookings.version} = ${booking.version} then clock_timestamp() else ${bookings.caldavWrittenAt} end`;
}

/** The event is gone from the calendar: forget where it was (`current`: removing it was this push's aim). */
async function forgetEvent(db: Database, ctx: PushContext, calendarId: string | null, href: string, current = false) {
  await db.transaction(async (tx) => {
    await setAuditContext(tx, calendarActor, "calendar event removed");
    if (calendarId) await tx.delete(calendarObjects).where(and(eq(calendarObjects.calendarId, calendarId), eq(calendarObjects.href, href)));
    await tx
      .update(bookings)
      .set({ caldavHref: null, caldavEtag: null, ...(current ? { caldavWrittenAt: writtenAtIfUnchanged(ctx.booking) } : {}) })
      .where(and(eq(bookings.id, ctx.booking.id), eq(bookings.caldavHref, href)));
  });
}

function observe(object: FetchedObject, timezone: string): ObservedEvent | "unreadable" {
  try {
    return readObservedEvent(parseCalendarObject(object.data), timezone) ?? "unreadable";
  } catch (err) {
    if (err instanceof MalformedCalendarObjectError) return "unreadable";
    throw err;
  }
}

function isOurs(object: FetchedObject, booking: Booking): boolean {
  try {
    const parsed = parseCalendarObject(object.data);
    return parsed.uid === booking.caldavUid || parsed.holdfastBookingId === booking.id;
  } catch {
    return false;
  }
}

/** A new UID for a booking whose old one the server refuses to take back. */
async function rotateUid(db: Database, booking: Booking): Promise<string> {
  const uid = `${booking.id}-${randomBytes(4).toString("hex")}@holdfast`;
  await db.transaction(async (tx) => {
    await setAuditContext(tx, calendarActor, "calendar refused the old UID");
    await tx.update(bookings).set({ caldavUid: uid }).where(eq(bookings.id, booking.id));
  });
  return uid;
}

type Round = { done: PushResult } | { again: true };

/** One attempt at putting an active booking into the calendar. */
async function writeRound(db: Database, client: CalDavClient, ctx: PushContext & { calendar: Calendar }): Promise<Round> {
  const { booking, calendar } = ctx;
  const object = ctx.object?.calendarId === calendar.id ? ctx.object : null;
  const href = object?.href ?? new URL(objectFileName(booking.caldavUid), ensureTrailingSlash(calendar.calendarUrl)).href;
  const event = buildArtistBookingEvent({
    booking,
    serviceName: ctx.serviceName,
    timezone: ctx.timezone,
    appUrl: appUrl(),
    resources: ctx.resources,
    // A request with intake answers or reference images links to them with a signed, expiring link.
    intakeUrl: booking.intakeAnswers == null ? null : intakePageUrl(appUrl(), booking),
  });
  const snapshot: Snapshot = { start: booking.startsAt, end: booking.endsAt, status: event.status };

  if (!object?.etag) {
    const created = await client.createObject(href, event.ics);
    if (created.kind === "created") {
      // Some servers answer a PUT without an ETag; without one the next update could not be conditional.
      const etag = created.etag ?? (await client.fetchEtag(href));
      await recordEvent(db, ctx, calendar.id, href, etag, booking.caldavUid, snapshot, true);
      return { done: { outcome: "created", href } };
    }
    if (created.kind === "uid_taken") {
      await rotateUid(db, booking);
      return { again: true };
    }
    // 412: something is already at our href — usually our own earlier PUT whose answer was lost
    // (a timeout): adopt it and update it, so the calendar ends up with exactly one event.
    const current = await client.fetchObject(calendar.calendarUrl, href);
    if (!current) return { again: true };
    if (!isOurs(current, booking)) throw new Error(`${href} already holds an event that is not booking ${booking.id}`);
    const seen = observe(current, ctx.timezone);
    await recordEvent(
      db,
      ctx,
      calendar.id,
      href,
      current.etag ?? (await client.fetchEtag(href)),
      booking.caldavUid,
      seen === "unreadable" ? null : { start: seen.start, end: seen.end, status: seen.status },
    );
    return { again: true };
  }

  const updated = await client.updateObject(href, event.ics, object.etag);
  if (updated.kind === "updated") {
    const etag = updated.etag ?? (await client.fetchEtag(href));
    await recordEvent(db, ctx, calendar.id, href, etag, booking.caldavUid, snapshot, true);
    return { done: { outcome: "updated", href } };
  }
  const current = updated.kind === "gone" ? null : await client.fetchObject(calendar.calendarUrl, href);
  return reconcileWithCalendar(db, client, ctx, calendar, href, current);
}

/**
 * The calendar holds something else than we last wrote (or nothing). Account for it: an artist
 * edit goes through the studio's policy; anything else (an alarm, a note) is overwritten on the
 * next round, with the new ETag.
 */
async function reconcileWithCalendar(
  db: Database,
  client: CalDavClient,
  ctx: PushContext,
  calendar: Calendar,
  href: string,
  current: FetchedObject | null,
): Promise<Round> {
  const snapshotRow = ctx.object;
  const snapshot = snapshotRow ? { start: snapshotRow.pushedStartsAt, end: snapshotRow.pushedEndsAt, status: snapshotRow.pushedStatus } : null;
  if (!current) {
    await forgetEvent(db, ctx, calendar.id, href);
    const outcome = await applyArtistEdits(db, {
      booking: ctx.booking,
      edits: detectArtistEdits(ctx.booking, snapshot, null),
      calendarId: calendar.id,
      href,
      observed: null,
    });
    return outcome === "conflict" ? { done: { outcome: "conflict_opened", href: null } } : { again: true };
  }
  const seen = observe(current, ctx.timezone);
  const etag = current.etag ?? (await client.fetchEtag(href));
  if (seen === "unreadable") {
    // Not readable as an event any more: ours to repair.
    await recordEvent(db, ctx, calendar.id, href, etag, ctx.booking.caldavUid, null);
    return { again: true };
  }
  await recordEvent(db, ctx, calendar.id, href, etag, ctx.booking.caldavUid, { start: seen.start, end: seen.end, status: seen.status });
  const edits = detectArtistEdits(ctx.booking, snapshot, seen);
  const outcome = await applyArtistEdits(db, { booking: ctx.booking, edits, calendarId: calendar.id, href, observed: seen });
  return outcome === "conflict" ? { done: { outcome: "conflict_opened", href } } : { again: true };
}

/** One attempt at removing a closed booking's event. */
async function removeRound(db: Database, ctx: PushContext): Promise<Round> {
  const object = ctx.object;
  if (!object) {
    if (ctx.booking.caldavHref) await forgetEvent(db, ctx, null, ctx.booking.caldavHref, true);
    return { done: { outcome: "already_absent" } };
  }
  // A paused or unlinked calendar is left alone; its row goes when it is unlinked.
  if (!object.calendar.active) return { done: { outcome: "no_calendar" } };
  assertCredentialsUsable(object.calendar);
  const client = clientForCalendar(object.calendar);
  const etag = object.etag ?? (await client.fetchEtag(object.href));
  const result = etag === null ? "gone" : await client.deleteObject(object.href, etag);
  if (result === "precondition_failed") {
    // The artist touched the event of a booking that is over anyway: delete their version.
    await recordEvent(db, ctx, object.calendarId, object.href, await client.fetchEtag(object.href), object.uid ?? ctx.booking.caldavUid, null);
    return { again: true };
  }
  await forgetEvent(db, ctx, object.calendarId, object.href, true);
  return { done: { outcome: result === "deleted" ? "deleted" : "already_absent", href: object.href } };
}

/** A conflict about an event whose booking is over has nothing left to decide. */
async function resolveEditConflictsOfClosedBooking(db: Database, bookingId: string) {
  await db
    .update(calendarConflicts)
    .set({ status: "resolved", resolution: "booking_closed", resolvedBy: "system", resolvedAt: sql`now()` })
    .where(
      and(
        eq(calendarConflicts.bookingId, bookingId),
        eq(calendarConflicts.status, "open"),
        sql`${calendarConflicts.kind} in (${sql.join(
          EDIT_CONFLICT_KINDS.map((k) => sql`${k}`),
          sql`, `,
        )})`,
      ),
    );
}

/**
 * While the server refuses our login, pushes do not try again on their own: every refused login
 * counts towards Nextcloud's brute-force lock, which would then block the whole Holdfast server.
 * The pull keeps probing (slowly) and clears the flag once the login works again.
 */
function assertCredentialsUsable(calendar: Calendar) {
  if (calendar.lastErrorCode === "unauthorized") {
    throw new CalDavError(
      "unauthorized",
      "The calendar server refused the app password on the last sync; waiting for it to work again (or for a new app password)",
    );
  }
}

/** `log`: the running job's logger (its lines then carry the job's id). */
export async function pushBookingToCalendar(db: Database, bookingId: string, opts: { log?: Logger } = {}): Promise<PushResult> {
  const log = opts.log ?? pushLog;
  const started = performance.now();
  const target: { calendarId?: string } = {};
  try {
    const result = await pushRounds(db, bookingId, target);
    log.info({ bookingId, calendarId: target.calendarId ?? null, outcome: result.outcome, durationMs: elapsedMs(started) }, "calendar push done");
    return result;
  } catch (err) {
    log.warn({ bookingId, calendarId: target.calendarId ?? null, outcome: "error", durationMs: elapsedMs(started), err }, "calendar push failed");
    throw err;
  }
}

async function pushRounds(db: Database, bookingId: string, target: { calendarId?: string }): Promise<PushResult> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const ctx = await loadContext(db, bookingId);
    if (!ctx) return { outcome: "missing" };
    target.calendarId = ctx.calendar?.id ?? ctx.object?.calendarId;
    let step: Round;
    if (!bookingShowsInCalendar(ctx.booking.status)) {
      step = await removeRound(db, ctx);
      if ("done" in step) await resolveEditConflictsOfClosedBooking(db, bookingId);
    } else if (!ctx.calendar) {
      return { outcome: "no_calendar" };
    } else if (await hasOpenEditConflict(db, bookingId)) {
      // The calendar keeps the artist's version until an admin decides.
      return { outcome: "held_by_conflict", href: ctx.object?.href ?? null };
    } else {
      assertCredentialsUsable(ctx.calendar);
      step = await writeRound(db, clientForCalendar(ctx.calendar), { ...ctx, calendar: ctx.calendar });
    }
    if ("done" in step) return step.done;
  }
  throw new Error(`Calendar push for booking ${bookingId} did not settle after ${MAX_ROUNDS} rounds; it will be retried`);
}
