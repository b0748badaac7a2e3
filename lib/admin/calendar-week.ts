import { and, asc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { artists, bookingResources, bookings, busyBlocks, resources, services, timeOff, workingHours } from "@/db/schema";
import { scheduleForDate, type WeeklyHours } from "@/lib/availability/find-slots";
import { localDateInZone, zoneAbbreviation, zoneLabel } from "@/lib/time/format-in-zone";
import { dateTimeFormat } from "@/lib/time/intl-cache";
import { wallClockInZone } from "@/lib/time/zone-clock";
import { addDays, DAY_MS, mondayOf } from "@/lib/time/calendar-dates";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { isSupportedDateString, SUPPORTED_RANGE_MESSAGE } from "@/lib/time/supported-dates";

export const calendarWeekQuerySchema = z.object({
  week: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.iso.date({ error: "Use a date like 2026-03-09" }).refine(isSupportedDateString, SUPPORTED_RANGE_MESSAGE).optional(),
  ),
  artist: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(100).optional()),
  lanes: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["artists", "rooms"], { error: "Use artists or rooms" }).optional()),
});

/** What the week view shows: requests and confirmed work; holds are seconds-long and noise here. */
export const CALENDAR_STATUSES = ["pending", "confirmed", "completed"] as const;

export type CalendarItem =
  | { kind: "booking"; id: string; status: string; startMin: number; endMin: number; timeLabel: string; title: string; subtitle: string; continues: boolean }
  | { kind: "busy"; id: string; startMin: number; endMin: number; timeLabel: string; source: "calendar" | "time_off" };

export type CalendarDay = { date: string; label: string; hours: { startMin: number; endMin: number }[]; items: CalendarItem[] };
export type CalendarArtist = { id: string; slug: string; name: string; timezone: string; zoneLabel: string; zoneAbbr: string; days: CalendarDay[] };
export type CalendarWeek = {
  weekStart: string;
  weekEnd: string;
  prevWeek: string;
  nextWeek: string;
  days: string[];
  startHour: number;
  endHour: number;
  artists: CalendarArtist[];
  allArtists: { slug: string; name: string }[];
  selected: string | null;
  /** What each lane of `artists` is: an artist, or a room/station (on the studio's clock). */
  lanes: "artists" | "rooms";
};

const DAY_LABEL: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" };

function dayLabel(date: string) {
  return dateTimeFormat("en-GB", DAY_LABEL).format(new Date(`${date}T00:00:00Z`));
}

function minutesOfDay(time: string) {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Wall-clock position of an instant in a zone: its local date and minutes after local midnight. */
function localPosition(at: Date, timezone: string) {
  const w = wallClockInZone(at, timezone);
  return { date: localDateInZone(at, timezone), minutes: w.hour * 60 + w.minute };
}

const hhmm = (min: number) => `${String(Math.floor(min / 60) % 24).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;

/**
 * A week (Monday to Sunday) of each artist's bookings by status, their busy blocks from calendars
 * and their working hours, every position in the artist's own zone (a Denver artist's column reads
 * Denver time). One artist or all of them side by side.
 */
export async function getCalendarWeek(db: Executor, query: { week?: string; artist?: string; lanes?: "artists" | "rooms" }): Promise<CalendarWeek> {
  const f = calendarWeekQuerySchema.parse(query);
  if (f.lanes === "rooms") return getRoomsWeek(db, f.week);
  const studioZone = (await getStudioSettings(db)).timezone;
  const { weekStart, days, from, to } = weekWindow(f.week, studioZone);

  const allArtists = await db.select().from(artists).orderBy(asc(artists.name));
  const chosen = f.artist ? allArtists.filter((a) => a.slug === f.artist || a.id === f.artist) : allArtists.filter((a) => a.active);
  const ids = chosen.map((a) => a.id);

  const inWeek = (column: typeof bookings.startsAt | typeof busyBlocks.startsAt, endColumn: typeof bookings.endsAt | typeof busyBlocks.endsAt): SQL =>
    and(lt(column, to), gte(endColumn, from))!;

  const [bookingRows, busyRows, hourRows] = ids.length
    ? await Promise.all([
        db
          .select({
            id: bookings.id,
            artistId: bookings.artistId,
            status: bookings.status,
            startsAt: bookings.startsAt,
            endsAt: bookings.endsAt,
            customerName: bookings.customerName,
            serviceName: services.name,
            rooms: sql<string | null>`(select string_agg(r.name, ', ' order by r.name) from ${bookingResources} br
              join ${resources} r on r.id = br.resource_id where br.booking_id = ${bookings.id})`,
          })
          .from(bookings)
          .innerJoin(services, eq(services.id, bookings.serviceId))
          .where(and(inArray(bookings.artistId, ids), inArray(bookings.status, [...CALENDAR_STATUSES]), inWeek(bookings.startsAt, bookings.endsAt)))
          .orderBy(asc(bookings.startsAt)),
        db
          .select()
          .from(busyBlocks)
          .where(and(inArray(busyBlocks.artistId, ids), inWeek(busyBlocks.startsAt, busyBlocks.endsAt))),
        db.select().from(workingHours).where(inArray(workingHours.artistId, ids)),
      ])
    : [[], [], []];

  const columns: CalendarArtist[] = chosen.map((artist) => {
    const hours: WeeklyHours[] = hourRows
      .filter((h) => h.artistId === artist.id)
      .map((h) => ({ effectiveFrom: h.effectiveFrom, weekday: h.weekday, startTime: h.startTime, endTime: h.endTime }));
    const byDate = new Map<string, CalendarDay>(
      days.map((date) => [
        date,
        {
          date,
          label: dayLabel(date),
          hours: scheduleForDate(hours, date).map((h) => ({ startMin: minutesOfDay(h.startTime), endMin: minutesOfDay(h.endTime) || 24 * 60 })),
          items: [],
        },
      ]),
    );
    /** Places [start, end) on every local day it touches, clipped to that day. */
    const place = (start: Date, end: Date, make: (startMin: number, endMin: number, continues: boolean) => CalendarItem) => {
      const s = localPosition(start, artist.timezone);
      const e = localPosition(end, artist.timezone);
      for (let date = s.date; date <= e.date; date = addDays(date, 1)) {
        const day = byDate.get(date);
        const startMin = date === s.date ? s.minutes : 0;
        const endMin = date === e.date ? e.minutes : 24 * 60;
        if (day && endMin > startMin) day.items.push(make(startMin, endMin, date !== e.date));
        if (date > days[6]!) break;
      }
    };
    for (const b of bookingRows.filter((r) => r.artistId === artist.id)) {
      place(b.startsAt, b.endsAt, (startMin, endMin, continues) => ({
        kind: "booking",
        id: b.id,
        status: b.status,
        startMin,
        endMin,
        continues,
        timeLabel: `${hhmm(startMin)}–${hhmm(endMin)}`,
        title: b.customerName ?? "(no name)",
        subtitle: b.rooms ? `${b.serviceName} · ${b.rooms}` : b.serviceName,
      }));
    }
    for (const block of busyRows.filter((r) => r.artistId === artist.id)) {
      place(block.startsAt, block.endsAt, (startMin, endMin) => ({
        kind: "busy",
        id: block.id,
        startMin,
        endMin,
        timeLabel: `${hhmm(startMin)}–${hhmm(endMin)}`,
        source: block.timeOffId ? "time_off" : "calendar",
      }));
    }
    for (const day of byDate.values()) day.items.sort((a, b) => a.startMin - b.startMin);
    const middle = new Date(Date.parse(`${days[3]}T12:00:00Z`));
    return {
      id: artist.id,
      slug: artist.slug,
      name: artist.name,
      timezone: artist.timezone,
      zoneLabel: zoneLabel(artist.timezone, middle),
      zoneAbbr: zoneAbbreviation(middle, artist.timezone),
      days: days.map((d) => byDate.get(d)!),
    };
  });

  return assembleWeek(weekStart, days, columns, { allArtists, selected: f.artist ?? null, lanes: "artists" });
}

/**
 * The same week with one lane per active room or station: which booking has which room, on the
 * studio's clock (rooms stay put; the artist's zone is on the booking). White is when any artist
 * works that day, since a room is only used while someone works. A booking's lane ends with its
 * cleanup time hatched in, as the room cannot be booked then.
 */
async function getRoomsWeek(db: Executor, week: string | undefined): Promise<CalendarWeek> {
  const studioZone = (await getStudioSettings(db)).timezone;
  const { weekStart, days, from, to } = weekWindow(week, studioZone);

  const [rooms, allArtists, hourRows] = await Promise.all([
    db.select().from(resources).where(eq(resources.active, true)).orderBy(asc(resources.kind), asc(resources.name)),
    db.select({ id: artists.id, slug: artists.slug, name: artists.name, active: artists.active }).from(artists).orderBy(asc(artists.name)),
    db.select().from(workingHours),
  ]);
  const activeIds = new Set(allArtists.filter((a) => a.active).map((a) => a.id));
  const uses = rooms.length
    ? await db
        .select({
          id: bookings.id,
          resourceId: bookingResources.resourceId,
          status: bookings.status,
          startsAt: bookings.startsAt,
          endsAt: bookings.endsAt,
          customerName: bookings.customerName,
          serviceName: services.name,
          artistName: artists.name,
        })
        .from(bookingResources)
        .innerJoin(bookings, eq(bookings.id, bookingResources.bookingId))
        .innerJoin(services, eq(services.id, bookings.serviceId))
        .innerJoin(artists, eq(artists.id, bookings.artistId))
        .where(
          and(
            inArray(
              bookingResources.resourceId,
              rooms.map((r) => r.id),
            ),
            inArray(bookings.status, [...CALENDAR_STATUSES]),
            lt(bookings.startsAt, to),
            gte(bookings.endsAt, from),
          ),
        )
        .orderBy(asc(bookings.startsAt))
    : [];

  // Any artist's working time of the date, as one span from the earliest start to the latest end.
  const openOn = (date: string) => {
    const spans = [...activeIds].flatMap((id) =>
      scheduleForDate(
        hourRows
          .filter((h) => h.artistId === id)
          .map((h) => ({ effectiveFrom: h.effectiveFrom, weekday: h.weekday, startTime: h.startTime, endTime: h.endTime })),
        date,
      ).map((h) => ({ startMin: minutesOfDay(h.startTime), endMin: minutesOfDay(h.endTime) || 24 * 60 })),
    );
    return spans.length ? [{ startMin: Math.min(...spans.map((x) => x.startMin)), endMin: Math.max(...spans.map((x) => x.endMin)) }] : [];
  };

  const middle = new Date(Date.parse(`${days[3]}T12:00:00Z`));
  const lanes: CalendarArtist[] = rooms.map((room) => {
    const byDate = new Map<string, CalendarDay>(days.map((date) => [date, { date, label: dayLabel(date), hours: openOn(date), items: [] }]));
    for (const u of uses.filter((x) => x.resourceId === room.id)) {
      const s = localPosition(u.startsAt, studioZone);
      const e = localPosition(u.endsAt, studioZone);
      for (let date = s.date; date <= e.date && date <= days[6]!; date = addDays(date, 1)) {
        const day = byDate.get(date);
        const startMin = date === s.date ? s.minutes : 0;
        const endMin = date === e.date ? e.minutes : 24 * 60;
        if (!day || endMin <= startMin) continue;
        day.items.push({
          kind: "booking",
          id: u.id,
          status: u.status,
          startMin,
          endMin,
          continues: date !== e.date,
          timeLabel: `${hhmm(startMin)}–${hhmm(endMin)}`,
          title: u.customerName ?? "(no name)",
          subtitle: `${u.serviceName} · ${u.artistName}`,
        });
      }
    }
    for (const day of byDate.values()) day.items.sort((a, b) => a.startMin - b.startMin);
    return {
      id: room.id,
      slug: room.id,
      name: room.name,
      timezone: studioZone,
      zoneLabel: zoneLabel(studioZone, middle),
      zoneAbbr: zoneAbbreviation(middle, studioZone),
      days: days.map((d) => byDate.get(d)!),
    };
  });

  return assembleWeek(weekStart, days, lanes, { allArtists, selected: null, lanes: "rooms" });
}

/** The week around its lanes: the hours shown reach from 9 to 18 and as far as any working time or item goes. */
function assembleWeek(
  weekStart: string,
  days: string[],
  lanes: CalendarArtist[],
  rest: { allArtists: { slug: string; name: string }[]; selected: string | null; lanes: CalendarWeek["lanes"] },
): CalendarWeek {
  let startHour = 9;
  let endHour = 18;
  for (const span of lanes.flatMap((lane) => lane.days.flatMap((day) => [...day.hours, ...day.items]))) {
    startHour = Math.min(startHour, Math.floor(span.startMin / 60));
    endHour = Math.max(endHour, Math.ceil(span.endMin / 60));
  }
  return {
    weekStart,
    weekEnd: days[6]!,
    prevWeek: addDays(weekStart, -7),
    nextWeek: addDays(weekStart, 7),
    days,
    startHour: Math.max(0, startHour),
    endHour: Math.min(24, Math.max(endHour, startHour + 1)),
    artists: lanes,
    allArtists: rest.allArtists.map((a) => ({ slug: a.slug, name: a.name })),
    selected: rest.selected,
    lanes: rest.lanes,
  };
}

/** A week (Monday to Sunday) around `week` (default: this week in the studio's zone), and an instant window wide enough for every zone on earth. */
function weekWindow(week: string | undefined, studioZone: string) {
  const weekStart = mondayOf(week ?? localDateInZone(new Date(), studioZone));
  const days = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
  const from = new Date(Date.parse(`${weekStart}T00:00:00Z`) - DAY_MS);
  const to = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 8 * DAY_MS);
  return { weekStart, days, from, to };
}

export type WeekTimeOff = {
  blockId: string;
  timeOffId: string;
  artistId: string;
  artistName: string;
  timezone: string;
  start: Date;
  end: Date;
  reason: string;
};

/**
 * The busy blocks of this week that are time off entered in Holdfast (not mirrored from a
 * calendar), with their reason, so the week view can say which grey blocks are time off.
 */
export async function timeOffBlocksOfWeek(db: Executor, week: Pick<CalendarWeek, "artists">): Promise<WeekTimeOff[]> {
  const busyIds = [...new Set(week.artists.flatMap((a) => a.days.flatMap((d) => d.items.filter((i) => i.kind === "busy").map((i) => i.id))))];
  if (busyIds.length === 0) return [];
  return db
    .select({
      blockId: busyBlocks.id,
      timeOffId: timeOff.id,
      artistId: artists.id,
      artistName: artists.name,
      timezone: artists.timezone,
      start: timeOff.startsAt,
      end: timeOff.endsAt,
      reason: timeOff.reason,
    })
    .from(busyBlocks)
    .innerJoin(timeOff, eq(timeOff.id, busyBlocks.timeOffId))
    .innerJoin(artists, eq(artists.id, timeOff.artistId))
    .where(inArray(busyBlocks.id, busyIds))
    .orderBy(asc(artists.name), asc(timeOff.startsAt));
}
