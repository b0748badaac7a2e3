/**
 * What the CalDAV bench generates: realistic calendar objects (what Nextcloud's calendar app
 * writes, deterministic per run seed), Radicale's storage folder written directly in its own
 * layout, the artists' 1 % edits, and the studio whose artists own the calendars.
 */
import { randomBytes } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { formatInTimeZone } from "date-fns-tz";
import { eq, inArray, like } from "drizzle-orm";
import type { Database } from "@/db/client";
import { artists, artistServices, busyBlocks, calendars, services, studioSettings, workingHours } from "@/db/schema";
import { encryptSecret } from "@/lib/caldav/encrypt-secret";
import type { CalDavUser } from "@/tests/support/caldav-servers";
import { seededRandom } from "@/tests/support/seeded-random";
import { warmCollections } from "./radicale";

export const TZ = "Europe/Berlin";
export const DAY_MS = 86_400_000;
const SLUG_PREFIX = "caldav-bench-";
const SERVICE_SLUG = "caldav-bench-service";
const CRLF = "\r\n";
/** Distinct objects per calendar-size: the pool each calendar draws its events from. */
const POOL_FACTOR = 3;
/** Objects per Radicale pool collection (the unit the parse pass is spread over processes by). */
const POOL_COLLECTION_SIZE = 500;

/** One artist's calendar in the bench: its Radicale account, its folder on disk and which pool objects it holds. */
export type BenchCalendar = {
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
export type EventSpec = {
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

export function drawSpec(rng: Rng, horizonDays: number): EventSpec {
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
export function editSpec(rng: Rng, spec: EventSpec, horizonDays: number): EventSpec {
  return { ...spec, ...drawTimes(rng, spec.kind, horizonDays), sequence: spec.sequence + 1, createdDaysAgo: spec.createdDaysAgo };
}

export const pad = (n: number, w = 2) => String(n).padStart(w, "0");
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
export function renderEvent(spec: EventSpec, baseDayMs: number, nowMs: number): string {
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

/** A new event the artist adds in their calendar app (the latency measurements' edit). */
export function artistNewEvent(start: Date, end: Date, summary: string) {
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
  return { uid, ics };
}

// -------------------------------------------------------------------------------------------------
// Radicale's storage folder, written directly in its own layout

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

export type SeededStorage = {
  specs: EventSpec[];
  distinct: number;
  storageBytes: number;
  writeSeconds: number;
  radicaleParseSeconds: number;
  linkSeconds: number;
  /** One per calendar: its own user (artist-001 …) and a different random draw from the pool. */
  calendars: Omit<BenchCalendar, "id" | "artistId" | "url">[];
  users: CalDavUser[];
};

/**
 * Writes `calendarCount` calendars of `eventsPerCalendar` objects into `folder`
 * (collection-root/<user>/<calendar>/ with a .Radicale.props JSON and one <uid>.ics per object):
 * a pool of distinct objects parsed once by Radicale's own code, then hard-linked, with those
 * cache entries, into each calendar as its own random draw.
 */
export async function writeRadicaleStorage(input: {
  python: string;
  folder: string;
  staging: string;
  calendarCount: number;
  eventsPerCalendar: number;
  horizonDays: number;
  seed: number;
  baseDayMs: number;
  nowMs: number;
}): Promise<SeededStorage> {
  const { python, folder, staging, calendarCount, eventsPerCalendar, horizonDays, seed, baseDayMs, nowMs } = input;
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

  const linkStarted = performance.now();
  const users: CalDavUser[] = [];
  const benchCalendars: SeededStorage["calendars"] = [];
  for (let c = 0; c < calendarCount; c += 1) {
    const username = `artist-${pad(c + 1, 3)}`;
    const password = `app-password-${pad(c + 1, 3)}-${randomBytes(6).toString("hex")}`;
    users.push({ username, password });
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
  const linkSeconds = (performance.now() - linkStarted) / 1000;
  return { specs, distinct, storageBytes, writeSeconds, radicaleParseSeconds, linkSeconds, calendars: benchCalendars, users };
}

/**
 * The artists move 1 % of their events: the files are rewritten on disk (by rename, so no other
 * calendar sees them). Answers the edited objects' URLs.
 */
export function editOnePercent(input: {
  cals: BenchCalendar[];
  specs: EventSpec[];
  staging: string;
  eventsPerCalendar: number;
  horizonDays: number;
  seed: number;
  baseDayMs: number;
}): Set<string> {
  const { cals, specs, staging, eventsPerCalendar, horizonDays, seed, baseDayMs } = input;
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
  return editedHrefs;
}

// -------------------------------------------------------------------------------------------------
// The studio: one artist per calendar

/** Removes calendars and their busy blocks, so nothing pulls them against a stopped Radicale. */
export async function removeCalendars(db: Database, ids: string[]) {
  await db.delete(busyBlocks).where(inArray(busyBlocks.calendarId, ids));
  await db.delete(calendars).where(inArray(calendars.id, ids));
}

/**
 * One artist per calendar, working hours 08:00–22:00 (the artists' own events sit in 08:00–20:00),
 * each with their calendar on `baseUrl` linked. Leftovers of an interrupted earlier run are removed first.
 */
export async function seedStudio(db: Database, storage: SeededStorage["calendars"], baseUrl: string) {
  await db.insert(studioSettings).values({ id: 1, name: "Bench Studio", email: "bench@holdfast.local", timezone: TZ }).onConflictDoNothing();
  await db
    .insert(services)
    .values({ slug: SERVICE_SLUG, name: "CalDAV bench session", durationMinutes: 60, minNoticeMinutes: 0, bookingWindowDays: 400, slotStepMinutes: 30 })
    .onConflictDoNothing();
  const [service] = await db.select({ id: services.id }).from(services).where(eq(services.slug, SERVICE_SLUG));
  const serviceId = service!.id;
  const stale = await db
    .select({ id: calendars.id })
    .from(calendars)
    .innerJoin(artists, eq(artists.id, calendars.artistId))
    .where(like(artists.slug, `${SLUG_PREFIX}%`));
  if (stale.length)
    await removeCalendars(
      db,
      stale.map((s) => s.id),
    );
  const slugs = storage.map((c) => c.artistSlug);
  await db
    .insert(artists)
    .values(storage.map((c, i) => ({ slug: c.artistSlug, name: `CalDAV bench artist ${i + 1}`, timezone: TZ })))
    .onConflictDoNothing();
  const artistRows = await db.select({ id: artists.id, slug: artists.slug }).from(artists).where(inArray(artists.slug, slugs));
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
      storage.map((c) => ({
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
  const cals: BenchCalendar[] = storage.map((c) => {
    const row = byArtist.get(artistId.get(c.artistSlug)!)!;
    return { ...c, id: row.id, artistId: row.artistId, url: row.url };
  });
  return { serviceId, cals };
}
