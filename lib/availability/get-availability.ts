import { addDays, differenceInCalendarDays, parseISO } from "date-fns";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { instantInZone } from "@/lib/time/zone-clock";
import type { Executor } from "@/db/client";
import { HoldfastError } from "@/lib/errors";
import { loadBookable, type Bookable } from "@/lib/studio/load-bookable";
import { isSupportedDateString, SUPPORTED_RANGE_MESSAGE } from "@/lib/time/supported-dates";
import { loadResourceNeeds } from "@/lib/resources/load-resource-needs";
import { findSlots, nearestSlots, type BlockedInterval, type ResourceNeed, type Slot } from "./find-slots";
import { loadBlockedIntervals } from "./load-blocked-intervals";
import { cachedScheduleSlots } from "./slot-cache";

export const MAX_AVAILABILITY_DAYS = 62;

export type AvailabilityQuery = { artist: string; service: string; fromDate: string; toDate: string; now?: Date };

/** The instant range that covers whole local days, padded so buffers at the edges are seen. */
function instantRange(timezone: string, fromDate: string, toDate: string) {
  const from = addDays(instantInZone(`${fromDate}T00:00:00`, timezone), -1);
  const to = addDays(instantInZone(`${toDate}T00:00:00`, timezone), 2);
  return { from, to };
}

/**
 * What takes time away between two instants: the artist's blocked intervals and, for a service
 * that needs rooms or stations, its suitable resources' uses (one more query, only then).
 */
export async function loadBusyTime(
  db: Executor,
  bookable: Bookable,
  from: Date,
  to: Date,
  opts: { excludeBookingId?: string } = {},
): Promise<{ blocked: BlockedInterval[]; resources: ResourceNeed[] }> {
  const [blocked, resources] = await Promise.all([
    loadBlockedIntervals(db, bookable.artist.id, from, to, opts),
    bookable.needs.length > 0 ? loadResourceNeeds(db, bookable.service.id, from, to, opts) : Promise.resolve([]),
  ]);
  return { blocked, resources };
}

/** Far enough that no window cuts the schedule's starts; the real window is applied per request. */
const UNBOUNDED_WINDOW_DAYS = 1_000_000;

export async function slotsFor(
  db: Executor,
  bookable: Bookable,
  fromDate: string,
  toDate: string,
  opts: { now?: Date; excludeBookingId?: string; ignoreBlocked?: boolean } = {},
): Promise<Slot[]> {
  const now = opts.now ?? new Date();
  const { from, to } = instantRange(bookable.artist.timezone, fromDate, toDate);
  const schedule = { timezone: bookable.artist.timezone, fromDate, toDate, hours: bookable.hours };
  // Inside a transaction the versions are not written until commit (migration 0019), so a read
  // there sees its own changes only by going to the database.
  const inTransaction = typeof (db as { rollback?: unknown }).rollback === "function";
  if (!opts.ignoreBlocked && !opts.excludeBookingId && !inTransaction) {
    // The schedule's free starts without notice and window (cached while the versions hold), then
    // exactly the two bounds findSlots applies, with this request's "now".
    const cached = await cachedScheduleSlots(db, bookable, fromDate, toDate, async () => {
      const { blocked, resources } = await loadBusyTime(db, bookable, from, to);
      return findSlots({
        ...schedule,
        resources,
        blocked,
        now: new Date(0),
        rules: { ...bookable.rules, minNoticeMinutes: 0, bookingWindowDays: UNBOUNDED_WINDOW_DAYS },
      });
    });
    return withinNoticeAndWindow(cached, bookable.rules, now);
  }
  const { blocked, resources } = opts.ignoreBlocked
    ? { blocked: [], resources: [] }
    : await loadBusyTime(db, bookable, from, to, { excludeBookingId: opts.excludeBookingId });
  return findSlots({ ...schedule, resources, now, rules: bookable.rules, blocked });
}

/** The starts findSlots would keep for `now`: not before the notice, not past the booking window. */
function withinNoticeAndWindow(slots: Slot[], rules: Bookable["rules"], now: Date): Slot[] {
  const earliest = now.getTime() + rules.minNoticeMinutes * 60_000;
  const latest = now.getTime() + rules.bookingWindowDays * 86_400_000;
  return slots.filter((slot) => {
    const start = slot.start.getTime();
    return start >= earliest && start <= latest;
  });
}

/** Free slots for an artist's service between two local dates (inclusive) in the artist's zone. */
export async function getAvailability(db: Executor, query: AvailabilityQuery) {
  const outOfRange = (["fromDate", "toDate"] as const).filter((k) => !isSupportedDateString(query[k]));
  if (outOfRange.length) {
    throw new HoldfastError("invalid_input", SUPPORTED_RANGE_MESSAGE, {
      fields: Object.fromEntries(outOfRange.map((k) => [k === "fromDate" ? "from" : "to", [SUPPORTED_RANGE_MESSAGE]])),
    });
  }
  const span = differenceInCalendarDays(parseISO(query.toDate), parseISO(query.fromDate));
  if (span < 0) throw new HoldfastError("invalid_input", "`to` must not be before `from`", { fields: { to: ["must be on or after from"] } });
  if (span >= MAX_AVAILABILITY_DAYS) {
    throw new HoldfastError("invalid_input", `Ask for at most ${MAX_AVAILABILITY_DAYS} days at a time`, {
      fields: { to: [`at most ${MAX_AVAILABILITY_DAYS} days after from`] },
    });
  }
  const bookable = await loadBookable(db, query.artist, query.service);
  const slots = await slotsFor(db, bookable, query.fromDate, query.toDate, { now: query.now });
  return { bookable, timezone: bookable.artist.timezone, slots };
}

/** Up to `count` free slots nearest to `target`, searched a few days either side of it. */
export async function nearbyFreeSlots(db: Executor, bookable: Bookable, target: Date, count = 5, opts: { excludeBookingId?: string; now?: Date } = {}) {
  const tz = bookable.artist.timezone;
  const fromDate = localDateInZone(addDays(target, -3), tz);
  const toDate = localDateInZone(addDays(target, 7), tz);
  const slots = await slotsFor(db, bookable, fromDate, toDate, opts);
  return nearestSlots(slots, target, count).map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));
}
