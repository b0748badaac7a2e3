/**
 * Benchmark of the CalDAV pull (issue 5, "Benchmark"): Radicale serving `calendars` ×
 * `eventsPerCalendar` realistic events (Europe/Berlin with VTIMEZONE, weekly series with EXDATEs
 * and moved occurrences, all-day and "show as free" events), each calendar linked to its own
 * artist. Measured in one run, all on 127.0.0.1:
 *
 *  1. the initial full sync of every calendar (pullDueCalendars, the tick's own code path);
 *  2. an idle incremental cycle, against (4b) the server-only floor: the very same
 *     sync-collection REPORTs sent by a bare fetch that parses nothing, at the same concurrency;
 *  3. a cycle after 1 % of the events changed, with the busy_blocks rows it inserted and deleted;
 *  4a. the time-range way (Cal.com's): one calendar-query REPORT per calendar over the horizon,
 *     every object parsed, expanded and all of the calendar's busy blocks replaced;
 *  6. latencies: an artist's new event until its slot leaves getAvailability, and a submitted
 *     request until its event exists in Radicale with the resident job worker running.
 *
 * Seeding: a Radicale PUT costs ~90 ms, and Radicale's first read of an object it did not write
 * itself costs ~6 ms of vobject parsing (it caches the result by a hash of the file's content),
 * so 100,000 distinct objects would take minutes either way. The storage folder is therefore
 * written directly in Radicale's own layout (collection-root/<user>/<calendar>/ with a
 * .Radicale.props JSON and one <uid>.ics per object): a pool of 3 × eventsPerCalendar distinct
 * objects is parsed once by Radicale's own code (its item and history caches, what a PUT leaves
 * behind; outside the measured server, fsync off), and each calendar is its own random draw from
 * that pool, hard-linked with those cache entries. The 1 % edits rewrite files on disk (by
 * rename, so no other calendar sees them) and are parsed the same way before the measured pull.
 * The measured server runs with Radicale's defaults (the tests' startRadicale; its longer sync-token
 * age only spares files older than 30 days, which a bench never has). None of this is timed as sync work.
 *
 * The parts: caldav/fixtures.ts (the data), caldav/radicale.ts (Radicale's own code and the
 * server), caldav/cycles.ts (the measured runs), caldav/report.ts (the result and its printout).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatInTimeZone } from "date-fns-tz";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { createPool, type Database } from "@/db/client";
import * as schema from "@/db/schema";
import { DEFAULT_HORIZON_DAYS } from "@/lib/caldav/pull-calendar";
import { IN_PROCESS_TICK_MS } from "@/lib/jobs/run-scheduled-tick";
import type { RunningCalDavServer } from "@/tests/support/caldav-servers";
import { artistEventLatency, blockIds, idleCycles, initialFloorCycle, pullCycle, requestToCalendarLatency, timeRangeCycle } from "./caldav/cycles";
import { DAY_MS, editOnePercent, removeCalendars, seedStudio, TZ, writeRadicaleStorage } from "./caldav/fixtures";
import { radicalePython, radicaleVersion, startMeasuredRadicale, warmCollections } from "./caldav/radicale";
import type { CaldavSyncResult } from "./caldav/report";

export async function benchCaldavSync(
  databaseUrl: string,
  opts: { calendars?: number; eventsPerCalendar?: number; concurrency?: number; idlePairs?: number } = {},
): Promise<CaldavSyncResult> {
  const benchStarted = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const calendarCount = opts.calendars ?? 100;
  const eventsPerCalendar = opts.eventsPerCalendar ?? 1000;
  const concurrency = opts.concurrency ?? 4; // what the minute tick uses (runScheduledTick)
  const idlePairs = opts.idlePairs ?? 2;
  const horizonDays = Number(process.env.CALDAV_HORIZON_DAYS) > 0 ? Number(process.env.CALDAV_HORIZON_DAYS) : DEFAULT_HORIZON_DAYS;
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");
  process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-000";
  process.env.APP_URL ??= "http://127.0.0.1:3000";
  // The request latency submits bookings, whose manage links are signed with settings read through getEnv().
  process.env.DATABASE_URL ??= databaseUrl;

  const pool = createPool(databaseUrl, 16);
  const db = drizzle(pool, { schema }) as unknown as Database;
  const dir = await mkdtemp(path.join(os.tmpdir(), "holdfast-bench-caldav-"));
  const folder = path.join(dir, "collections");
  const staging = path.join(dir, "staging");
  let radicale: RunningCalDavServer | null = null;
  let calendarIds: string[] = [];
  try {
    // ---- Radicale's storage folder, written directly --------------------------------------------
    const python = radicalePython();
    const nowMs = Date.now();
    const baseDayMs = Date.parse(`${formatInTimeZone(new Date(nowMs), TZ, "yyyy-MM-dd")}T00:00:00Z`);
    const seed = Math.floor(nowMs / DAY_MS);
    const storage = await writeRadicaleStorage({ python, folder, staging, calendarCount, eventsPerCalendar, horizonDays, seed, baseDayMs, nowMs });

    radicale = await startMeasuredRadicale(folder, storage.users);
    const { serviceId, cals } = await seedStudio(db, storage.calendars, radicale.baseUrl);
    calendarIds = cals.map((c) => c.id);
    const ids = new Set(calendarIds);

    // ---- 1. Initial full sync -------------------------------------------------------------------
    const initialCycle = await pullCycle(db, ids, concurrency);
    const [counts] = (
      await db.execute<{ blocks: number; objects: number }>(sql`select
        (select count(*)::int from busy_blocks where calendar_id = any(${sql.param(calendarIds)}::uuid[])) as blocks,
        (select count(*)::int from calendar_objects where calendar_id = any(${sql.param(calendarIds)}::uuid[])) as objects`)
    ).rows;
    await db.execute(sql`analyze busy_blocks`);
    await db.execute(sql`analyze calendar_objects`);

    // ---- 4b (initial). The server alone, for the same initial requests ---------------------------
    const initialFloor = await initialFloorCycle(cals, concurrency);

    // ---- 2 + 4b. Idle cycles against the server-only floor -------------------------------------
    const { idle, floor, idleRounds, floorRounds } = await idleCycles(db, cals, ids, concurrency, idlePairs);

    // ---- 3. 1 % of the events changed (files edited on disk; Radicale re-reads by content hash) --
    const editedHrefs = editOnePercent({ cals, specs: storage.specs, staging, eventsPerCalendar, horizonDays, seed, baseDayMs });
    // What the artist's PUTs would have made Radicale do: parse the new versions, record history.
    const radicaleReparseSeconds = await warmCollections(
      python,
      folder,
      cals.map((c) => `/${c.username}/personal/`),
    );
    const before = await blockIds(db, calendarIds);
    const changedCycle = await pullCycle(db, ids, concurrency);
    const after = await blockIds(db, calendarIds);
    const deletedRows = [...before].filter(([id]) => !after.has(id));
    const insertedRows = [...after].filter(([id]) => !before.has(id));

    // ---- 4a. The time-range way ---------------------------------------------------------------
    const window = { from: new Date(Date.now() - DAY_MS), to: new Date(Date.now() + horizonDays * DAY_MS) };
    const timeRange = await timeRangeCycle(db, cals, concurrency, window);
    // The mirror now holds the same blocks by content (new row ids), so the pull's state is intact.

    // ---- 6a. An artist's new event until its slot is gone ---------------------------------------
    const artistEvent = await artistEventLatency(db, cals, serviceId, concurrency);

    // ---- 6b. A submitted request until its event is in Radicale (resident worker) ---------------
    const requestToCalendar = await requestToCalendarLatency(db, cals, serviceId);

    const totalBlocksAfter = after.size;
    const { tickMs } = artistEvent;
    const result: CaldavSyncResult = {
      setup: {
        calendars: calendarCount,
        eventsPerCalendar,
        objects: calendarCount * eventsPerCalendar,
        distinctObjects: storage.distinct,
        concurrency,
        radicaleVersion: radicaleVersion(),
        storageMB: ((storage.storageBytes / storage.distinct) * calendarCount * eventsPerCalendar) / 1e6,
        writeSeconds: storage.writeSeconds,
        radicaleParseSeconds: storage.radicaleParseSeconds,
        linkSeconds: storage.linkSeconds,
        horizonDays,
        hostLoad: { start: loadAtStart, end: os.loadavg()[0]!, cpus: os.availableParallelism() },
      },
      initial: { ...initialCycle, busyBlockRows: counts?.blocks ?? 0, calendarObjectRows: counts?.objects ?? 0, floor: initialFloor },
      idle: { holdfast: idle, floor, holdfastRoundsMs: idleRounds.map((r) => r.ms), floorRoundsMs: floorRounds.map((r) => r.ms) },
      onePercent: {
        ...changedCycle,
        objectsEdited: editedHrefs.size,
        calendarsEdited: cals.length,
        rowsInserted: insertedRows.length,
        rowsDeleted: deletedRows.length,
        rowsDeletedOfUnchangedObjects: deletedRows.filter(([, href]) => !editedHrefs.has(href)).length,
        rowsInsertedForUnchangedObjects: insertedRows.filter(([, href]) => !editedHrefs.has(href)).length,
        totalBlocksAfter,
        radicaleReparseSeconds,
      },
      timeRange,
      ratios: {
        idleOverheadPct: (idle.ms / floor.ms - 1) * 100,
        bytesTimeRangeOverIdle: timeRange.bytes / idle.bytes,
        bytesTimeRangeOverOnePercent: timeRange.bytes / changedCycle.bytes,
        onePercentWrittenPct: ((insertedRows.length + deletedRows.length) / 2 / Math.max(1, totalBlocksAfter)) * 100,
        initialSeconds: initialCycle.ms / 1000,
      },
      latency: {
        artistEvent: {
          ...artistEvent,
          // The tick is unaligned to the artist's edit: on average half an interval passes before it
          // fires, plus half the tick's own duration (the calendar may be pulled early or late in it).
          meanWithMinuteTickSeconds: 30 + tickMs / 2 / 1000,
          worstWithMinuteTickSeconds: 60 + tickMs / 1000,
          meanWithInProcessTickSeconds: IN_PROCESS_TICK_MS / 2 / 1000 + tickMs / 2 / 1000,
          worstWithInProcessTickSeconds: IN_PROCESS_TICK_MS / 1000 + tickMs / 1000,
        },
        requestToCalendar,
      },
      totalSeconds: 0,
    };
    result.totalSeconds = (performance.now() - benchStarted) / 1000;
    return result;
  } finally {
    await radicale?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    // The bench calendars must not be pulled later (e.g. by another bench's server tick) against a stopped Radicale.
    if (calendarIds.length) await removeCalendars(db, calendarIds).catch(() => undefined);
    await pool.end();
  }
}
