/**
 * An artist's time off. Creating it writes the time_off row AND a busy_blocks row (calendar_id
 * null, time_off_id set) in one transaction, so availability (loadBlockedIntervals) and the hold
 * function (holdfast_place_hold checks busy_blocks) refuse the time at once with no rule of their
 * own. The calendar pull only ever replaces blocks of its own calendar, so it never touches these.
 *
 * Bookings already inside the time off are listed for the admin to move or cancel: they are never
 * moved or cancelled here. The busy event in the artist's write calendar is written by the
 * push_time_off_to_calendar job (lib/caldav/push-time-off.ts), queued in the same transaction.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { artists, bookings, busyBlocks, calendars, timeOff, type TimeOff } from "@/db/schema";
import { setAuditContext, type Actor } from "@/lib/bookings/audit-context";
import { singleLineString } from "@/lib/bookings/schemas";
import { invalidInput, notFound } from "@/lib/errors";
import { addJob } from "@/lib/jobs/add-job";
import { isSupportedInstant } from "@/lib/time/supported-dates";
import { instantInZone } from "@/lib/time/zone-clock";
import { addDays } from "@/lib/time/calendar-dates";

export const MAX_TIME_OFF_DAYS = 366;
const DAY_MS = 86_400_000;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const timeValue = z
  .string()
  .trim()
  .refine(
    (v) => DATE_RE.test(v) || (INSTANT_RE.test(v) && !Number.isNaN(Date.parse(v))),
    "Use a day like 2026-03-14 or a time with a zone, like 2026-03-14T10:00:00Z",
  );

/**
 * `start`/`end`: whole days ("YYYY-MM-DD", on the artist's clock, the end day included) or ISO
 * instants with a zone. Both of the same kind; that the range is forward and at most a year is
 * checked once the days are placed in the artist's zone (addTimeOff).
 */
export const timeOffInputSchema = z
  .object({
    start: timeValue,
    end: timeValue,
    reason: singleLineString("Use a single line without control characters").trim().max(200, "Keep the reason under 200 characters").optional(),
  })
  .refine((v) => DATE_RE.test(v.start) === DATE_RE.test(v.end), { path: ["end"], message: "Give both as days, or both as times" });

export type TimeOffInput = z.input<typeof timeOffInputSchema>;

export const timeOffListQuerySchema = z.object({
  from: z.iso.datetime({ offset: true, error: "Use an ISO-8601 time with a zone" }).optional(),
  to: z.iso.datetime({ offset: true, error: "Use an ISO-8601 time with a zone" }).optional(),
});

export type BookingInside = { id: string; status: string; startsAt: Date; endsAt: Date; customerName: string | null };

/** The UID of the time off's event in the artist's calendar; the pull recognises the prefix (lib/caldav/pull/plan-changes.ts). */
export const TIME_OFF_UID_PREFIX = "timeoff-";
export const timeOffUid = (id: string) => `${TIME_OFF_UID_PREFIX}${id}@holdfast`;

/** One job per time off: a removal replaces a create that has not run yet. */
export const timeOffPushJobKey = (id: string) => `caldav-push:time-off:${id}`;

/** Start and end instants of a range on the artist's clock (a day range ends at 00:00 after its last day). */
export function resolveTimeOffRange(input: { start: string; end: string }, timezone: string): { start: Date; end: Date } {
  const days = DATE_RE.test(input.start);
  const start = days ? instantInZone(input.start, timezone) : new Date(input.start);
  const end = days ? instantInZone(addDays(input.end, 1), timezone) : new Date(input.end);
  if (Number.isNaN(start.getTime()) || !isSupportedInstant(start)) throw invalidInput({ start: ["Not a real day or time"] });
  if (Number.isNaN(end.getTime()) || !isSupportedInstant(end)) throw invalidInput({ end: ["Not a real day or time"] });
  if (end.getTime() <= start.getTime()) throw invalidInput({ end: ["The end must be after the start"] });
  // Days are counted as days: a year of them may be an hour longer than 366 × 24 h across a clock change.
  const length = days ? Date.parse(`${input.end}T00:00:00Z`) - Date.parse(`${input.start}T00:00:00Z`) + DAY_MS : end.getTime() - start.getTime();
  if (length > MAX_TIME_OFF_DAYS * DAY_MS) throw invalidInput({ end: [`Time off can be at most ${MAX_TIME_OFF_DAYS} days at a time`] });
  return { start, end };
}

/** Pending and confirmed bookings of the artist that overlap [start, end). */
export async function bookingsInside(db: Executor, artistId: string, start: Date, end: Date): Promise<BookingInside[]> {
  return db
    .select({ id: bookings.id, status: bookings.status, startsAt: bookings.startsAt, endsAt: bookings.endsAt, customerName: bookings.customerName })
    .from(bookings)
    .where(
      and(
        eq(bookings.artistId, artistId),
        inArray(bookings.status, ["awaiting_payment", "pending", "confirmed"]),
        lt(bookings.startsAt, end),
        gt(bookings.endsAt, start),
      ),
    )
    .orderBy(asc(bookings.startsAt));
}

/** The artist's active write calendar, whose queue the push joins (none: nothing to write). */
async function writeCalendarId(db: Executor, artistId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: calendars.id })
    .from(calendars)
    .where(and(eq(calendars.artistId, artistId), eq(calendars.role, "write"), eq(calendars.active, true)))
    .limit(1);
  return row?.id ?? null;
}

export type TimeOffPushPayload =
  { timeOffId: string; action: "write" } | { timeOffId: string; action: "delete"; calendarId: string; href: string | null; uid: string; etag: string | null };

/** Same queue as the artist's booking pushes (one per calendar), so a removal never overtakes its create. */
async function queuePush(db: Executor, calendarId: string, payload: TimeOffPushPayload) {
  await addJob(db, "push_time_off_to_calendar", payload, { jobKey: timeOffPushJobKey(payload.timeOffId), queueName: `caldav:${calendarId}`, maxAttempts: 25 });
}

function actorLabel(actor: Actor): string {
  return actor.id ? `${actor.kind}:${actor.id}` : actor.kind;
}

export async function addTimeOff(
  db: Executor,
  input: { artistId: string; start: string; end: string; reason?: string; actor: Actor },
): Promise<{ timeOff: TimeOff; bookingsInside: BookingInside[] }> {
  const parsed = timeOffInputSchema.safeParse({ start: input.start, end: input.end, reason: input.reason });
  if (!parsed.success) throw invalidInput(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  const [artist] = await db.select({ id: artists.id, timezone: artists.timezone }).from(artists).where(eq(artists.id, input.artistId));
  if (!artist) throw notFound("That artist");
  const { start, end } = resolveTimeOffRange(parsed.data, artist.timezone);

  return db.transaction(async (tx) => {
    await setAuditContext(tx, input.actor, "time off");
    const id = randomUUID();
    const [row] = await tx
      .insert(timeOff)
      .values({
        id,
        artistId: artist.id,
        startsAt: start,
        endsAt: end,
        reason: parsed.data.reason ?? "",
        createdBy: actorLabel(input.actor),
        caldavUid: timeOffUid(id),
      })
      .returning();
    await tx.insert(busyBlocks).values({ artistId: artist.id, calendarId: null, timeOffId: id, startsAt: start, endsAt: end });
    const calendarId = await writeCalendarId(tx, artist.id);
    if (calendarId) await queuePush(tx, calendarId, { timeOffId: id, action: "write" });
    return { timeOff: row!, bookingsInside: await bookingsInside(tx, artist.id, start, end) };
  });
}

/** Removes the time off (its busy block goes with it, ON DELETE CASCADE) and queues the removal of its calendar event. */
export async function removeTimeOff(db: Executor, id: string, actor: Actor): Promise<TimeOff> {
  return db.transaction(async (tx) => {
    await setAuditContext(tx, actor, "time off removed");
    const [row] = await tx.delete(timeOff).where(eq(timeOff.id, id)).returning();
    if (!row) throw notFound("That time off");
    // Where the event went, else the calendar it would go to (a create may still be queued or in flight).
    const calendarId = (await writeCalendarId(tx, row.artistId)) ?? null;
    if (calendarId) {
      await queuePush(tx, calendarId, { timeOffId: row.id, action: "delete", calendarId, href: row.caldavHref, uid: row.caldavUid, etag: row.caldavEtag });
    }
    return row;
  });
}

/** The artist's time off overlapping [from, to) (both optional), earliest first. */
export async function listTimeOff(db: Executor, artistId: string, range: { from?: Date; to?: Date } = {}): Promise<TimeOff[]> {
  const [artist] = await db.select({ id: artists.id }).from(artists).where(eq(artists.id, artistId));
  if (!artist) throw notFound("That artist");
  return db
    .select()
    .from(timeOff)
    .where(and(eq(timeOff.artistId, artistId), range.to ? lt(timeOff.startsAt, range.to) : undefined, range.from ? gt(timeOff.endsAt, range.from) : undefined))
    .orderBy(asc(timeOff.startsAt));
}

/** The JSON shape of a time off (lib/studio/response-schemas.ts timeOffSchema). */
export function serializeTimeOff(row: TimeOff) {
  return {
    id: row.id,
    artistId: row.artistId,
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    reason: row.reason,
    createdBy: row.createdBy,
    inCalendar: row.caldavHref !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function serializeBookingInside(b: BookingInside) {
  return { id: b.id, status: b.status, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), customerName: b.customerName };
}
