import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { Bookable } from "@/lib/studio/load-bookable";
import type { Slot } from "./find-slots";

/**
 * The schedule's starts for one artist, service and range with nothing but the database's busy time
 * applied (no notice, no window: those depend on "now" and are applied per request), kept in this
 * process while the database says nothing that decides free time has changed since.
 *
 * Why it is safe across app instances: every change that takes or frees time (bookings and holds,
 * busy blocks, time off, resources and who may use them) writes a fresh number into
 * `availability_versions` in its own transaction (migration 0019). A read first fetches the
 * versions of its scopes (the artist, each needed resource kind) in one indexed statement and uses
 * the cached starts only when they equal the ones they were computed under; otherwise it reads the
 * busy time again. The versions are read before the busy time, so a cached answer is never
 * newer-tagged than its data. Hours, rules, zone and duration are part of the key (they come fresh
 * from loadBookable each time). A hold expiring by the clock changes no row until the tick marks it
 * expired, which bumps the version; until then the cache only hides a time, never offers one. And
 * whatever a cache answered, holdfast_place_hold and the exclusion constraints decide: a stale
 * answer ends in a 409, never in a double booking.
 */

type Entry = { versions: string; slots: Slot[] };

const MAX_ENTRIES_PER_POOL = 5_000;
/** Per connection pool: two databases (tests, a bench) never answer from each other's entries. */
let cachesByPool = new WeakMap<object, Map<string, Entry>>();

function entriesOf(db: Executor): Map<string, Entry> {
  const pool = (db as unknown as { $client?: object }).$client ?? (db as object);
  let entries = cachesByPool.get(pool);
  if (!entries) cachesByPool.set(pool, (entries = new Map()));
  return entries;
}

/** The scopes whose versions decide an answer for this bookable: the artist and each needed resource kind. */
export function availabilityScopes(bookable: Pick<Bookable, "artist" | "needs">): string[] {
  return [`artist:${bookable.artist.id}`, ...bookable.needs.map((kind) => `resource-kind:${kind}`)];
}

/** The current versions of the scopes as one comparable string ("0" for a scope nothing has changed yet). */
async function readVersions(db: Executor, scopes: string[]): Promise<string> {
  const result = await db.execute<{ scope: string; version: string }>(
    sql`select scope, version::text as version from availability_versions where scope in (${sql.join(
      scopes.map((s) => sql`${s}`),
      sql`, `,
    )})`,
  );
  const byScope = new Map(result.rows.map((r) => [r.scope, r.version]));
  return scopes.map((s) => byScope.get(s) ?? "0").join("|");
}

function keyOf(bookable: Bookable, fromDate: string, toDate: string): string {
  const { durationMinutes, bufferBeforeMinutes, bufferAfterMinutes, slotStepMinutes } = bookable.rules;
  return [
    bookable.artist.id,
    bookable.service.id,
    bookable.artist.timezone,
    fromDate,
    toDate,
    durationMinutes,
    bufferBeforeMinutes,
    bufferAfterMinutes,
    slotStepMinutes,
    bookable.needs.join(","),
    JSON.stringify(bookable.hours),
  ].join("|");
}

/**
 * The schedule's free starts (busy time applied; notice and window not) from the cache when still
 * valid, else from `compute` (which must read the busy time after this call's version check).
 */
export async function cachedScheduleSlots(db: Executor, bookable: Bookable, fromDate: string, toDate: string, compute: () => Promise<Slot[]>): Promise<Slot[]> {
  const entries = entriesOf(db);
  // Read with the bookable when it came from loadBookable (one round trip for a cached answer).
  const versions = bookable.availabilityVersions ?? (await readVersions(db, availabilityScopes(bookable)));
  const key = keyOf(bookable, fromDate, toDate);
  const hit = entries.get(key);
  if (hit && hit.versions === versions) return hit.slots;
  const slots = await compute();
  entries.delete(key);
  entries.set(key, { versions, slots });
  // Oldest first out: a Map iterates in insertion order.
  if (entries.size > MAX_ENTRIES_PER_POOL) entries.delete(entries.keys().next().value!);
  return slots;
}

/** Forgets every cached answer (a test that wants the miss path). */
export function resetSlotCache() {
  cachesByPool = new WeakMap();
}

/** The cached slot's ISO strings, made once per cached slot instead of once per answer. */
const isoBySlot = new WeakMap<Slot, { start: string; end: string }>();
export function isoSlot(slot: Slot): { start: string; end: string } {
  let iso = isoBySlot.get(slot);
  if (!iso) isoBySlot.set(slot, (iso = { start: slot.start.toISOString(), end: slot.end.toISOString() }));
  return iso;
}
