/**
 * The artist's calendar, exactly: every object of tests/support/caldav-corpus/ (valid and strange
 * RFC 5545 cases, invalid-but-common objects real clients write, and garbage) is put on a real
 * Radicale and a real Xandikos, pulled through the real pull code, and its busy blocks are checked
 * against intervals written by hand below. If this fails, a customer can book a time the artist
 * is not free (too little blocked), cannot book a free one (too much), or one odd event stops the
 * whole calendar from syncing.
 *
 * Objects a server refuses to store (Radicale validates strictly; Nextcloud and Xandikos keep the
 * bytes as sent) are stored as a stand-in and served with the corpus bytes by our proxy, as
 * Nextcloud would serve them — so every object reaches Holdfast on both servers.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { calendarObjects, calendars, calendarSyncRuns } from "@/db/schema";
import { listCalendarsWithSkipped } from "@/lib/admin/calendar-sync";
import { pullCalendarChanges } from "@/lib/caldav/pull-calendar";
import { artistWithLinkedCalendar, blocksOf, setupCalDavTestDatabase } from "../support/caldav-fixtures";
import { basicAuth, CALDAV_SERVER_KINDS, putArtistObject } from "../support/caldav-servers";
import { setupCalDavServer } from "../support/setup-caldav-server";

const CORPUS_DIR = path.join(__dirname, "../support/caldav-corpus");
/** A fixed "now" (a Monday); the corpus dates lie within the 120 days after it, across both DST changes. */
const NOW = new Date("2027-01-04T00:00:00Z");
const PULL = { now: NOW, horizonDays: 120 };
const ARTIST_ZONE = "Europe/Berlin";

/** Busy intervals per corpus file, worked out by hand from the RFC (UTC; the artist is in Europe/Berlin). */
const EXPECTED: Record<string, string[]> = {
  // 10:00 Berlin weekly: CET (09:00Z) before 28 March, CEST (08:00Z) after.
  "thunderbird-weekly-across-dst.ics": ["2027-03-15T09:00Z/10:00Z", "2027-03-22T09:00Z/10:00Z", "2027-03-29T08:00Z/09:00Z", "2027-04-05T08:00Z/09:00Z"],
  // Mondays until 1 March (a DATE UNTIL includes that day), 15 February excluded; whole Berlin days.
  "google-all-day-weekly-exdate.ics": [
    "2027-01-31T23:00Z/2027-02-01T23:00Z",
    "2027-02-07T23:00Z/2027-02-08T23:00Z",
    "2027-02-21T23:00Z/2027-02-22T23:00Z",
    "2027-02-28T23:00Z/2027-03-01T23:00Z",
  ],
  // DTSTART 09:00 EST, then each period with its own end (an end instant, then a duration).
  "rfc5545-rdate-period.ics": ["2027-02-01T14:00Z/15:00Z", "2027-02-03T14:00Z/17:00Z", "2027-02-05T15:00Z/16:30Z"],
  // SEQUENCE 3 (13:00Z, two hours) supersedes SEQUENCE 0 (10:00Z, one hour).
  "two-masters-one-uid.ics": ["2027-02-08T13:00Z/15:00Z", "2027-02-15T13:00Z/15:00Z"],
  // 09:00–10:00 Berlin; from 15 March on 11:30–13:00 (shift +2h30, 90 minutes), also after DST.
  "apple-thisandfuture.ics": [
    "2027-03-01T08:00Z/09:00Z",
    "2027-03-08T08:00Z/09:00Z",
    "2027-03-15T10:30Z/12:00Z",
    "2027-03-22T10:30Z/12:00Z",
    "2027-03-29T09:30Z/11:00Z",
  ],
  // DTSTART is the first occurrence, then the two RDATEs.
  "rdate-without-rrule.ics": ["2027-02-10T08:00Z/09:00Z", "2027-02-17T08:00Z/09:00Z", "2027-02-24T08:00Z/09:00Z"],
  // Mondays ×3 ∪ every 10th day ×4, minus 14 January.
  "several-rrules.ics": [
    "2027-01-04T17:00Z/18:00Z",
    "2027-01-11T17:00Z/18:00Z",
    "2027-01-18T17:00Z/18:00Z",
    "2027-01-24T17:00Z/18:00Z",
    "2027-02-03T17:00Z/18:00Z",
  ],
  // Weekly all-day from 4 January; the 11th (RECURRENCE-ID:20270111, no VALUE=DATE) moved to the 12th.
  "bare-date-recurrence-id.ics": [
    "2027-01-03T23:00Z/2027-01-04T23:00Z",
    "2027-01-11T23:00Z/2027-01-12T23:00Z",
    "2027-01-17T23:00Z/2027-01-18T23:00Z",
    "2027-01-24T23:00Z/2027-01-25T23:00Z",
  ],
  // The unreadable override is dropped; the series stands as written.
  "override-beyond-repair.ics": ["2027-01-18T15:00Z/16:00Z", "2027-01-25T15:00Z/16:00Z", "2027-02-01T15:00Z/16:00Z"],
  // 09:00 Los Angeles: PST (17:00Z) on 8 March, PDT (16:00Z) after 14 March.
  "exchange-windows-tzid-no-vtimezone.ics": ["2027-03-08T17:00Z/18:00Z", "2027-03-15T16:00Z/17:00Z"],
  // 14:00–15:30 Berlin (CET).
  "outlook-w-europe-no-vtimezone.ics": ["2027-01-20T13:00Z/14:30Z"],
  // 10:00–11:00 by Outlook's own VTIMEZONE (CEST in April).
  "outlook-windows-tzid-with-vtimezone.ics": ["2027-04-05T08:00Z/09:00Z"],
  // Ends swapped: the time between them.
  "dtend-before-dtstart.ics": ["2027-01-25T10:00Z/12:00Z"],
  // An all-day event whatever its hours say: the whole Berlin day.
  "date-start-hours-duration.ics": ["2027-01-26T23:00Z/2027-01-27T23:00Z"],
  // From the start of the Berlin day to 12:00Z.
  "mixed-value-types.ics": ["2027-01-27T23:00Z/2027-01-28T12:00Z"],
  // Floating time in the artist's zone.
  "floating-time.ics": ["2027-01-29T09:00Z/10:00Z"],
  // 10:00 New York daily ×3; the 5 January occurrence (named in UTC) moved to 13:00.
  "google-utc-override-on-zoned-series.ics": ["2027-01-04T15:00Z/15:30Z", "2027-01-05T18:00Z/18:30Z", "2027-01-06T15:00Z/15:30Z"],
  "free-and-cancelled.ics": [],
  "vtodo-only.ics": [],
};
/** Unreadable: skipped and shown, never a failure of the calendar. */
const GARBAGE = ["garbage-not-icalendar.ics", "garbage-no-dtstart.ics", "garbage-bad-date.ics", "garbage-bad-rrule.ics", "garbage-truncated.ics"];

/** "2027-03-15T09:00Z/10:00Z" → full ISO instants (the end may give only the time of the same day). */
function interval(text: string): string {
  const [start, end] = text.split("/") as [string, string];
  const fullEnd = end.includes("T") ? end : `${start.slice(0, 10)}T${end}`;
  const iso = (s: string) => new Date(s.replace("Z", ":00Z")).toISOString();
  return `${iso(start)}/${iso(fullEnd)}`;
}

const corpusFiles = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith(".ics"))
  .sort();
const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What a server that refuses `ics` stores instead: same UID (servers refuse a UID change at an href), blocks nothing. */
function standIn(name: string, ics: string, version: number) {
  const uid = /^UID:(.+)$/m.exec(ics)?.[1]?.trim() ?? `stand-in-${name}`;
  return crlf(
    `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Holdfast corpus//stand-in//EN\nBEGIN:VEVENT\nUID:${uid}\nDTSTAMP:20261220T101500Z\nSUMMARY:stand-in v${version}\nDTSTART:20270101T000000Z\nDURATION:PT1H\nTRANSP:TRANSPARENT\nEND:VEVENT\nEND:VCALENDAR\n`,
  );
}

const { db, linked } = setupCalDavTestDatabase();

it("has an expectation for every corpus file, so a new object cannot go unchecked", () => {
  expect(corpusFiles).toEqual([...Object.keys(EXPECTED), ...GARBAGE].sort());
});

describe.each(CALDAV_SERVER_KINDS)("the corpus on %s", (kind) => {
  const { available, server, proxy } = setupCalDavServer(kind, { faultProxy: true });
  /** File name → the bytes the proxy serves in place of what the server stored. */
  const served = new Map<string, string>();
  afterEach(() => {
    served.clear();
  });

  /** Stores `ics` as `name`; if the server refuses it, stores a stand-in and serves `ics` through the proxy. */
  async function put(calendarUrl: string, name: string, ics: string, version = 0): Promise<"stored" | "served"> {
    const res = await fetch(new URL(name, calendarUrl), {
      method: "PUT",
      headers: {
        "content-type": "text/calendar; charset=utf-8",
        authorization: basicAuth(server.username, server.password),
      },
      body: ics,
    });
    await res.arrayBuffer();
    // Only 201/204 mean "stored" (Xandikos answers a refusal with a 207 multistatus).
    if (res.status === 201 || res.status === 204) {
      served.delete(name);
      return "stored";
    }
    await putArtistObject(server, calendarUrl, name, standIn(name, ics, version));
    served.set(name, ics);
    return "served";
  }

  function serveRefusedObjects() {
    proxy.rewriteResponse = ({ method, requestBody, body }) => {
      if (method !== "REPORT" || !requestBody.includes("calendar-multiget")) return body;
      let out = body;
      for (const [name, ics] of served) {
        const re = new RegExp(`(${escapeRegExp(name)}</[^>]*href>[\\s\\S]*?calendar-data[^>]*>)[\\s\\S]*?(</[^>]*calendar-data>)`);
        out = out.replace(re, (_m, open: string, close: string) => `${open}${xmlText(ics)}${close}`);
      }
      return out;
    };
  }

  async function corpusCalendar() {
    const { artist, calendarUrl, calendar } = await artistWithLinkedCalendar(db, { server, linked, timezone: ARTIST_ZONE, proxy, role: "busy" });
    serveRefusedObjects();
    const how: Record<string, string> = {};
    for (const name of corpusFiles) how[name] = await put(calendarUrl, name, crlf(readFileSync(path.join(CORPUS_DIR, name), "utf8")));
    return { artist, calendarUrl, calendar, how };
  }

  async function spansByFile(calendarId: string) {
    const out: Record<string, string[]> = {};
    for (const b of await blocksOf(db, calendarId)) {
      const name = decodeURIComponent(b.sourceHref!.split("/").pop()!);
      (out[name] ??= []).push(`${b.startsAt.toISOString()}/${b.endsAt.toISOString()}`);
    }
    for (const list of Object.values(out)) list.sort();
    return out;
  }

  it.skipIf(!available)("blocks exactly each object's occurrences, skips the garbage visibly, and keeps the calendar syncing", async () => {
    const { artist, calendar, how } = await corpusCalendar();
    console.info(
      `[corpus] ${kind} refused and the proxy serves: ${
        Object.keys(how)
          .filter((n) => how[n] === "served")
          .join(", ") || "none"
      }`,
    );

    const summary = await pullCalendarChanges(db, calendar.id, PULL);
    expect(summary).toMatchObject({ status: "partial", objectsSkipped: GARBAGE.length, objectsChanged: corpusFiles.length - GARBAGE.length, error: null });

    const blocks = await spansByFile(calendar.id);
    for (const [name, expected] of Object.entries(EXPECTED)) {
      expect.soft(blocks[name] ?? [], name).toEqual(expected.map(interval).sort());
    }
    for (const name of GARBAGE) expect(blocks[name], name).toBeUndefined();

    const rows = await db.select().from(calendarObjects).where(eq(calendarObjects.calendarId, calendar.id));
    const row = (name: string) => rows.find((r) => decodeURIComponent(r.href.split("/").pop()!) === name);
    for (const name of GARBAGE) {
      expect(row(name)?.skipReason, name).toBeTruthy();
      expect(row(name)?.etag, name).toBeTruthy();
      expect(row(name)?.skippedAt, name).toBeInstanceOf(Date);
    }
    for (const name of Object.keys(EXPECTED)) expect(row(name)?.skipReason ?? null, name).toBeNull();
    expect(row("garbage-no-dtstart.ics")!.uid).toBe("corpus-garbage-no-dtstart@example.org");

    // Not failing: the token advanced, no error, and the run log says what was skipped.
    const [after] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    expect(after).toMatchObject({ consecutiveFailures: 0, lastError: null, lastErrorCode: null });
    expect(after!.syncToken).toBeTruthy();
    const [run] = await db.select().from(calendarSyncRuns).where(eq(calendarSyncRuns.calendarId, calendar.id));
    expect(run).toMatchObject({ status: "partial", objectsSkipped: GARBAGE.length });
    expect(run!.error).toMatch(new RegExp(`^skipped: ${GARBAGE.length} — `));
    for (const name of GARBAGE) expect(run!.error).toContain(name);

    // What the admin page and GET /api/admin/calendars show.
    const [listed] = await listCalendarsWithSkipped(db, { artistId: artist.id });
    expect(listed!.skippedObjects.map((s) => decodeURIComponent(s.href.split("/").pop()!)).sort()).toEqual([...GARBAGE].sort());
    for (const s of listed!.skippedObjects) expect(s.reason.length).toBeGreaterThan(0);

    // The next pull reads nothing again: the skipped objects are recorded with their ETags.
    const idle = await pullCalendarChanges(db, calendar.id, PULL);
    expect(idle).toMatchObject({ status: "success", kind: "incremental", objectsChanged: 0, objectsSkipped: 0, requests: 1 });
  });

  it.skipIf(!available)("reads a skipped object again once it changes, and keeps what a botched edit of a good event blocked", async () => {
    const { calendarUrl, calendar } = await corpusCalendar();
    await pullCalendarChanges(db, calendar.id, PULL);

    // The artist's app rewrites one garbage object properly, and botches an edit of a good one.
    await put(
      calendarUrl,
      "garbage-no-dtstart.ics",
      crlf(
        readFileSync(path.join(CORPUS_DIR, "garbage-no-dtstart.ics"), "utf8").replace(
          "SUMMARY:When?",
          "SUMMARY:When?\nDTSTART:20270130T100000Z\nDTEND:20270130T120000Z",
        ),
      ),
      1,
    );
    await put(
      calendarUrl,
      "floating-time.ics",
      crlf(readFileSync(path.join(CORPUS_DIR, "garbage-bad-date.ics"), "utf8").replace("corpus-garbage-bad-date", "corpus-floating")),
      1,
    );

    const summary = await pullCalendarChanges(db, calendar.id, PULL);
    expect(summary).toMatchObject({ status: "partial", kind: "incremental", objectsChanged: 1, objectsSkipped: 1 });
    const blocks = await spansByFile(calendar.id);
    expect(blocks["garbage-no-dtstart.ics"]).toEqual(["2027-01-30T10:00:00.000Z/2027-01-30T12:00:00.000Z"]);
    expect(blocks["floating-time.ics"]).toEqual(EXPECTED["floating-time.ics"]!.map(interval)); // still blocked as it was

    const rows = await db
      .select()
      .from(calendarObjects)
      .where(and(eq(calendarObjects.calendarId, calendar.id)));
    const row = (name: string) => rows.find((r) => r.href.endsWith(`/${name}`))!;
    expect(row("garbage-no-dtstart.ics")).toMatchObject({ skipReason: null, skippedAt: null });
    expect(row("floating-time.ics").skipReason).toMatch(/unreadable date/);
    const [after] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    expect(after!.consecutiveFailures).toBe(0);
  });
});
