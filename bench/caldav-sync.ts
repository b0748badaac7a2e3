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
 * The measured server runs with Radicale's defaults. None of this is timed as sync work.
 *
 * Bytes are HTTP body bytes, both directions (request + response), counted the same way for
 * Holdfast (its CalDavClient counters), the floor and the time-range way; headers are excluded.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatInTimeZone } from "date-fns-tz";
import { eq, inArray, like, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { fetchCalendarObjects, syncCollection } from "tsdav";
import { createPool, type Database } from "@/db/client";
import { freePort } from "@/db/embedded";
import * as schema from "@/db/schema";
import { artists, artistServices, busyBlocks, calendars, services, studioSettings, workingHours } from "@/db/schema";
import { getAvailability } from "@/lib/availability/get-availability";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { objectFileName } from "@/lib/caldav/booking-event";
import { createCalDavClient } from "@/lib/caldav/caldav-client";
import { clientForCalendar } from "@/lib/caldav/client-for-calendar";
import { encryptSecret } from "@/lib/caldav/encrypt-secret";
import { expandBusyIntervals } from "@/lib/caldav/expand-busy-intervals";
import { parseCalendarObject } from "@/lib/caldav/parse-calendar-object";
import { DEFAULT_HORIZON_DAYS, pullCalendarChanges, pullDueCalendars, type PullSummary } from "@/lib/caldav/pull-calendar";
import { startJobWorker } from "@/lib/jobs/job-runner";
import { IN_PROCESS_TICK_MS } from "@/lib/jobs/run-scheduled-tick";
import { stopChild } from "@/tests/support/caldav-servers";
import { seededRandom } from "@/tests/support/seeded-random";
import { runConcurrently, summarize } from "./support";

const TZ = "Europe/Berlin";
const DAY_MS = 86_400_000;
const SLUG_PREFIX = "caldav-bench-";
const SERVICE_SLUG = "caldav-bench-service";
const CRLF = "\r\n";
/** Distinct objects per calendar-size: the pool each calendar draws its events from. */
const POOL_FACTOR = 3;
/** Objects per Radicale pool collection (the unit the parse pass is spread over processes by). */
const POOL_COLLECTION_SIZE = 500;

// -------------------------------------------------------------------------------------------------
// Result

export type Traffic = { ms: number; requests: number; bytes: number };
export type PullCycle = Traffic & {
  calendars: number;
  failed: number;
  firstError: string | null;
  objectsChanged: number;
  blocksWritten: number;
  perCalendar: { p50: number; p95: number; max: number };
  /** Calendars outside this benchmark that the cycle also pulled (0 in a fresh database). */
  foreign: number;
};

export type CaldavSyncResult = {
  setup: {
    calendars: number;
    eventsPerCalendar: number;
    objects: number;
    distinctObjects: number;
    concurrency: number;
    radicaleVersion: string;
    storageMB: number;
    writeSeconds: number;
    radicaleParseSeconds: number;
    linkSeconds: number;
    horizonDays: number;
    /** 1-minute load average at the start and end, and the CPU count: other work on the host skews every time here. */
    hostLoad: { start: number; end: number; cpus: number };
  };
  initial: PullCycle & { busyBlockRows: number; calendarObjectRows: number; floor: Traffic };
  idle: { holdfast: PullCycle; floor: Traffic; holdfastRoundsMs: number[]; floorRoundsMs: number[] };
  onePercent: PullCycle & {
    objectsEdited: number;
    calendarsEdited: number;
    rowsInserted: number;
    rowsDeleted: number;
    rowsDeletedOfUnchangedObjects: number;
    rowsInsertedForUnchangedObjects: number;
    totalBlocksAfter: number;
    radicaleReparseSeconds: number;
  };
  timeRange: Traffic & { objects: number; blocksWritten: number; calendars: number; failed: number };
  ratios: {
    idleOverheadPct: number;
    bytesTimeRangeOverIdle: number;
    bytesTimeRangeOverOnePercent: number;
    onePercentWrittenPct: number;
    initialSeconds: number;
  };
  latency: {
    artistEvent: {
      tickMs: number;
      meanWithInProcessTickSeconds: number;
      worstWithInProcessTickSeconds: number;
      tickCalendars: number;
      calendarPullInTickMs: number;
      directPullMs: number;
      slotGoneAfterTick: boolean;
      slotGoneAfterDirectPull: boolean;
      meanWithMinuteTickSeconds: number;
      worstWithMinuteTickSeconds: number;
    };
    requestToCalendar: { samplesMs: number[]; p50Ms: number; maxMs: number; allArrived: boolean };
  };
  totalSeconds: number;
};

// -------------------------------------------------------------------------------------------------
// Realistic calendar objects (what Nextcloud's calendar app writes), deterministic per run seed

type Rng = ReturnType<typeof seededRandom>;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function uuidFrom(rng: Rng) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const VTIMEZONE_BERLIN = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Berlin",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
];

const SUMMARIES = [
  "Consultation",
  "Sketch session",
  "Touch-up",
  "Sleeve, part 3",
  "Zahnarzt",
  "Mittagessen mit Jörg",
  "Supplier call",
  "Flash day prep",
  "Gym",
  "Café with Léa",
  "Kids pick-up",
  "Convention travel",
  "Cover-up session",
  "Bookkeeping",
  "Studio cleaning",
];
const LOCATIONS = ["Studio A", "Studio B", "Kastanienallee 12, Berlin", "Zoom", "Home"];
const DESCRIPTIONS = ["Bring the reference sheets", "Deposit paid", "Call if late: +49 30 1234567", "Second session of three", "Check stencil sizes first"];
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

type EventKind = "single" | "free" | "allday" | "weekly";
type EventSpec = {
  uid: string;
  kind: EventKind;
  dayOffset: number;
  startMinute: number;
  durationMinutes: number;
  allDayDays: number;
  rule: { kind: "count"; count: number } | { kind: "until"; weeks: number } | { kind: "open"; interval: 1 | 2 } | null;
  exdate: boolean;
  override: boolean;
  summary: string;
  location: string | null;
  description: string | null;
  alarm: boolean;
  tentative: boolean;
  createdDaysAgo: number;
  sequence: number;
};

/** Times of a spec: single events 08:00–20:00 local over the next 6 months; series may have started up to 8 weeks ago. */
function drawTimes(rng: Rng, kind: EventKind, horizonDays: number) {
  if (kind === "allday") return { dayOffset: between(rng, 1, horizonDays - 3), startMinute: 0, durationMinutes: 0, allDayDays: between(rng, 1, 2) };
  const durationMinutes = kind === "weekly" ? pick(rng, [60, 90, 120]) : pick(rng, [30, 60, 60, 90, 120, 180]);
  const startMinute = 8 * 60 + 15 * between(rng, 0, (12 * 60 - durationMinutes) / 15);
  const dayOffset = kind === "weekly" ? between(rng, -56, horizonDays - 30) : between(rng, 1, horizonDays - 1);
  return { dayOffset, startMinute, durationMinutes, allDayDays: 0 };
}

function drawSpec(rng: Rng, horizonDays: number): EventSpec {
  const r = rng();
  const kind: EventKind = r < 0.06 ? "weekly" : r < 0.08 ? "allday" : r < 0.1 ? "free" : "single";
  const ruleDraw = rng();
  return {
    uid: uuidFrom(rng),
    kind,
    ...drawTimes(rng, kind, horizonDays),
    rule:
      kind !== "weekly"
        ? null
        : ruleDraw < 1 / 3
          ? { kind: "count", count: between(rng, 6, 20) }
          : ruleDraw < 2 / 3
            ? { kind: "until", weeks: between(rng, 8, 26) }
            : { kind: "open", interval: rng() < 0.7 ? 1 : 2 },
    exdate: kind === "weekly" && rng() < 1 / 3,
    override: kind === "weekly" && rng() < 1 / 6,
    summary: pick(rng, SUMMARIES),
    location: rng() < 0.4 ? pick(rng, LOCATIONS) : null,
    description: rng() < 0.3 ? pick(rng, DESCRIPTIONS) : null,
    alarm: rng() < 0.5,
    tentative: rng() < 0.05,
    createdDaysAgo: between(rng, 1, 120),
    sequence: 0,
  };
}

/** The artist moved the event (or changed the series' time): same UID and href, new times, SEQUENCE + 1. */
function editSpec(rng: Rng, spec: EventSpec, horizonDays: number): EventSpec {
  return { ...spec, ...drawTimes(rng, spec.kind, horizonDays), sequence: spec.sequence + 1, createdDaysAgo: spec.createdDaysAgo };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
function ymd(ms: number) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}
const hms = (minute: number) => `${pad(Math.floor(minute / 60))}${pad(minute % 60)}00`;
const utcStamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** One object's iCalendar text; `baseDayMs` is today's Berlin date at 00:00 UTC (date arithmetic only). */
function renderEvent(spec: EventSpec, baseDayMs: number, nowMs: number): string {
  const day = baseDayMs + spec.dayOffset * DAY_MS;
  const stamp = utcStamp(nowMs - spec.createdDaysAgo * DAY_MS + spec.sequence * 3_600_000);
  const local = (dayMs: number, minute: number) => `;TZID=${TZ}:${ymd(dayMs)}T${hms(minute)}`;
  const endMinute = spec.startMinute + spec.durationMinutes;
  const common = (summary: string) =>
    [
      `CREATED:${utcStamp(nowMs - spec.createdDaysAgo * DAY_MS)}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${stamp}`,
      `SEQUENCE:${spec.sequence}`,
      `UID:${spec.uid}`,
    ].concat(
      [`STATUS:${spec.tentative ? "TENTATIVE" : "CONFIRMED"}`, `SUMMARY:${summary}`],
      spec.location ? [`LOCATION:${spec.location.replace(/,/g, "\\,")}`] : [],
      spec.description ? [`DESCRIPTION:${spec.description.replace(/,/g, "\\,")}`] : [],
      spec.kind === "free" ? ["TRANSP:TRANSPARENT"] : [],
    );
  const alarm = spec.alarm
    ? ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", `TRIGGER:-PT${spec.kind === "allday" ? "15H" : "15M"}`, "END:VALARM"]
    : [];
  const events: string[] = [];
  if (spec.kind === "allday") {
    events.push(
      "BEGIN:VEVENT",
      ...common(spec.summary),
      `DTSTART;VALUE=DATE:${ymd(day)}`,
      `DTEND;VALUE=DATE:${ymd(day + spec.allDayDays * DAY_MS)}`,
      ...alarm,
      "END:VEVENT",
    );
  } else {
    const recurrence: string[] = [];
    const interval = spec.rule?.kind === "open" ? spec.rule.interval : 1;
    if (spec.rule) {
      const byday = `BYDAY=${WEEKDAYS[new Date(day).getUTCDay()]}`;
      const rule =
        spec.rule.kind === "count"
          ? `FREQ=WEEKLY;${byday};COUNT=${spec.rule.count}`
          : spec.rule.kind === "until"
            ? `FREQ=WEEKLY;${byday};UNTIL=${ymd(day + spec.rule.weeks * 7 * DAY_MS)}T225959Z`
            : `FREQ=WEEKLY;${interval === 2 ? "INTERVAL=2;" : ""}${byday}`;
      recurrence.push(`RRULE:${rule}`);
      if (spec.exdate) recurrence.push(`EXDATE${local(day + 7 * interval * DAY_MS, spec.startMinute)}`);
    }
    events.push(
      "BEGIN:VEVENT",
      ...common(spec.summary),
      `DTSTART${local(day, spec.startMinute)}`,
      `DTEND${local(day, endMinute)}`,
      ...recurrence,
      ...alarm,
      "END:VEVENT",
    );
    if (spec.rule && spec.override) {
      // The third occurrence, moved one hour later (what dragging one occurrence in the UI writes).
      const occurrence = day + 2 * 7 * interval * DAY_MS;
      events.push(
        "BEGIN:VEVENT",
        ...common(`${spec.summary} (moved)`),
        `RECURRENCE-ID${local(occurrence, spec.startMinute)}`,
        `DTSTART${local(occurrence, spec.startMinute + 60)}`,
        `DTEND${local(occurrence, endMinute + 60)}`,
        "END:VEVENT",
      );
    }
  }
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//IDN nextcloud.com//Calendar app 4.7.6//EN",
    "CALSCALE:GREGORIAN",
    ...VTIMEZONE_BERLIN,
    ...events,
    "END:VCALENDAR",
    "",
  ].join(CRLF);
}

// -------------------------------------------------------------------------------------------------
// Radicale: its storage layout, its own code for the caches, and the measured server

/** The Python that runs Radicale (from the `radicale` script's shebang), so its modules import. */
function radicalePython(): string {
  const which = spawnSync("sh", ["-c", "command -v radicale"], { encoding: "utf8" });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) throw new Error("radicale is not installed (apt-get install -y radicale)");
  const shebang = readFileSync(bin, "utf8").split("\n")[0] ?? "";
  const interpreter = shebang.startsWith("#!") ? shebang.slice(2).trim().split(/\s+/) : [];
  if (interpreter[0]?.endsWith("/env") && interpreter[1]) return interpreter[1];
  return interpreter[0] ?? "/usr/bin/python3";
}

function radicaleVersion(): string {
  const out = spawnSync("radicale", ["--version"], { encoding: "utf8" });
  return (out.stdout || out.stderr).trim() || "unknown";
}

/**
 * Radicale's own sync() on each collection, with fsync off: parses every object it has not
 * cached yet (its item cache), records each object's history etag and the collection's sync
 * state — exactly what the server would have done when the objects were PUT.
 */
const WARM_PY = `
import sys
from radicale import config, storage
conf = config.load([])
conf.update({"storage": {"filesystem_folder": sys.argv[1], "_filesystem_fsync": "False"}}, "holdfast bench", privileged=True)
st = storage.load(conf)
for path in sys.argv[2:]:
    with st.acquire_lock("r"):
        for coll in st.discover(path):
            coll.sync()
`;

async function warmCollections(python: string, folder: string, paths: string[]) {
  if (paths.length === 0) return 0;
  const started = performance.now();
  const processes = Math.max(1, Math.min(os.availableParallelism(), 4, paths.length));
  await Promise.all(
    Array.from({ length: processes }, (_, p) => {
      const mine = paths.filter((_, i) => i % processes === p);
      return new Promise<void>((resolve, reject) => {
        const child = spawn(python, ["-c", WARM_PY, folder, ...mine], { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr?.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
        child.once("error", reject);
        child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`Radicale cache warm-up exited with ${code}:\n${err}`))));
      });
    }),
  );
  return (performance.now() - started) / 1000;
}

type RadicaleServer = { baseUrl: string; stop: () => Promise<void> };

async function startRadicaleOn(folder: string, usersFile: string): Promise<RadicaleServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "radicale",
    [
      "--config",
      "",
      "--server-hosts",
      `127.0.0.1:${port}`,
      "--storage-filesystem-folder",
      folder,
      "--auth-type",
      "htpasswd",
      "--auth-htpasswd-filename",
      usersFile,
      "--auth-htpasswd-encryption",
      "plain",
      "--auth-delay",
      "0",
      "--logging-level",
      "warning",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`radicale exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(baseUrl, { method: "OPTIONS", signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`radicale did not answer within 20 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    baseUrl,
    stop: () => stopChild(child),
  };
}

/** Writes `text` to `target` by rename, so a hard-linked original shared with other calendars stays as it was. */
function replaceFile(staging: string, target: string, text: string) {
  const tmp = path.join(staging, randomBytes(8).toString("hex"));
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

const collectionProps = (name: string) => JSON.stringify({ "C:supported-calendar-component-set": "VEVENT", "D:displayname": name, tag: "VCALENDAR" });

// -------------------------------------------------------------------------------------------------
// Measurements

type BenchCalendar = {
  id: string;
  artistId: string;
  artistSlug: string;
  username: string;
  password: string;
  url: string;
  folder: string;
  hrefs: string[];
  specIndex: number[];
};

function sumPulls(results: PullSummary[], ids: Set<string>, ms: number): PullCycle {
  const mine = results.filter((r) => ids.has(r.calendarId));
  const failed = mine.filter((r) => r.status !== "success" && r.status !== "partial");
  const per = summarize(mine.map((r) => r.durationMs));
  return {
    ms,
    requests: mine.reduce((n, r) => n + r.requests, 0),
    bytes: mine.reduce((n, r) => n + r.bytes, 0),
    calendars: mine.length,
    failed: failed.length + Math.max(0, ids.size - mine.length),
    firstError: failed[0] ? `${failed[0].status}: ${failed[0].errorCode ?? ""} ${failed[0].error ?? ""}`.trim() : null,
    objectsChanged: mine.reduce((n, r) => n + r.objectsChanged, 0),
    blocksWritten: mine.reduce((n, r) => n + r.blocksWritten, 0),
    perCalendar: { p50: per.p50, p95: per.p95, max: per.max },
    foreign: results.length - mine.length,
  };
}

/**
 * What the minute tick does for these calendars: make them due, then pullDueCalendars. The limit
 * keeps a cycle longer than the 45 s sync interval from pulling its first calendars a second time
 * (the real tick has no limit: one that runs longer than 45 s re-pulls its earliest calendars,
 * incrementally and under the claim, so it costs time but never does anything twice at once).
 */
async function pullCycle(db: Database, ids: Set<string>, concurrency: number): Promise<PullCycle> {
  await db
    .update(calendars)
    .set({ nextSyncAt: sql`now()` })
    .where(inArray(calendars.id, [...ids]));
  const started = performance.now();
  const { results } = await pullDueCalendars(db, { concurrency, limit: ids.size });
  return sumPulls(results, ids, performance.now() - started);
}

type PreparedRequest = { url: string; headers: Headers; body: string };

/** The exact sync-collection request Holdfast's client sends (tsdav builds it), captured without sending it. */
async function captureSyncRequest(url: string, token: string, authorization: string): Promise<PreparedRequest> {
  let captured: PreparedRequest | null = null;
  const capture: typeof fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", authorization);
    captured = { url: input instanceof Request ? input.url : String(input), headers, body: String(init.body ?? "") };
    return new Response(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token></d:multistatus>`, { status: 207 });
  };
  await syncCollection({ url, props: { "d:getetag": {} }, syncLevel: 1, syncToken: token, fetch: capture }).catch(() => undefined);
  if (!captured) throw new Error("could not capture the sync-collection request");
  return captured;
}

/** The server-only floor: the same REPORTs from a bare fetch that reads the body and parses nothing. */
async function floorCycle(db: Database, cals: BenchCalendar[], concurrency: number): Promise<Traffic> {
  const rows = await db
    .select({ id: calendars.id, token: calendars.syncToken })
    .from(calendars)
    .where(
      inArray(
        calendars.id,
        cals.map((c) => c.id),
      ),
    );
  const tokens = new Map(rows.map((r) => [r.id, r.token]));
  const requests = await Promise.all(
    cals.map((c) => {
      const token = tokens.get(c.id);
      if (!token) throw new Error(`calendar ${c.url} has no sync token`);
      return captureSyncRequest(c.url, token, `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`);
    }),
  );
  let bytes = 0;
  const run = await runConcurrently(requests.length, concurrency, async (i) => {
    const r = requests[i]!;
    const res = await fetch(r.url, { method: "REPORT", headers: r.headers, body: r.body });
    const body = await res.arrayBuffer();
    if (res.status !== 207) throw new Error(`floor REPORT ${r.url} answered ${res.status}`);
    bytes += Buffer.byteLength(r.body) + body.byteLength;
  });
  return { ms: run.elapsedMs, requests: requests.length, bytes };
}

/**
 * The server-only floor of the initial sync: the requests Holdfast's client sends for it (a
 * sync-collection without token, then calendar-multigets of 100 hrefs), captured from that very
 * client and replayed by a bare fetch that reads each body and parses nothing. The hrefs come
 * from the seed, not from the answers.
 */
async function initialFloorCycle(cals: BenchCalendar[], concurrency: number): Promise<Traffic> {
  const prepared: PreparedRequest[][] = [];
  for (const c of cals) {
    const captured: PreparedRequest[] = [];
    const capture: typeof fetch = async (input, init = {}) => {
      captured.push({ url: input instanceof Request ? input.url : String(input), headers: new Headers(init.headers), body: String(init.body ?? "") });
      return new Response(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"></d:multistatus>`, { status: 207 });
    };
    const client = createCalDavClient({ serverUrl: c.url, username: c.username, password: c.password }, { fetch: capture });
    await client.syncChanges(c.url, null).catch(() => undefined);
    for (let k = 0; k < c.hrefs.length; k += 100)
      await client
        .fetchObjects(
          c.url,
          c.hrefs.slice(k, k + 100).map((h) => new URL(h, c.url).href),
        )
        .catch(() => undefined);
    prepared.push(captured);
  }
  let bytes = 0;
  let requests = 0;
  const run = await runConcurrently(prepared.length, concurrency, async (i) => {
    for (const r of prepared[i]!) {
      const res = await fetch(r.url, { method: "REPORT", headers: r.headers, body: r.body });
      const body = await res.arrayBuffer();
      if (res.status !== 207) throw new Error(`floor REPORT ${r.url} answered ${res.status}`);
      bytes += Buffer.byteLength(r.body) + body.byteLength;
      requests += 1;
    }
  });
  return { ms: run.elapsedMs, requests, bytes };
}

function textOf(node: unknown): string | null {
  if (typeof node === "string") return node;
  if (node && typeof node === "object") {
    const o = node as { _cdata?: unknown; _text?: unknown };
    if (typeof o._cdata === "string") return o._cdata;
    if (typeof o._text === "string") return o._text;
  }
  return null;
}

/**
 * The time-range way: per calendar one calendar-query REPORT over the horizon with calendar-data
 * (tsdav's fetchCalendarObjects with timeRange + expand, as Cal.com calls it; Radicale 3.1 ignores
 * <expand> and sends the objects whole), then every object parsed and expanded with Holdfast's
 * own code and all of the calendar's busy blocks replaced in one transaction.
 */
async function timeRangeCycle(db: Database, cals: BenchCalendar[], concurrency: number, window: { from: Date; to: Date }) {
  const rows = await db
    .select()
    .from(calendars)
    .where(
      inArray(
        calendars.id,
        cals.map((c) => c.id),
      ),
    );
  let requests = 0;
  let bytes = 0;
  let objects = 0;
  let blocksWritten = 0;
  let failed = 0;
  const run = await runConcurrently(rows.length, concurrency, async (i) => {
    const calendar = rows[i]!;
    const stats = { requests: 0, bytesSent: 0, bytesReceived: 0 };
    const client = clientForCalendar(calendar, { stats });
    try {
      const fetched = await fetchCalendarObjects({
        calendar: { url: calendar.calendarUrl },
        timeRange: { start: window.from.toISOString(), end: window.to.toISOString() },
        expand: true,
        fetch: client.fetch,
      });
      const blocks: (typeof busyBlocks.$inferInsert)[] = [];
      for (const object of fetched) {
        const data = textOf(object.data);
        if (!data) continue;
        objects += 1;
        const parsed = parseCalendarObject(data);
        for (const interval of expandBusyIntervals(parsed, { from: window.from, to: window.to, fallbackZone: TZ }).intervals) {
          blocks.push({
            artistId: calendar.artistId,
            calendarId: calendar.id,
            sourceHref: object.url,
            sourceUid: interval.uid || null,
            recurrenceId: interval.recurrenceId,
            startsAt: interval.start,
            endsAt: interval.end,
          });
        }
      }
      await db.transaction(async (tx) => {
        await tx.delete(busyBlocks).where(eq(busyBlocks.calendarId, calendar.id));
        for (let k = 0; k < blocks.length; k += 1000) await tx.insert(busyBlocks).values(blocks.slice(k, k + 1000));
      });
      blocksWritten += blocks.length;
    } catch (err) {
      failed += 1;
      console.error(`[bench] time-range fetch of ${calendar.calendarUrl} failed:`, err instanceof Error ? err.message : err);
    }
    requests += stats.requests;
    bytes += stats.bytesSent + stats.bytesReceived;
  });
  return { ms: run.elapsedMs, requests, bytes, objects, blocksWritten, calendars: rows.length, failed };
}

async function blockIds(db: Database, ids: string[]) {
  const rows = await db.select({ id: busyBlocks.id, href: busyBlocks.sourceHref }).from(busyBlocks).where(inArray(busyBlocks.calendarId, ids));
  return new Map(rows.map((r) => [r.id, r.href ?? ""]));
}

function authHeader(c: BenchCalendar) {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

/** A free slot of the bench service for this artist, at least `daysAhead` days out. */
async function freeSlot(db: Database, c: BenchCalendar, serviceId: string, daysAhead: number, skip = 0) {
  for (let from = daysAhead; from < daysAhead + 120; from += 14) {
    const fromDate = formatInTimeZone(new Date(Date.now() + from * DAY_MS), TZ, "yyyy-MM-dd");
    const toDate = formatInTimeZone(new Date(Date.now() + (from + 13) * DAY_MS), TZ, "yyyy-MM-dd");
    const { slots } = await getAvailability(db, { artist: c.artistId, service: serviceId, fromDate, toDate });
    if (slots.length > skip) return slots[skip]!;
  }
  throw new Error(`no free slot for ${c.artistSlug}`);
}

async function slotIsOffered(db: Database, c: BenchCalendar, serviceId: string, start: Date) {
  const day = formatInTimeZone(start, TZ, "yyyy-MM-dd");
  const { slots } = await getAvailability(db, { artist: c.artistId, service: serviceId, fromDate: day, toDate: day });
  return slots.some((s) => s.start.getTime() === start.getTime());
}

async function putArtistEvent(c: BenchCalendar, start: Date, end: Date, summary: string) {
  const uid = `${randomBytes(8).toString("hex")}-artist-new`;
  const local = (d: Date) => formatInTimeZone(d, TZ, "yyyyMMdd'T'HHmmss");
  const ics = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//IDN nextcloud.com//Calendar app 4.7.6//EN",
    "CALSCALE:GREGORIAN",
    ...VTIMEZONE_BERLIN,
    "BEGIN:VEVENT",
    `UID:${uid}`,
    `DTSTAMP:${utcStamp(Date.now())}`,
    `DTSTART;TZID=${TZ}:${local(start)}`,
    `DTEND;TZID=${TZ}:${local(end)}`,
    `SUMMARY:${summary}`,
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join(CRLF);
  const res = await fetch(new URL(`${uid}.ics`, c.url), {
    method: "PUT",
    headers: { "content-type": "text/calendar; charset=utf-8", authorization: authHeader(c) },
    body: ics,
  });
  if (res.status >= 300) throw new Error(`PUT answered ${res.status}: ${await res.text()}`);
}

// -------------------------------------------------------------------------------------------------

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

  const pool = createPool(databaseUrl, 16);
  const db = drizzle(pool, { schema }) as unknown as Database;
  const dir = await mkdtemp(path.join(os.tmpdir(), "holdfast-bench-caldav-"));
  const folder = path.join(dir, "collections");
  const staging = path.join(dir, "staging");
  let radicale: RadicaleServer | null = null;
  let worker: Awaited<ReturnType<typeof startJobWorker>> | null = null;
  let calendarIds: string[] = [];
  try {
    // ---- Radicale's storage folder, written directly --------------------------------------------
    const python = radicalePython();
    const nowMs = Date.now();
    const baseDayMs = Date.parse(`${formatInTimeZone(new Date(nowMs), TZ, "yyyy-MM-dd")}T00:00:00Z`);
    const seed = Math.floor(nowMs / DAY_MS);
    const rng = seededRandom(seed);
    const distinct = Math.min(calendarCount, POOL_FACTOR) * eventsPerCalendar;
    const specs = Array.from({ length: distinct }, () => drawSpec(rng, horizonDays));
    mkdirSync(staging, { recursive: true });

    const writeStarted = performance.now();
    let storageBytes = 0;
    const poolPaths: string[] = [];
    const poolFolderOf = (i: number) => path.join(folder, "collection-root", "bench-pool", `p${Math.floor(i / POOL_COLLECTION_SIZE)}`);
    for (let i = 0; i < distinct; i += 1) {
      const poolFolder = poolFolderOf(i);
      if (i % POOL_COLLECTION_SIZE === 0) {
        mkdirSync(poolFolder, { recursive: true });
        writeFileSync(path.join(poolFolder, ".Radicale.props"), collectionProps("pool"));
        poolPaths.push(`/bench-pool/p${Math.floor(i / POOL_COLLECTION_SIZE)}/`);
      }
      const text = renderEvent(specs[i]!, baseDayMs, nowMs);
      storageBytes += Buffer.byteLength(text);
      writeFileSync(path.join(poolFolder, `${specs[i]!.uid}.ics`), text);
    }
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    const radicaleParseSeconds = await warmCollections(python, folder, poolPaths);

    // Each calendar: its own user (artist-001 …) and a different random draw from the pool.
    const linkStarted = performance.now();
    const users: string[] = [];
    const benchCalendars: Omit<BenchCalendar, "id" | "artistId" | "url">[] = [];
    for (let c = 0; c < calendarCount; c += 1) {
      const username = `artist-${pad(c + 1, 3)}`;
      const password = `app-password-${pad(c + 1, 3)}-${randomBytes(6).toString("hex")}`;
      users.push(`${username}:${password}`);
      const calFolder = path.join(folder, "collection-root", username, "personal");
      for (const cache of ["item", "history"]) mkdirSync(path.join(calFolder, ".Radicale.cache", cache), { recursive: true });
      writeFileSync(path.join(calFolder, ".Radicale.props"), collectionProps("Personal"));
      const draw = seededRandom(seed * 1000 + c + 1);
      const order = Array.from({ length: distinct }, (_, i) => i);
      for (let k = 0; k < eventsPerCalendar; k += 1) {
        const j = k + Math.floor(draw() * (distinct - k));
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      const specIndex = order.slice(0, eventsPerCalendar);
      const hrefs: string[] = [];
      for (const i of specIndex) {
        const file = `${specs[i]!.uid}.ics`;
        linkSync(path.join(poolFolderOf(i), file), path.join(calFolder, file));
        for (const cache of ["item", "history"])
          linkSync(path.join(poolFolderOf(i), ".Radicale.cache", cache, file), path.join(calFolder, ".Radicale.cache", cache, file));
        hrefs.push(file);
      }
      benchCalendars.push({ artistSlug: `${SLUG_PREFIX}${pad(c + 1, 3)}`, username, password, folder: calFolder, hrefs, specIndex });
    }
    await rm(path.join(folder, "collection-root", "bench-pool"), { recursive: true, force: true });
    const usersFile = path.join(dir, "users");
    writeFileSync(usersFile, users.join("\n") + "\n");
    const linkSeconds = (performance.now() - linkStarted) / 1000;

    radicale = await startRadicaleOn(folder, usersFile);
    const baseUrl = radicale.baseUrl;

    // ---- The studio: one artist per calendar, working hours 08:00–22:00 (the artists' own events sit in 08:00–20:00)
    await db.insert(studioSettings).values({ id: 1, name: "Bench Studio", email: "bench@holdfast.local", timezone: TZ }).onConflictDoNothing();
    await db
      .insert(services)
      .values({ slug: SERVICE_SLUG, name: "CalDAV bench session", durationMinutes: 60, minNoticeMinutes: 0, bookingWindowDays: 400, slotStepMinutes: 30 })
      .onConflictDoNothing();
    const [service] = await db.select({ id: services.id }).from(services).where(eq(services.slug, SERVICE_SLUG));
    const serviceId = service!.id;
    // Leftovers of an interrupted earlier run must not take part.
    const stale = await db
      .select({ id: calendars.id })
      .from(calendars)
      .innerJoin(artists, eq(artists.id, calendars.artistId))
      .where(like(artists.slug, `${SLUG_PREFIX}%`));
    if (stale.length) {
      await db.delete(busyBlocks).where(
        inArray(
          busyBlocks.calendarId,
          stale.map((s) => s.id),
        ),
      );
      await db.delete(calendars).where(
        inArray(
          calendars.id,
          stale.map((s) => s.id),
        ),
      );
    }
    await db
      .insert(artists)
      .values(benchCalendars.map((c, i) => ({ slug: c.artistSlug, name: `CalDAV bench artist ${i + 1}`, timezone: TZ })))
      .onConflictDoNothing();
    const artistRows = await db
      .select({ id: artists.id, slug: artists.slug })
      .from(artists)
      .where(
        inArray(
          artists.slug,
          benchCalendars.map((c) => c.artistSlug),
        ),
      );
    const artistId = new Map(artistRows.map((a) => [a.slug, a.id]));
    const artistIds = [...artistId.values()];
    await db
      .insert(artistServices)
      .values(artistIds.map((id) => ({ artistId: id, serviceId })))
      .onConflictDoNothing();
    await db.delete(workingHours).where(inArray(workingHours.artistId, artistIds));
    await db
      .insert(workingHours)
      .values(
        artistIds.flatMap((id) =>
          [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ artistId: id, effectiveFrom: "2020-01-01", weekday, startTime: "08:00", endTime: "22:00" })),
        ),
      );
    const inserted = await db
      .insert(calendars)
      .values(
        benchCalendars.map((c) => ({
          artistId: artistId.get(c.artistSlug)!,
          serverUrl: baseUrl,
          username: c.username,
          passwordEncrypted: encryptSecret(c.password),
          calendarUrl: `${baseUrl}${c.username}/personal/`,
          displayName: "Personal",
          role: "write" as const,
        })),
      )
      .returning({ id: calendars.id, artistId: calendars.artistId, url: calendars.calendarUrl });
    const byArtist = new Map(inserted.map((r) => [r.artistId, r]));
    const cals: BenchCalendar[] = benchCalendars.map((c) => {
      const row = byArtist.get(artistId.get(c.artistSlug)!)!;
      return { ...c, id: row.id, artistId: row.artistId, url: row.url };
    });
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

    // ---- 2 + 4b. Idle cycles against the server-only floor, in A-B-B-A order (cancels drift) ---
    const floorRounds: Traffic[] = [];
    const idleRounds: PullCycle[] = [];
    for (let r = 0; r < idlePairs; r += 1) {
      if (r % 2 === 0) {
        floorRounds.push(await floorCycle(db, cals, concurrency));
        idleRounds.push(await pullCycle(db, ids, concurrency));
      } else {
        idleRounds.push(await pullCycle(db, ids, concurrency));
        floorRounds.push(await floorCycle(db, cals, concurrency));
      }
    }
    const mean = (list: Traffic[]): Traffic => ({
      ms: list.reduce((n, t) => n + t.ms, 0) / list.length,
      requests: Math.round(list.reduce((n, t) => n + t.requests, 0) / list.length),
      bytes: Math.round(list.reduce((n, t) => n + t.bytes, 0) / list.length),
    });
    const idle: PullCycle = { ...idleRounds[idleRounds.length - 1]!, ...mean(idleRounds), failed: idleRounds.reduce((n, r) => n + r.failed, 0) };
    const floor = mean(floorRounds);

    // ---- 3. 1 % of the events changed (files edited on disk; Radicale re-reads by content hash) --
    const perCalendarEdits = Math.max(1, Math.round(eventsPerCalendar / 100));
    const editRng = seededRandom(seed + 77);
    const editedHrefs = new Set<string>();
    for (const c of cals) {
      const chosen = new Set<number>();
      while (chosen.size < perCalendarEdits) chosen.add(Math.floor(editRng() * c.hrefs.length));
      for (const k of chosen) {
        const spec = specs[c.specIndex[k]!]!;
        replaceFile(staging, path.join(c.folder, c.hrefs[k]!), renderEvent(editSpec(editRng, spec, horizonDays), baseDayMs, Date.now()));
        editedHrefs.add(new URL(c.hrefs[k]!, c.url).href);
      }
    }
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
    const target = cals[Math.floor(cals.length / 2)]!;
    const slotA = await freeSlot(db, target, serviceId, 21);
    await putArtistEvent(target, slotA.start, slotA.end, "Dentist (new)");
    const tickStarted = performance.now();
    await db
      .update(calendars)
      .set({ nextSyncAt: sql`now()` })
      .where(inArray(calendars.id, calendarIds));
    const tick = await pullDueCalendars(db, { concurrency });
    const slotGoneAfterTick = !(await slotIsOffered(db, target, serviceId, slotA.start));
    const tickMs = performance.now() - tickStarted;
    const targetPull = tick.results.find((r) => r.calendarId === target.id);

    const slotB = await freeSlot(db, target, serviceId, 35);
    await putArtistEvent(target, slotB.start, slotB.end, "Family visit (new)");
    const directStarted = performance.now();
    await pullCalendarChanges(db, target.id);
    const slotGoneAfterDirectPull = !(await slotIsOffered(db, target, serviceId, slotB.start));
    const directPullMs = performance.now() - directStarted;

    // ---- 6b. A submitted request until its event is in Radicale (resident worker) ---------------
    worker = await startJobWorker(db);
    const samples: number[] = [];
    let allArrived = true;
    const actor = { kind: "customer" as const, ip: "203.0.113.50", userAgent: "holdfast-bench" };
    for (let k = 0; k < 5; k += 1) {
      const c = cals[(k * 7 + 3) % cals.length]!;
      const slot = await freeSlot(db, c, serviceId, 14, k);
      const { hold } = await createHold(db, { artist: c.artistId, service: serviceId, start: slot.start, actor });
      const started = performance.now();
      const { booking } = await submitRequest(db, {
        holdId: hold.id,
        holdToken: hold.token,
        customer: { name: `Bench Customer ${k}`, email: `bench${k}@example.com` },
        idempotencyKey: `caldav-bench-${hold.id}`,
        actor,
      });
      const href = new URL(objectFileName(booking.caldavUid), c.url).href;
      let arrived = false;
      while (performance.now() - started < 30_000) {
        const res = await fetch(href, { headers: { authorization: authHeader(c) } });
        const text = await res.text();
        if (res.status === 200 && text.includes("REQUEST:")) {
          arrived = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      samples.push(performance.now() - started);
      allArrived &&= arrived;
    }
    await worker.stop();
    worker = null;

    const sortedSamples = [...samples].sort((a, b) => a - b);
    const totalBlocksAfter = after.size;
    const editedSet = editedHrefs;
    const result: CaldavSyncResult = {
      setup: {
        calendars: calendarCount,
        eventsPerCalendar,
        objects: calendarCount * eventsPerCalendar,
        distinctObjects: distinct,
        concurrency,
        radicaleVersion: radicaleVersion(),
        storageMB: ((storageBytes / distinct) * calendarCount * eventsPerCalendar) / 1e6,
        writeSeconds,
        radicaleParseSeconds,
        linkSeconds,
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
        rowsDeletedOfUnchangedObjects: deletedRows.filter(([, href]) => !editedSet.has(href)).length,
        rowsInsertedForUnchangedObjects: insertedRows.filter(([, href]) => !editedSet.has(href)).length,
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
          tickMs,
          tickCalendars: tick.results.length,
          calendarPullInTickMs: targetPull?.durationMs ?? NaN,
          directPullMs,
          slotGoneAfterTick,
          slotGoneAfterDirectPull,
          // The tick is unaligned to the artist's edit: on average half an interval passes before it
          // fires, plus half the tick's own duration (the calendar may be pulled early or late in it).
          meanWithMinuteTickSeconds: 30 + tickMs / 2 / 1000,
          worstWithMinuteTickSeconds: 60 + tickMs / 1000,
          meanWithInProcessTickSeconds: IN_PROCESS_TICK_MS / 2 / 1000 + tickMs / 2 / 1000,
          worstWithInProcessTickSeconds: IN_PROCESS_TICK_MS / 1000 + tickMs / 1000,
        },
        requestToCalendar: {
          samplesMs: samples,
          p50Ms: sortedSamples[Math.floor(sortedSamples.length / 2)] ?? NaN,
          maxMs: sortedSamples.at(-1) ?? NaN,
          allArrived,
        },
      },
      totalSeconds: 0,
    };
    result.totalSeconds = (performance.now() - benchStarted) / 1000;
    return result;
  } finally {
    await worker?.stop().catch(() => undefined);
    await radicale?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    // The bench calendars must not be pulled later (e.g. by another bench's server tick) against a stopped Radicale.
    if (calendarIds.length) {
      await db
        .delete(busyBlocks)
        .where(inArray(busyBlocks.calendarId, calendarIds))
        .catch(() => undefined);
      await db
        .delete(calendars)
        .where(inArray(calendars.id, calendarIds))
        .catch(() => undefined);
    }
    await pool.end();
  }
}

// -------------------------------------------------------------------------------------------------

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number) => n.toLocaleString("en-US");
function size(bytes: number) {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
}
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

export function printCaldavSync(r: CaldavSyncResult) {
  const s = r.setup;
  console.log(
    `\n== CalDAV sync (Radicale ${s.radicaleVersion}, ${count(s.calendars)} calendars × ${count(s.eventsPerCalendar)} events, pull concurrency ${s.concurrency}) ==`,
  );
  console.log(
    `seed (not timed as sync): ${count(s.distinctObjects)} distinct objects written in ${s.writeSeconds.toFixed(1)} s, parsed by Radicale's own code in ${s.radicaleParseSeconds.toFixed(1)} s;` +
      ` ${count(s.objects)} objects (${s.storageMB.toFixed(0)} MB) hard-linked into the calendars (with Radicale's item and history caches) in ${s.linkSeconds.toFixed(1)} s`,
  );
  const row = (label: string, t: Traffic, extra = "") =>
    console.log(`${label.padEnd(34)}${seconds(t.ms).padStart(10)}${count(t.requests).padStart(10)}${size(t.bytes).padStart(12)}   ${extra}`);
  console.log(`${"".padEnd(34)}${"time".padStart(10)}${"requests".padStart(10)}${"bytes".padStart(12)}   (bytes: HTTP bodies, both directions)`);
  const i = r.initial;
  row(
    "1. initial full sync",
    i,
    `${count(i.blocksWritten)} busy blocks from ${count(i.objectsChanged)} objects; per calendar p50 ${seconds(i.perCalendar.p50)}, max ${seconds(i.perCalendar.max)}${i.failed ? `; ${i.failed} FAILED (${i.firstError})` : ""}`,
  );
  row("   server-only floor (bare fetch)", i.floor, `the same requests, bodies read, nothing parsed or written`);
  row(
    "2. idle incremental cycle",
    r.idle.holdfast,
    `mean of ${r.idle.holdfastRoundsMs.length} (${r.idle.holdfastRoundsMs.map((m) => seconds(m)).join(", ")}); ${count(r.idle.holdfast.blocksWritten)} blocks written${r.idle.holdfast.failed ? `; ${r.idle.holdfast.failed} FAILED` : ""}`,
  );
  row(
    "   server-only floor (bare fetch)",
    r.idle.floor,
    `mean of ${r.idle.floorRoundsMs.length} (${r.idle.floorRoundsMs.map((m) => seconds(m)).join(", ")}), run A-B-B-A with the above`,
  );
  const o = r.onePercent;
  row(
    `3. 1 % changed (${count(o.objectsEdited)} objects)`,
    o,
    `${count(o.objectsChanged)} objects re-read; busy_blocks rows +${count(o.rowsInserted)} / −${count(o.rowsDeleted)} of ${count(o.totalBlocksAfter)}; rows of unchanged objects touched: ${o.rowsDeletedOfUnchangedObjects + o.rowsInsertedForUnchangedObjects}${o.failed ? `; ${o.failed} FAILED (${o.firstError})` : ""}`,
  );
  const t = r.timeRange;
  row(
    "4. time-range REPORT + re-apply",
    t,
    `${count(t.objects)} objects parsed, ${count(t.blocksWritten)} busy blocks replaced${t.failed ? `; ${t.failed} FAILED` : ""}`,
  );
  console.log("ratios:");
  console.log(
    `  initial full sync: ${r.ratios.initialSeconds.toFixed(1)} s   (target ≤ 60 s: ${verdict(r.ratios.initialSeconds <= 60)}); the server alone needs ${seconds(i.floor.ms)} of it (Holdfast ${(i.ms / i.floor.ms).toFixed(1)}× the floor)`,
  );
  console.log(
    `  Holdfast idle cycle vs server-only floor: ${r.ratios.idleOverheadPct >= 0 ? "+" : ""}${r.ratios.idleOverheadPct.toFixed(1)} %   (target ≤ 20 %: ${verdict(r.ratios.idleOverheadPct <= 20)})`,
  );
  console.log(
    `  bytes, time-range way / idle sync-collection cycle: ${count(Math.round(r.ratios.bytesTimeRangeOverIdle))}×   (target ≥ 100×: ${verdict(r.ratios.bytesTimeRangeOverIdle >= 100)}); / 1 % cycle: ${r.ratios.bytesTimeRangeOverOnePercent.toFixed(0)}×`,
  );
  console.log(
    `  1 % cycle: busy blocks rewritten / all: ${r.ratios.onePercentWrittenPct.toFixed(2)} %   (only the changed objects' blocks: ${verdict(o.rowsDeletedOfUnchangedObjects + o.rowsInsertedForUnchangedObjects === 0)})`,
  );
  const a = r.latency.artistEvent;
  console.log("latency:");
  console.log(
    `  artist's new event → slot gone: tick pulling all ${a.tickCalendars} calendars + availability check ${seconds(a.tickMs)} (that calendar's own pull ${seconds(a.calendarPullInTickMs)}; slot gone: ${a.slotGoneAfterTick ? "yes" : "NO"});` +
      ` a direct pull of that calendar (webhook / "sync now") ${seconds(a.directPullMs)} (slot gone: ${a.slotGoneAfterDirectPull ? "yes" : "NO"})`,
  );
  console.log(
    `    npm start's ${IN_PROCESS_TICK_MS / 1000} s tick (unaligned to the edit): mean ≈ ${(IN_PROCESS_TICK_MS / 2000).toFixed(0)} s + half a tick = ${a.meanWithInProcessTickSeconds.toFixed(1)} s, worst ≈ ${IN_PROCESS_TICK_MS / 1000} s + a tick = ${a.worstWithInProcessTickSeconds.toFixed(1)} s   (target ≤ 60 s: mean ${verdict(a.meanWithInProcessTickSeconds <= 60)}, worst ${verdict(a.worstWithInProcessTickSeconds <= 60)})\n` +
      `    a scheduler's 60 s cron tick: mean ≈ 30 s + half a tick = ${a.meanWithMinuteTickSeconds.toFixed(1)} s, worst ≈ 60 s + a tick = ${a.worstWithMinuteTickSeconds.toFixed(1)} s   (mean ${verdict(a.meanWithMinuteTickSeconds <= 60)}, worst ${verdict(a.worstWithMinuteTickSeconds <= 60)})`,
  );
  const q = r.latency.requestToCalendar;
  console.log(
    `  submitted request → event in Radicale (resident worker): p50 ${seconds(q.p50Ms)}, max ${seconds(q.maxMs)} over ${q.samplesMs.length}${q.allArrived ? "" : " (SOME NEVER ARRIVED)"}   (target ≤ 5 s: ${verdict(q.allArrived && q.maxMs <= 5000)})`,
  );
  console.log(
    `whole CalDAV bench: ${r.totalSeconds.toFixed(0)} s; host load average ${s.hostLoad.start.toFixed(1)} at the start, ${s.hostLoad.end.toFixed(1)} at the end, on ${s.hostLoad.cpus} CPUs (Radicale, Postgres and Holdfast share them)`,
  );
}
