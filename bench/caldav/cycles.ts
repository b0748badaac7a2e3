/**
 * The measured runs of the CalDAV bench: pull cycles through Holdfast's own code path, the
 * server-only floor (the same requests from a bare fetch), the time-range way, and the two latencies.
 *
 * Bytes are HTTP body bytes, both directions (request + response), counted the same way for
 * Holdfast (its CalDavClient counters), the floor and the time-range way; headers are excluded.
 */
import { formatInTimeZone } from "date-fns-tz";
import { eq, inArray, sql } from "drizzle-orm";
import { fetchCalendarObjects, syncCollection } from "tsdav";
import type { Database } from "@/db/client";
import { busyBlocks, calendars } from "@/db/schema";
import { getAvailability } from "@/lib/availability/get-availability";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { objectFileName } from "@/lib/caldav/booking-event";
import { createCalDavClient } from "@/lib/caldav/caldav-client";
import { clientForCalendar } from "@/lib/caldav/client-for-calendar";
import { expandBusyIntervals } from "@/lib/caldav/expand-busy-intervals";
import { parseCalendarObject } from "@/lib/caldav/parse-calendar-object";
import { pullCalendarChanges, pullDueCalendars, type PullSummary } from "@/lib/caldav/pull-calendar";
import { startJobWorker } from "@/lib/jobs/job-runner";
import { basicAuth } from "@/tests/support/caldav-servers";
import { artistNewEvent, DAY_MS, TZ, type BenchCalendar } from "./fixtures";
import { runConcurrently, summarize } from "../support";

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

const idsOf = (cals: BenchCalendar[]) => cals.map((c) => c.id);

/** A request body as text: Holdfast's client sends bytes (so it can count them), tsdav sends strings. */
function bodyText(body: BodyInit | null | undefined): string {
  if (body == null) return "";
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return String(body);
}

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
export async function pullCycle(db: Database, ids: Set<string>, concurrency: number): Promise<PullCycle> {
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
    captured = { url: input instanceof Request ? input.url : String(input), headers, body: bodyText(init.body) };
    return new Response(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token></d:multistatus>`, { status: 207 });
  };
  await syncCollection({ url, props: { "d:getetag": {} }, syncLevel: 1, syncToken: token, fetch: capture }).catch(() => undefined);
  if (!captured) throw new Error("could not capture the sync-collection request");
  return captured;
}

/** The server-only floor: the same REPORTs from a bare fetch that reads the body and parses nothing. */
export async function floorCycle(db: Database, cals: BenchCalendar[], concurrency: number): Promise<Traffic> {
  const rows = await db
    .select({ id: calendars.id, token: calendars.syncToken })
    .from(calendars)
    .where(inArray(calendars.id, idsOf(cals)));
  const tokens = new Map(rows.map((r) => [r.id, r.token]));
  const requests = await Promise.all(
    cals.map((c) => {
      const token = tokens.get(c.id);
      if (!token) throw new Error(`calendar ${c.url} has no sync token`);
      return captureSyncRequest(c.url, token, basicAuth(c.username, c.password));
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
export async function initialFloorCycle(cals: BenchCalendar[], concurrency: number): Promise<Traffic> {
  const prepared: PreparedRequest[][] = [];
  for (const c of cals) {
    const captured: PreparedRequest[] = [];
    const capture: typeof fetch = async (input, init = {}) => {
      captured.push({ url: input instanceof Request ? input.url : String(input), headers: new Headers(init.headers), body: bodyText(init.body) });
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
export async function timeRangeCycle(db: Database, cals: BenchCalendar[], concurrency: number, window: { from: Date; to: Date }) {
  const rows = await db
    .select()
    .from(calendars)
    .where(inArray(calendars.id, idsOf(cals)));
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

export async function blockIds(db: Database, ids: string[]) {
  const rows = await db.select({ id: busyBlocks.id, href: busyBlocks.sourceHref }).from(busyBlocks).where(inArray(busyBlocks.calendarId, ids));
  return new Map(rows.map((r) => [r.id, r.href ?? ""]));
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
  const { uid, ics } = artistNewEvent(start, end, summary);
  const res = await fetch(new URL(`${uid}.ics`, c.url), {
    method: "PUT",
    headers: { "content-type": "text/calendar; charset=utf-8", authorization: basicAuth(c.username, c.password) },
    body: ics,
  });
  if (res.status >= 300) throw new Error(`PUT answered ${res.status}: ${await res.text()}`);
}

/** Mean time, requests and bytes of several rounds. */
function mean(list: Traffic[]): Traffic {
  return {
    ms: list.reduce((n, t) => n + t.ms, 0) / list.length,
    requests: Math.round(list.reduce((n, t) => n + t.requests, 0) / list.length),
    bytes: Math.round(list.reduce((n, t) => n + t.bytes, 0) / list.length),
  };
}

/** Idle incremental cycles against the server-only floor, `pairs` of each in A-B-B-A order (cancels drift). */
export async function idleCycles(db: Database, cals: BenchCalendar[], ids: Set<string>, concurrency: number, pairs: number) {
  const floorRounds: Traffic[] = [];
  const idleRounds: PullCycle[] = [];
  for (let r = 0; r < pairs; r += 1) {
    if (r % 2 === 0) {
      floorRounds.push(await floorCycle(db, cals, concurrency));
      idleRounds.push(await pullCycle(db, ids, concurrency));
    } else {
      idleRounds.push(await pullCycle(db, ids, concurrency));
      floorRounds.push(await floorCycle(db, cals, concurrency));
    }
  }
  const idle: PullCycle = { ...idleRounds[idleRounds.length - 1]!, ...mean(idleRounds), failed: idleRounds.reduce((n, r) => n + r.failed, 0) };
  return { idle, floor: mean(floorRounds), idleRounds, floorRounds };
}

/**
 * An artist's new event until its slot is gone from getAvailability: once through a tick that
 * pulls every bench calendar, once through a direct pull of that calendar (webhook / "sync now").
 */
export async function artistEventLatency(db: Database, cals: BenchCalendar[], serviceId: string, concurrency: number) {
  const target = cals[Math.floor(cals.length / 2)]!;
  const slotA = await freeSlot(db, target, serviceId, 21);
  await putArtistEvent(target, slotA.start, slotA.end, "Dentist (new)");
  const tickStarted = performance.now();
  await db
    .update(calendars)
    .set({ nextSyncAt: sql`now()` })
    .where(inArray(calendars.id, idsOf(cals)));
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
  return {
    tickMs,
    tickCalendars: tick.results.length,
    calendarPullInTickMs: targetPull?.durationMs ?? NaN,
    directPullMs,
    slotGoneAfterTick,
    slotGoneAfterDirectPull,
  };
}

/** Submitted requests until their event is in Radicale, with the resident job worker running. */
export async function requestToCalendarLatency(db: Database, cals: BenchCalendar[], serviceId: string) {
  const worker = await startJobWorker(db);
  let result;
  try {
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
        const res = await fetch(href, { headers: { authorization: basicAuth(c.username, c.password) } });
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
    const sorted = [...samples].sort((a, b) => a - b);
    result = { samplesMs: samples, p50Ms: sorted[Math.floor(sorted.length / 2)] ?? NaN, maxMs: sorted.at(-1) ?? NaN, allArrived };
  } catch (err) {
    await worker.stop().catch(() => undefined);
    throw err;
  }
  await worker.stop();
  return result;
}
