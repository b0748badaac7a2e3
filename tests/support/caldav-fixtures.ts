/** Shared steps of the CalDAV integration tests: a booking, a linked calendar, the queue, the mirror. */
import { formatInTimeZone } from "date-fns-tz";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterEach } from "vitest";
import type { Database } from "@/db/client";
import { busyBlocks, calendars, studioSettings } from "@/db/schema";
import { getAvailability } from "@/lib/availability/get-availability";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { linkCalendar } from "@/lib/caldav/link-calendar";
import { calendarPushJobKey } from "@/lib/caldav/enqueue-calendar-push";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { buildVTimezone } from "@/lib/time/vtimezone";
import type { RunningCalDavServer } from "./caldav-servers";
import type { FaultProxy } from "./fault-proxy";
import { createTestArtist, setupTestDatabase } from "./test-db";

export const customerActor = { kind: "customer" as const, ip: "203.0.113.9", userAgent: "vitest" };
export const adminActor = { kind: "admin" as const, id: "admin-caldav", ip: "198.51.100.9", userAgent: "vitest-admin" };

// One body for both entry points: eslint's React-hooks rule refuses a `use…` call from setupCalDavTestDatabase.
function setCalDavTestEnvironment() {
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  // Fault tests wait for timeouts; a few seconds is plenty on loopback, even on a busy machine.
  process.env.CALDAV_TIMEOUT_MS = "2500";
}

/** What every CalDAV test file sets before touching the database (setupCalDavTestDatabase does it too). */
export function useCalDavTestEnvironment() {
  setCalDavTestEnvironment();
}

/**
 * The database of a CalDAV test file, with the CalDAV environment set first. Push the id of every
 * calendar a test links onto `linked`: it is deactivated after that test, so later pulls skip it.
 */
export function setupCalDavTestDatabase(): { db: Database; linked: string[] } {
  setCalDavTestEnvironment();
  const db = setupTestDatabase();
  const linked: string[] = [];
  afterEach(async () => {
    await deactivateCalendars(db, linked.splice(0));
  });
  return { db, linked };
}

export async function placeRequest(
  db: Database,
  artist: string,
  service: string,
  start: Date,
  customer = { name: "Ana Example", email: "ana@example.com", phone: "+49 30 1234567" },
  notes = "Small rose on the left wrist",
) {
  const { hold } = await createHold(db, { artist, service, start, actor: customerActor });
  const { booking } = await submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer,
    notes,
    idempotencyKey: `caldav-${hold.id}`,
    actor: customerActor,
  });
  return booking;
}

/** Links `calendarUrl` for the artist, reached through `baseUrl` (the server itself or the fault proxy). */
export async function linkTestCalendar(
  db: Database,
  server: RunningCalDavServer,
  input: { artistId: string; calendarUrl: string; baseUrl?: string; role?: "write" | "busy" },
) {
  return linkCalendar(db, {
    artistId: input.artistId,
    serverUrl: input.baseUrl ?? server.baseUrl,
    username: server.username,
    password: server.password,
    calendarUrl: input.calendarUrl,
    role: input.role ?? "write",
  });
}

/**
 * A fresh artist (in `timezone`) with a fresh calendar on `server`, linked for them, reached
 * through `proxy` when given; the calendar's id goes onto `linked`. `calendarUrl` is the server's own.
 */
export async function artistWithLinkedCalendar(
  db: Database,
  input: { server: RunningCalDavServer; linked: string[]; timezone: string; proxy?: FaultProxy; role?: "write" | "busy" },
) {
  const { server, proxy } = input;
  const { artist, service } = await createTestArtist(db, { timezone: input.timezone });
  const calendarUrl = await server.createCalendar();
  const calendar = await linkTestCalendar(db, server, {
    artistId: artist.id,
    calendarUrl: proxy ? proxy.viaProxy(calendarUrl) : calendarUrl,
    baseUrl: proxy?.url,
    role: input.role,
  });
  input.linked.push(calendar.id);
  return { artist, service, calendarUrl, calendar };
}

/** Runs every job that is due now, after making this booking's (retried) push due too. */
export async function runJobsNow(db: Database, bookingId?: string) {
  if (bookingId) await db.execute(sql`update graphile_worker._private_jobs set run_at = now() where key = ${calendarPushJobKey(bookingId)}`);
  await runDueJobs(db);
}

export async function pushJob(db: Database, bookingId: string) {
  const result = await db.execute<{ attempts: number; run_at: string; last_error: string | null }>(
    sql`select attempts, run_at, last_error from graphile_worker._private_jobs where key = ${calendarPushJobKey(bookingId)}`,
  );
  const row = result.rows[0];
  return row ? { attempts: row.attempts, runAt: new Date(row.run_at), lastError: row.last_error } : null;
}

/**
 * Runs a booking's push job until it is done (gone from the queue), however many attempts it
 * takes; returns false if it is still there after `timeoutMs`. On a loaded machine a single retry
 * can run into the tests' short CalDAV timeout, which is a retry, not a failure.
 */
export async function runPushUntilDone(db: Database, bookingId: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runJobsNow(db, bookingId);
    if (!(await pushJob(db, bookingId))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs due jobs, then keeps making every calendar push due and running it until none is left in
 * the queue. For steps that expect the calendar to end up written: on a loaded CI machine an
 * attempt can run into the tests' short CalDAV timeout, and that is a retry, not the outcome.
 */
export async function runPushesUntilDone(db: Database, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await runDueJobs(db);
  for (;;) {
    const left = await db.execute(
      sql`update graphile_worker._private_jobs set run_at = now() where key like 'caldav-push:%' and locked_at is null and attempts < max_attempts returning id`,
    );
    if (!left.rows.length) return;
    if (Date.now() > deadline) throw new Error(`${left.rows.length} calendar push(es) still queued after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await runDueJobs(db);
  }
}

/** Test calendars stop taking part in pulls once their test is over. */
export async function deactivateCalendars(db: Database, ids: string[]) {
  if (ids.length) await db.update(calendars).set({ active: false }).where(inArray(calendars.id, ids));
}

export async function setEditPolicy(db: Database, policy: "auto" | "review") {
  await db.update(studioSettings).set({ calendarEditPolicy: policy }).where(eq(studioSettings.id, 1));
}

export async function blocksOf(db: Database, calendarId: string, href?: string) {
  return db
    .select()
    .from(busyBlocks)
    .where(and(eq(busyBlocks.calendarId, calendarId), href ? eq(busyBlocks.sourceHref, href) : undefined))
    .orderBy(busyBlocks.startsAt);
}

/** Free start times ("HH:mm", artist's zone) on one local date. */
export async function freeStarts(db: Database, artist: { id: string; timezone: string }, serviceId: string, date: string) {
  const { slots } = await getAvailability(db, { artist: artist.id, service: serviceId, fromDate: date, toDate: date });
  return slots.map((s) => formatInTimeZone(s.start, artist.timezone, "HH:mm"));
}

/** The local date `days` from now in `timezone` ("yyyy-MM-dd"). */
export function localDate(days: number, timezone: string) {
  return formatInTimeZone(new Date(Date.now() + days * 86_400_000), timezone, "yyyy-MM-dd");
}

/** "20261201T100000" from a local date and time. */
export function icsLocal(date: string, time: string) {
  return `${date.replace(/-/g, "")}T${time.replace(":", "")}00`;
}

/** A VTIMEZONE for `tzid` valid over the next year, as the artist's calendar app would embed. */
export function vtimezone(tzid: string) {
  return buildVTimezone(tzid, new Date(Date.now() - 400 * 86_400_000), new Date(Date.now() + 400 * 86_400_000)).trimEnd();
}
