/**
 * Reading the server: what changed since the stored sync token (or everything, diffed by href and
 * ETag), and which recurring events need re-expanding as the horizon rolls on.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { calendarObjects, type Calendar, type CalendarObject } from "@/db/schema";
import { CalDavError, hrefKey, type CalDavClient, type ObjectVersion } from "../caldav-client";

export type PullKind = "initial" | "incremental" | "full_resync";

/** Re-expand recurring events once the horizon has moved this far past their expansion. */
const REEXPAND_SLACK_MS = 86_400_000;

/** What we hold about an object, without its stored source (only re-expansion needs that). */
export type KnownObject = Omit<CalendarObject, "icalData">;
export type Known = Map<string, KnownObject>;

/**
 * `seen`: Holdfast's own events the server listed with the ETag we hold, i.e. as we last wrote
 * them (the journey's proof that the artist's calendar shows the booking; see commitPlan).
 */
export type Listing = {
  kind: PullKind;
  token: string | null;
  changed: ObjectVersion[];
  deleted: string[];
  verify: string[];
  known: Known;
  seen?: ObjectVersion[];
};

/** The listed versions that are our own events exactly as we hold them (spelled as we store the href). */
function ownUnchanged(listed: ObjectVersion[], known: Known): ObjectVersion[] {
  return listed.flatMap((m) => {
    const row = known.get(hrefKey(m.href));
    return row?.bookingId && m.etag !== null && row.etag === m.etag ? [{ href: row.href, etag: m.etag }] : [];
  });
}

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
  const rows = await db
    .select(knownColumns)
    .from(calendarObjects)
    .where(and(eq(calendarObjects.calendarId, calendarId), filter));
  return new Map(rows.map((r) => [hrefKey(r.href), r]));
}

/**
 * Every member of the calendar, diffed by href and ETag against what we hold. An object skipped
 * as unreadable keeps its ETag, so it is read again only once the artist's app rewrites it.
 */
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
  return { kind, token, changed, deleted, verify: [], known, seen: ownUnchanged(members, known) };
}

/**
 * Changes since the stored token; a forgotten token (403) or a truncated answer (507) means a
 * full resync. An event Holdfast created after the token was taken and that is gone again is not
 * reported at all (it was never a member at the token's state — Xandikos omits it), so such
 * events are checked explicitly.
 */
export async function readChanges(db: Database, client: CalDavClient, calendar: Calendar): Promise<Listing> {
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
  return { kind: "incremental", token: changes.token, changed, deleted, verify, known, seen: ownUnchanged(changes.changed, known) };
}

/** Recurring events whose busy blocks end before the (moved-on) horizon needs them. */
export async function staleExpansions(db: Database, calendarId: string, horizonEnd: Date) {
  return db
    .select({ href: calendarObjects.href, etag: calendarObjects.etag, uid: calendarObjects.uid, icalData: calendarObjects.icalData })
    .from(calendarObjects)
    .where(
      and(
        eq(calendarObjects.calendarId, calendarId),
        isNotNull(calendarObjects.icalData),
        or(isNull(calendarObjects.expandedUntil), lt(calendarObjects.expandedUntil, new Date(horizonEnd.getTime() - REEXPAND_SLACK_MS))),
      ),
    );
}
