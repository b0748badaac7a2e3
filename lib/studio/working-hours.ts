import { and, asc, desc, eq, gte, inArray } from "drizzle-orm";
import { instantInZone } from "@/lib/time/zone-clock";
import type { Database, Executor } from "@/db/client";
import { artists, bookings, services, workingHours } from "@/db/schema";
import { offersStart, scheduleForDate, type WeeklyHours } from "@/lib/availability/find-slots";
import { HoldfastError, notFound } from "@/lib/errors";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { parseOrThrow } from "./parse";
import { workingHoursInputSchema, type WorkingHoursInput } from "./schemas";

export type OutsideHoursBooking = {
  id: string;
  status: string;
  version: number;
  start: string;
  end: string;
  timezone: string;
  localDate: string;
  customerName: string | null;
  customerEmail: string | null;
  serviceName: string;
  artistId: string;
  artistName: string;
  /** The hours in force that day, e.g. ["10:00–14:00"], or [] for a day off. */
  hoursThatDay: string[];
};

const short = (time: string) => time.slice(0, 5);

async function artistHours(db: Executor, artistId: string): Promise<WeeklyHours[]> {
  const rows = await db.select().from(workingHours).where(eq(workingHours.artistId, artistId));
  return rows.map((h) => ({ effectiveFrom: h.effectiveFrom, weekday: h.weekday, startTime: h.startTime, endTime: h.endTime }));
}

/**
 * Does [start, end) fit inside the artist's working hours of that local day? Asked the way the
 * slot algorithm itself decides it (same DST handling, same "the session, not its buffers, must
 * fit" rule): would findSlots offer exactly this start for exactly this duration, with nothing
 * else in the way and a one-minute grid?
 */
export function fitsWorkingHours(hours: WeeklyHours[], timezone: string, start: Date, end: Date): boolean {
  const durationMinutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  if (durationMinutes <= 0) return false;
  return offersStart(
    {
      timezone,
      now: start,
      hours,
      rules: { durationMinutes, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, bookingWindowDays: 1, slotStepMinutes: 1 },
      blocked: [],
    },
    start,
  );
}

/**
 * Upcoming requests and confirmed bookings that fall outside the artist's working hours as they
 * are now (e.g. after new hours were saved). Listed for an admin to review; nothing is changed.
 */
export async function bookingsOutsideHours(
  db: Executor,
  artistIds: string | string[],
  opts: { fromDate?: string; now?: Date } = {},
): Promise<OutsideHoursBooking[]> {
  const ids = Array.isArray(artistIds) ? artistIds : [artistIds];
  if (ids.length === 0) return [];
  const now = opts.now ?? new Date();
  const artistRows = await db.select().from(artists).where(inArray(artists.id, ids));
  const out: OutsideHoursBooking[] = [];
  for (const artist of artistRows) {
    const hours = await artistHours(db, artist.id);
    const fromDateStart = opts.fromDate ? instantInZone(`${opts.fromDate}T00:00:00`, artist.timezone) : now;
    const from = fromDateStart > now ? fromDateStart : now;
    const rows = await db
      .select({ booking: bookings, serviceName: services.name })
      .from(bookings)
      .innerJoin(services, eq(services.id, bookings.serviceId))
      .where(and(eq(bookings.artistId, artist.id), inArray(bookings.status, ["pending", "confirmed"]), gte(bookings.endsAt, from)))
      .orderBy(asc(bookings.startsAt));
    for (const { booking: b, serviceName } of rows) {
      if (fitsWorkingHours(hours, artist.timezone, b.startsAt, b.endsAt)) continue;
      const localDate = localDateInZone(b.startsAt, artist.timezone);
      out.push({
        id: b.id,
        status: b.status,
        version: b.version,
        start: b.startsAt.toISOString(),
        end: b.endsAt.toISOString(),
        timezone: artist.timezone,
        localDate,
        customerName: b.customerName,
        customerEmail: b.customerEmail,
        serviceName,
        artistId: artist.id,
        artistName: artist.name,
        hoursThatDay: scheduleForDate(hours, localDate).map((h) => `${short(h.startTime)}–${short(h.endTime)}`),
      });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * Saves a new version of an artist's weekly hours, taking effect on `effectiveFrom` (today or
 * later in the artist's zone; the past keeps the hours it had). Saving the same date again
 * replaces that version. Bookings are never touched: the ones that now fall outside the hours
 * come back for review.
 */
export async function saveWorkingHours(db: Database, input: WorkingHoursInput, opts: { now?: Date } = {}) {
  const data = parseOrThrow(workingHoursInputSchema, input);
  const [artist] = await db.select().from(artists).where(eq(artists.id, data.artistId));
  if (!artist) throw notFound("That artist");
  const today = localDateInZone(opts.now ?? new Date(), artist.timezone);
  if (data.effectiveFrom < today) {
    throw new HoldfastError("invalid_input", "New hours can take effect today or later; the past keeps the hours it had", {
      fields: { effectiveFrom: [`Choose ${today} or later`] },
    });
  }
  const overlapping = findOverlap(data.hours);
  if (overlapping) throw new HoldfastError("invalid_input", overlapping, { fields: { hours: [overlapping] } });

  const rows = await db.transaction(async (tx) => {
    await tx.delete(workingHours).where(and(eq(workingHours.artistId, artist.id), eq(workingHours.effectiveFrom, data.effectiveFrom)));
    return tx
      .insert(workingHours)
      .values(
        data.hours.map((h) => ({
          artistId: artist.id,
          effectiveFrom: data.effectiveFrom,
          weekday: h.weekday,
          startTime: h.start,
          endTime: h.end === "24:00" ? "24:00:00" : h.end,
        })),
      )
      .returning();
  });
  const outsideHours = await bookingsOutsideHours(db, artist.id, { fromDate: data.effectiveFrom, now: opts.now });
  return { artistId: artist.id, effectiveFrom: data.effectiveFrom, rows, outsideHours };
}

const WEEKDAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function findOverlap(hours: { weekday: number; start: string; end: string }[]): string | null {
  const sorted = [...hours].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.weekday === cur.weekday && cur.start < prev.end) return `${WEEKDAYS[cur.weekday]}: ${prev.start}–${prev.end} and ${cur.start}–${cur.end} overlap`;
  }
  return null;
}

export type HoursVersion = { effectiveFrom: string; inForce: boolean; ranges: { weekday: number; start: string; end: string }[] };

/** An artist's schedule versions, newest first, marking the one in force today. */
export async function listWorkingHoursVersions(db: Executor, artistId: string, opts: { now?: Date } = {}): Promise<HoursVersion[]> {
  const [artist] = await db.select({ timezone: artists.timezone }).from(artists).where(eq(artists.id, artistId));
  if (!artist) throw notFound("That artist");
  const rows = await db
    .select()
    .from(workingHours)
    .where(eq(workingHours.artistId, artistId))
    .orderBy(desc(workingHours.effectiveFrom), asc(workingHours.weekday), asc(workingHours.startTime));
  const today = localDateInZone(opts.now ?? new Date(), artist.timezone);
  const byDate = new Map<string, HoursVersion>();
  for (const r of rows) {
    let v = byDate.get(r.effectiveFrom);
    if (!v) {
      v = { effectiveFrom: r.effectiveFrom, inForce: false, ranges: [] };
      byDate.set(r.effectiveFrom, v);
    }
    v.ranges.push({ weekday: r.weekday, start: short(r.startTime), end: short(r.endTime) });
  }
  const versions = [...byDate.values()];
  const current = versions.find((v) => v.effectiveFrom <= today);
  if (current) current.inForce = true;
  return versions;
}

/** The review list for the whole studio: every active artist's upcoming bookings outside their hours. */
export async function bookingsOutsideHoursForStudio(db: Executor, opts: { now?: Date } = {}) {
  const active = await db.select({ id: artists.id }).from(artists).where(eq(artists.active, true));
  return bookingsOutsideHours(
    db,
    active.map((a) => a.id),
    opts,
  );
}
