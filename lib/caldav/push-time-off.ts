/**
 * Writes an artist's time off into their write calendar as a busy event, or removes it. Much
 * simpler than the booking push: Holdfast never updates the event (time off is added or removed,
 * never edited) and an artist's edit of it changes nothing here, so there is nothing to reconcile.
 * Idempotent for the queue: a 412 on create means our own earlier PUT landed (adopt it), a 404 on
 * delete means it is already gone. Transient failures throw, so the job is retried with backoff.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { artists, calendars, timeOff, type Calendar } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { buildEventCalendar } from "@/lib/ical/build-event-calendar";
import type { TimeOffPushPayload } from "@/lib/studio/time-off";
import { objectFileName } from "./booking-event";
import { CalDavError, ensureTrailingSlash } from "./caldav-client";
import { clientForCalendar } from "./client-for-calendar";

export type TimeOffPushOutcome = "created" | "adopted" | "already_written" | "deleted" | "already_absent" | "no_calendar" | "missing";

const MAX_DELETE_ROUNDS = 3;

/** The event of one time off: opaque, confirmed, no ORGANIZER/ATTENDEE (the server would send invitations). */
export function buildTimeOffEvent(input: { id: string; uid: string; start: Date; end: Date; reason: string; timezone: string; dtstamp: Date }): string {
  return buildEventCalendar({
    uid: input.uid,
    sequence: 0,
    summary: input.reason ? `Time off: ${input.reason}` : "Time off",
    description: `Time off entered in Holdfast (id ${input.id}). Remove it in Holdfast, not here: Holdfast keeps the time blocked until then.`,
    start: input.start,
    end: input.end,
    timezone: input.timezone,
    status: "CONFIRMED",
    url: new URL(`/admin/studio`, appUrl()).href,
    // The builder always writes X-HOLDFAST-BOOKING-ID; empty, so nothing reads this event as a booking.
    dtstamp: input.dtstamp,
  });
}

/** See push-booking.ts: while the server refuses our login, do not add to Nextcloud's brute-force count. */
function assertCredentialsUsable(calendar: Calendar) {
  if (calendar.lastErrorCode === "unauthorized") {
    throw new CalDavError("unauthorized", "The calendar server refused the app password on the last sync; waiting for it to work again");
  }
}

async function writeTimeOff(db: Database, timeOffId: string): Promise<TimeOffPushOutcome> {
  const [row] = await db
    .select({ timeOff, timezone: artists.timezone })
    .from(timeOff)
    .innerJoin(artists, eq(artists.id, timeOff.artistId))
    .where(eq(timeOff.id, timeOffId));
  // Removed before its create ran: the removal job (same key, same queue) takes care of the calendar.
  if (!row) return "missing";
  if (row.timeOff.caldavHref) return "already_written";
  const [calendar] = await db
    .select()
    .from(calendars)
    .where(and(eq(calendars.artistId, row.timeOff.artistId), eq(calendars.role, "write"), eq(calendars.active, true)))
    .limit(1);
  if (!calendar) return "no_calendar";
  assertCredentialsUsable(calendar);
  const client = clientForCalendar(calendar);
  const href = new URL(objectFileName(row.timeOff.caldavUid), ensureTrailingSlash(calendar.calendarUrl)).href;
  const ics = buildTimeOffEvent({
    id: row.timeOff.id,
    uid: row.timeOff.caldavUid,
    start: row.timeOff.startsAt,
    end: row.timeOff.endsAt,
    reason: row.timeOff.reason,
    timezone: row.timezone,
    dtstamp: row.timeOff.createdAt,
  });
  const created = await client.createObject(href, ics);
  if (created.kind === "uid_taken") throw new Error(`The calendar already holds an event with the UID of time off ${timeOffId} elsewhere`);
  // 412: our own earlier PUT landed but its answer was lost; the href is derived from our UID.
  const etag = created.kind === "created" ? (created.etag ?? (await client.fetchEtag(href))) : await client.fetchEtag(href);
  await db.update(timeOff).set({ caldavHref: href, caldavEtag: etag }).where(eq(timeOff.id, timeOffId));
  return created.kind === "created" ? "created" : "adopted";
}

async function deleteTimeOff(db: Database, payload: Extract<TimeOffPushPayload, { action: "delete" }>): Promise<TimeOffPushOutcome> {
  const [calendar] = await db.select().from(calendars).where(eq(calendars.id, payload.calendarId));
  // Unlinked or paused since: nothing of ours to remove there any more (as for bookings).
  if (!calendar?.active) return "no_calendar";
  assertCredentialsUsable(calendar);
  const client = clientForCalendar(calendar);
  // A create still in flight when the time off was removed wrote to the href its UID names.
  const href = payload.href ?? new URL(objectFileName(payload.uid), ensureTrailingSlash(calendar.calendarUrl)).href;
  let etag = payload.etag ?? (await client.fetchEtag(href));
  for (let round = 0; round < MAX_DELETE_ROUNDS; round += 1) {
    if (etag === null) return "already_absent";
    const result = await client.deleteObject(href, etag);
    if (result === "deleted") return "deleted";
    if (result === "gone") return "already_absent";
    // 412: the artist touched the event (an alarm, a note); the time off is gone anyway.
    etag = await client.fetchEtag(href);
  }
  throw new Error(`Removing the calendar event of time off ${payload.timeOffId} did not settle; it will be retried`);
}

export async function pushTimeOffToCalendar(db: Database, payload: TimeOffPushPayload): Promise<TimeOffPushOutcome> {
  return payload.action === "write" ? writeTimeOff(db, payload.timeOffId) : deleteTimeOff(db, payload);
}
