/**
 * How calendar sync behaves when the server misbehaves, each case forced through our fault proxy
 * in front of a real Radicale: outages, timeouts, conflicts, Nextcloud's quirks, bad data.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAlerts, bookings, calendarConflicts, calendarObjects, calendars, calendarSyncRuns, notifications } from "@/db/schema";
import { approveBooking } from "@/lib/bookings/transitions";
import { pullCalendarChanges, pullDueCalendars } from "@/lib/caldav/pull-calendar";
import { resolveConflict } from "@/lib/caldav/resolve-conflict";
import {
  adminActor,
  artistWithLinkedCalendar,
  blocksOf,
  icsLocal,
  localDate,
  placeRequest,
  pushJob,
  runJobsNow,
  runPushesUntilDone,
  runPushUntilDone,
  setupCalDavTestDatabase,
  vtimezone,
} from "../support/caldav-fixtures";
import { deleteArtistObject, editArtistObject, putArtistObject, readCalendar, vcalendar, vevent } from "../support/caldav-servers";
import { futureSlot } from "../support/test-db";
import { setupCalDavServer } from "../support/setup-caldav-server";

const TZ = "Europe/Berlin";

const { db, linked } = setupCalDavTestDatabase();
const { available, server, proxy } = setupCalDavServer("radicale", { faultProxy: true });

/** An artist whose bookings go to a fresh Radicale calendar that Holdfast reaches through the proxy. */
const artistBehindProxy = () => artistWithLinkedCalendar(db, { server, linked, timezone: TZ, proxy });

function busyEvent(uid: string, date: string, from = "09:00", to = "10:00") {
  return vcalendar(
    vtimezone(TZ),
    vevent([`UID:${uid}`, "SUMMARY:Busy", `DTSTART;TZID=${TZ}:${icsLocal(date, from)}`, `DTEND;TZID=${TZ}:${icsLocal(date, to)}`]),
  );
}

describe.skipIf(!available)("when the calendar server misbehaves", () => {
  it("takes bookings while the server is down, retries the push and shows exactly one event once it is back", async () => {
    const { artist, service, calendarUrl } = await artistBehindProxy();
    proxy.rule({ respond: { status: 503, body: "maintenance" } });
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(20, "10:00", TZ));
    expect(booking.status).toBe("pending");

    await runJobsNow(db);
    const failed = await pushJob(db, booking.id);
    // (on a slow machine the queue may already have retried it once within the same run)
    expect(failed!.attempts).toBeGreaterThanOrEqual(1);
    expect(failed!.lastError).toMatch(/503/);
    expect(failed!.runAt.getTime()).toBeGreaterThan(Date.now()); // backing off

    proxy.clearRules();
    expect(await runPushUntilDone(db, booking.id)).toBe(true);
    expect(await readCalendar(server, calendarUrl)).toHaveLength(1);
  });

  it("makes exactly one event when a PUT landed but its answer timed out — the retry adopts it instead of duplicating", async () => {
    const { artist, service, calendarUrl } = await artistBehindProxy();
    proxy.rule({ method: "PUT", forwardThenHang: true, times: 1 });
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(21, "10:00", TZ));
    await runJobsNow(db);
    const afterTimeout = await pushJob(db, booking.id);
    // Normally still waiting for its retry; on a slow machine the retry may already have run.
    if (afterTimeout) expect(afterTimeout.lastError).toMatch(/did not answer/);
    await expect.poll(async () => (await readCalendar(server, calendarUrl)).length, { timeout: 10_000 }).toBe(1); // it did land

    // The retry adopts the landed event; however many retries it takes, the calendar ends with one.
    expect(await runPushUntilDone(db, booking.id)).toBe(true);
    const events = await readCalendar(server, calendarUrl);
    expect(events).toHaveLength(1);
    const [stored] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(stored!.caldavEtag).toBe(events[0]!.etag);
    const puts = proxy.log.filter((l) => l.method === "PUT").map((l) => l.status);
    expect(puts[0]).toBe("hung");
    // Usually the retry's create finds the landed event (412) and adopts it. On a loaded machine the
    // queue can retry before the hung PUT reaches the server: then the retry creates it (201) and
    // the late original is refused by its own If-None-Match. Either way: one event, never two.
    expect(puts.slice(1).some((status) => status === 412 || status === 201)).toBe(true);
  });

  it("on 412 re-reads the artist's version, keeps no stale ETag and retries — an unrelated edit (a note) does not block the approval", async () => {
    const { artist, service, calendarUrl } = await artistBehindProxy();
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(22, "10:00", TZ));
    await runPushesUntilDone(db);
    await editArtistObject(server, calendarUrl, (ics) => ics.replace(/^SUMMARY:/m, "LOCATION:Back room\r\nSUMMARY:"));

    await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await runPushesUntilDone(db);
    expect(proxy.log.some((l) => l.method === "PUT" && l.status === 412)).toBe(true);
    const [after] = await readCalendar(server, calendarUrl);
    expect(after!.status).toBe("CONFIRMED");
    expect(after!.summary).toBe(`${service.name} — Ana Example`);
    expect(await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id))).toHaveLength(0);
  });

  it("on 412 after the artist moved the event, opens a conflict and leaves the artist's version in place until an admin decides", async () => {
    const { artist, service, calendarUrl } = await artistBehindProxy();
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(23, "10:00", TZ));
    await runPushesUntilDone(db);
    await editArtistObject(server, calendarUrl, (ics) => ics.replace(/T100000/g, "T120000").replace(/T110000/g, "T130000"));

    await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await runPushesUntilDone(db);
    const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id));
    expect(conflict).toMatchObject({ kind: "event_moved", status: "open" });
    expect((await readCalendar(server, calendarUrl))[0]!.text).toMatch(/T120000/);
    const alerts = await db
      .select()
      .from(adminAlerts)
      .where(and(eq(adminAlerts.bookingId, booking.id), eq(adminAlerts.kind, "calendar_conflict")));
    expect(alerts).toHaveLength(1);

    await resolveConflict(db, conflict!.id, "keep_booking", adminActor);
    await runPushesUntilDone(db);
    const [restored] = await readCalendar(server, calendarUrl);
    expect(restored!.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T100000/);
    expect(restored!.status).toBe("CONFIRMED");
  });

  it("fetches the ETag when a PUT answer carries none, so the next update is still conditional", async () => {
    const { artist, service, calendarUrl } = await artistBehindProxy();
    proxy.stripPutEtag = true;
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(24, "10:00", TZ));
    await runPushesUntilDone(db);
    const [event] = await readCalendar(server, calendarUrl);
    const [stored] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(stored!.caldavEtag).toBe(event!.etag);
    expect(proxy.log.some((l) => l.method === "PROPFIND")).toBe(true);
  });

  it("treats members reported deleted with 418 (Nextcloud) like 404 and frees their slots", async () => {
    const { artist, calendarUrl, calendar } = await artistBehindProxy();
    proxy.deletedAs418 = true;
    const href = await putArtistObject(server, calendarUrl, "gone.ics", busyEvent(`gone-${artist.id}`, localDate(25, TZ)));
    await pullCalendarChanges(db, calendar.id);
    expect(await blocksOf(db, calendar.id)).toHaveLength(1);
    await deleteArtistObject(server, href);
    const summary = await pullCalendarChanges(db, calendar.id);
    expect(summary).toMatchObject({ status: "success", objectsDeleted: 1 });
    expect(await blocksOf(db, calendar.id)).toHaveLength(0);
  });

  it("backs off as long as a 429 says (Retry-After) for pushes and pulls", async () => {
    const { artist, service, calendar } = await artistBehindProxy();
    proxy.rule({ respond: { status: 429, headers: { "retry-after": "120" }, body: "slow down" } });
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(26, "10:00", TZ));
    await runJobsNow(db);
    const job = await pushJob(db, booking.id);
    expect(job).toMatchObject({ attempts: 0 });
    expect(job!.runAt.getTime()).toBeGreaterThan(Date.now() + 100_000);

    const summary = await pullCalendarChanges(db, calendar.id);
    expect(summary).toMatchObject({ status: "failed", errorCode: "rate_limited" });
    const [row] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    expect(row!.nextSyncAt.getTime()).toBeGreaterThan(Date.now() + 100_000);
  });

  it("marks a calendar with revoked credentials as failing, alerts the admin after 3 failures and deletes nothing", async () => {
    const { artist, calendarUrl, calendar } = await artistBehindProxy();
    await putArtistObject(server, calendarUrl, "keep.ics", busyEvent(`keep-${artist.id}`, localDate(27, TZ)));
    await pullCalendarChanges(db, calendar.id);
    proxy.rule({ respond: { status: 401, headers: { "www-authenticate": 'Basic realm="Nextcloud"' } } });

    const alertsFor = () =>
      db
        .select()
        .from(adminAlerts)
        .where(and(eq(adminAlerts.calendarId, calendar.id), eq(adminAlerts.kind, "calendar_sync_failing")));
    for (const n of [1, 2]) {
      expect(await pullCalendarChanges(db, calendar.id)).toMatchObject({ status: "failed", errorCode: "unauthorized" });
      expect((await db.select().from(calendars).where(eq(calendars.id, calendar.id)))[0]!.consecutiveFailures).toBe(n);
    }
    expect(await alertsFor()).toHaveLength(0);
    await pullCalendarChanges(db, calendar.id);
    const [failing] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    expect(failing).toMatchObject({ consecutiveFailures: 3, lastErrorCode: "unauthorized" });
    expect(failing!.lastError).toMatch(/app password/);
    expect(await alertsFor()).toHaveLength(1);
    expect(await db.select().from(notifications).where(eq(notifications.kind, "calendar_sync_failing"))).not.toHaveLength(0);
    expect(await blocksOf(db, calendar.id)).toHaveLength(1);
    expect(await db.select().from(calendarObjects).where(eq(calendarObjects.calendarId, calendar.id))).toHaveLength(1);

    proxy.clearRules();
    expect(await pullCalendarChanges(db, calendar.id)).toMatchObject({ status: "success" });
    const [healthy] = await db.select().from(calendars).where(eq(calendars.id, calendar.id));
    expect(healthy).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  it("skips and logs an object it cannot read, and syncs the rest", async () => {
    const { artist, calendarUrl, calendar } = await artistBehindProxy();
    await putArtistObject(server, calendarUrl, "fine.ics", busyEvent(`fine-${artist.id}`, localDate(28, TZ)));
    await putArtistObject(server, calendarUrl, "broken.ics", busyEvent(`broken-${artist.id}`, localDate(29, TZ)));
    proxy.rewriteResponse = ({ method, requestBody, body }) =>
      method === "REPORT" && requestBody.includes("calendar-multiget")
        ? body.replace(/(broken\.ics<\/href>[\s\S]*?calendar-data[^>]*>)[\s\S]*?(<\/[^>]*calendar-data>)/, "$1this is not iCalendar at all$2")
        : body;

    const summary = await pullCalendarChanges(db, calendar.id);
    expect(summary).toMatchObject({ status: "partial", objectsSkipped: 1, objectsChanged: 1 });
    const blocks = await blocksOf(db, calendar.id);
    expect(blocks.map((b) => b.sourceHref!.split("/").pop())).toEqual(["fine.ics"]);
    const [run] = await db.select().from(calendarSyncRuns).where(eq(calendarSyncRuns.calendarId, calendar.id));
    expect(run).toMatchObject({ status: "partial", objectsSkipped: 1 });
    expect(run!.error).toContain("broken.ics");
  });

  it("falls back to a full resync that diffs hrefs and ETags when the server forgot the sync token (403 valid-sync-token)", async () => {
    const { artist, calendarUrl, calendar } = await artistBehindProxy();
    await putArtistObject(server, calendarUrl, "a.ics", busyEvent(`a-${artist.id}`, localDate(30, TZ)));
    const b = await putArtistObject(server, calendarUrl, "b.ics", busyEvent(`b-${artist.id}`, localDate(31, TZ)));
    await pullCalendarChanges(db, calendar.id);
    const aBlock = (await blocksOf(db, calendar.id)).find((x) => x.sourceHref!.endsWith("a.ics"))!;

    proxy.expireSyncTokens();
    await deleteArtistObject(server, b);
    await putArtistObject(server, calendarUrl, "c.ics", busyEvent(`c-${artist.id}`, localDate(32, TZ)));
    const summary = await pullCalendarChanges(db, calendar.id);
    expect(summary).toMatchObject({ status: "success", kind: "full_resync", objectsChanged: 1, objectsDeleted: 1 });
    const blocks = await blocksOf(db, calendar.id);
    expect(blocks.map((x) => x.sourceHref!.split("/").pop())).toEqual(["a.ics", "c.ics"]);
    expect(blocks[0]!.id).toBe(aBlock.id); // unchanged objects are not rewritten
    expect(proxy.log.some((l) => l.status === 403)).toBe(true);
    // and the new token works incrementally again
    expect(await pullCalendarChanges(db, calendar.id)).toMatchObject({ kind: "incremental", requests: 1 });
  });

  it("falls back to a full resync when the server truncates the changes (507)", async () => {
    const { artist, calendarUrl, calendar } = await artistBehindProxy();
    await putArtistObject(server, calendarUrl, "a.ics", busyEvent(`a-${artist.id}`, localDate(33, TZ)));
    await pullCalendarChanges(db, calendar.id);
    await putArtistObject(server, calendarUrl, "b.ics", busyEvent(`b-${artist.id}`, localDate(34, TZ)));
    proxy.rule({ method: "REPORT", bodyIncludes: "radicale.org/ns/sync/", times: 1, respond: { status: 507, body: "" } });
    const summary = await pullCalendarChanges(db, calendar.id);
    expect(summary).toMatchObject({ status: "success", kind: "full_resync", objectsChanged: 1 });
    expect(await blocksOf(db, calendar.id)).toHaveLength(2);
  });

  it("gives an event a new UID when the server refuses the old one (Nextcloud's trash bin), instead of failing forever", async () => {
    const { artist, service, calendarUrl, calendar } = await artistBehindProxy();
    proxy.refuseReusedUids = true;
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(35, "10:00", TZ));
    await runPushesUntilDone(db);
    const [event] = await readCalendar(server, calendarUrl);
    await deleteArtistObject({ ...server }, proxy.viaProxy(event!.href)); // the artist deletes it in Nextcloud
    await pullCalendarChanges(db, calendar.id);
    const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, booking.id));
    expect(conflict).toMatchObject({ kind: "event_deleted" });

    await resolveConflict(db, conflict!.id, "keep_booking", adminActor);
    await runPushesUntilDone(db);
    expect(proxy.log.some((l) => l.method === "PUT" && l.status === 400)).toBe(true);
    const events = await readCalendar(server, calendarUrl);
    expect(events).toHaveLength(1);
    const [after] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(after!.caldavUid).not.toBe(booking.caldavUid);
    expect(events[0]!.uid).toBe(after!.caldavUid);
    expect(events[0]!.text).toContain(`X-HOLDFAST-BOOKING-ID:${booking.id}`);
  });

  it("never pulls one calendar twice when two instances pull at the same time (FOR UPDATE SKIP LOCKED)", async () => {
    const own: string[] = [];
    for (let i = 0; i < 6; i += 1) own.push((await artistBehindProxy()).calendar.id);
    await db
      .update(calendars)
      .set({ nextSyncAt: sql`now() - interval '1 second'` })
      .where(sql`${calendars.id} = any(${sql.param(own)}::uuid[])`);
    proxy.rule({ method: "REPORT", delayMs: 150 });
    const startedAt = new Date();
    const [first, second] = await Promise.all([pullDueCalendars(db, { concurrency: 3 }), pullDueCalendars(db, { concurrency: 3 })]);
    const pulled = [...first.results, ...second.results].map((r) => r.calendarId);
    expect(pulled.filter((id) => own.includes(id)).sort()).toEqual([...own].sort());
    expect(new Set(pulled).size).toBe(pulled.length);
    expect(first.pulled).toBeGreaterThan(0);
    expect(second.pulled).toBeGreaterThan(0);
    const runs = await db.select().from(calendarSyncRuns).where(gte(calendarSyncRuns.startedAt, startedAt));
    expect(runs.filter((r) => own.includes(r.calendarId))).toHaveLength(6);
  });
});
