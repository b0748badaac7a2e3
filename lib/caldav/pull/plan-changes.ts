/**
 * Planning a pull (no writes yet): which fetched objects are Holdfast's own bookings, which are
 * the artist's events and what they block, and which cannot be read. One object that cannot be
 * parsed or expanded is skipped with its reason — it never stops the rest of the calendar.
 */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { bookings, timeOff, type Booking, type Calendar } from "@/db/schema";
import { holdfastIdentifiers, readObservedEvent, type ObservedEvent } from "../booking-event";
import { hrefKey, type FetchedObject } from "../caldav-client";
import { expandBusyIntervals, type BusyInterval } from "../expand-busy-intervals";
import { MalformedCalendarObjectError, parseCalendarObject, type ParsedCalendarObject } from "../parse-calendar-object";
import { staleExpansions, type Known, type KnownObject } from "./read-changes";
import { childLogger } from "@/lib/log/logger";

const log = childLogger("caldav.pull");

export type ForeignObject = { href: string; etag: string | null; uid: string | null; parsed: ParsedCalendarObject; data: string; intervals: BusyInterval[] };
export type OwnObject = {
  href: string;
  etag: string | null;
  uid: string | null;
  booking: Booking;
  observed: ObservedEvent | null;
  previous: KnownObject | undefined;
};
/**
 * An object Holdfast could not read, with the ETag that reason applies to. `storedCopy`: the
 * source kept for re-expansion failed, the server's version was not read again.
 */
export type SkippedObject = { href: string; etag: string | null; uid: string | null; reason: string; storedCopy: boolean };
export type Plan = {
  foreign: ForeignObject[];
  own: OwnObject[];
  deleted: string[];
  reexpanded: { href: string; intervals: BusyInterval[] }[];
  skipped: SkippedObject[];
  warnings: string[];
};

/** The reason an object is skipped; a failure that is not about the data is logged with its stack too. */
function skipReason(what: string, href: string, err: unknown): string {
  if (err instanceof MalformedCalendarObjectError) return err.message;
  log.error({ href, step: what, err }, "calendar object failed unexpectedly; skipping it");
  return `${what} failed: ${err instanceof Error ? err.message : String(err)}`;
}

/** The UID of text we could not parse, when a line says it (so an admin can find the event). */
function uidInText(data: string): string | null {
  return (
    /^UID:(.+)$/m
      .exec(data.replace(/\r?\n[ \t]/g, ""))?.[1]
      ?.trim()
      .slice(0, 500) || null
  );
}

function parseFetched(objects: FetchedObject[]) {
  const parsed: { object: FetchedObject; parsed: ParsedCalendarObject }[] = [];
  const skipped: SkippedObject[] = [];
  for (const object of objects) {
    try {
      parsed.push({ object, parsed: parseCalendarObject(object.data) });
    } catch (err) {
      skipped.push({ href: object.href, etag: object.etag, uid: uidInText(object.data), reason: skipReason("reading", object.href, err), storedCopy: false });
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

/**
 * UIDs of these objects that are the artist's time off written by Holdfast (lib/caldav/push-time-off.ts).
 * That time is already blocked by the time off's own busy block; mirroring the event would block
 * it twice and keep it blocked after the time off is removed, until the next pull.
 */
async function ownTimeOffUids(db: Database, calendar: Calendar, objects: ParsedCalendarObject[]): Promise<Set<string>> {
  const uids = [...new Set(objects.map((p) => p.uid).filter((u): u is string => Boolean(u?.startsWith("timeoff-"))))];
  if (uids.length === 0) return new Set();
  const rows = await db
    .select({ uid: timeOff.caldavUid })
    .from(timeOff)
    .where(sql`${timeOff.artistId} = ${calendar.artistId} and ${timeOff.caldavUid} = any(${sql.param(uids)}::text[])`);
  return new Set(rows.map((r) => r.uid));
}

export async function planChanges(
  db: Database,
  calendar: Calendar,
  fetched: FetchedObject[],
  deleted: string[],
  known: Known,
  timezone: string,
  window: { from: Date; to: Date },
): Promise<Plan> {
  const { parsed, skipped } = parseFetched(fetched);
  const { byUid, byId } = await bookingsFor(
    db,
    parsed.map((p) => p.parsed),
  );
  const timeOffUids = await ownTimeOffUids(
    db,
    calendar,
    parsed.map((p) => p.parsed),
  );
  const plan: Plan = { foreign: [], own: [], deleted, reexpanded: [], skipped, warnings: [] };
  const expandWindow = { from: window.from, to: window.to, fallbackZone: timezone };

  for (const { object, parsed: p } of parsed) {
    plan.warnings.push(...p.warnings.map((w) => `${object.href}: ${w}`));
    const ids = holdfastIdentifiers(p);
    const booking = (ids.bookingId ? byId.get(ids.bookingId) : undefined) ?? (ids.uid ? byUid.get(ids.uid) : undefined);
    try {
      if (booking && booking.artistId === calendar.artistId) {
        plan.own.push({
          href: object.href,
          etag: object.etag,
          uid: p.uid,
          booking,
          observed: readObservedEvent(p, timezone),
          previous: known.get(hrefKey(object.href)),
        });
        continue;
      }
      // Holdfast's own time-off event: kept as a known object (so it is not fetched again) that
      // blocks nothing. Once its time off is removed the UID no longer matches and it would be
      // mirrored like any event of the artist's — the removal job deletes it first.
      if (p.uid && timeOffUids.has(p.uid)) {
        plan.foreign.push({ href: object.href, etag: object.etag, uid: p.uid, parsed: p, data: object.data, intervals: [] });
        continue;
      }
      const expansion = expandBusyIntervals(p, expandWindow);
      plan.warnings.push(...expansion.warnings.map((w) => `${object.href}: ${w}`));
      plan.foreign.push({ href: object.href, etag: object.etag, uid: p.uid, parsed: p, data: object.data, intervals: expansion.intervals });
    } catch (err) {
      plan.skipped.push({ href: object.href, etag: object.etag, uid: p.uid, reason: skipReason("expanding", object.href, err), storedCopy: false });
    }
  }

  // Recurring events whose expansion the rolling horizon has outrun: re-expand from the stored
  // source, without asking the server (sync-collection never reports an unchanged object).
  const touched = new Set([...fetched.map((f) => hrefKey(f.href)), ...deleted.map(hrefKey)]);
  for (const row of await staleExpansions(db, calendar.id, window.to)) {
    if (!row.icalData || touched.has(hrefKey(row.href))) continue;
    try {
      plan.reexpanded.push({ href: row.href, intervals: expandBusyIntervals(parseCalendarObject(row.icalData), expandWindow).intervals });
    } catch (err) {
      plan.skipped.push({
        href: row.href,
        etag: row.etag,
        uid: row.uid,
        reason: `stored copy unreadable: ${skipReason("re-expanding", row.href, err)}`,
        storedCopy: true,
      });
    }
  }
  return plan;
}
