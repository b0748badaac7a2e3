/**
 * Proof under faults (issue 14): real Holdfast instances (the production build, `next start` the
 * way `npm start` runs it) on one embedded Postgres, a real SMTP server, real Radicale behind a
 * fault proxy and a TCP switch, and a real webhook receiver. Each fault is injected for real and
 * measured: seconds until the alert (incident row) and until /api/health answers 503 naming the
 * part, seconds until the part is ok again after the fault ends, and every email (Message-ID),
 * calendar event (UID in the server) and webhook delivery (webhook-id) counted against what the
 * database says was due. The table goes to stdout and .tmp/fault-table.md.
 *
 * The instances tick every FAULT_TICK_MS (3 s) instead of `npm start`'s 30 s so the whole suite
 * fits in about five minutes; every threshold of the watchdog is the production one.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, type Database } from "@/db/client";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { linkCalendar } from "@/lib/caldav/link-calendar";
import { startRadicale, readCalendar, type RunningCalDavServer } from "@/tests/support/caldav-servers";
import { startFaultProxy, type FaultProxy } from "@/tests/support/fault-proxy";
import { createTestArtist, futureSlot } from "@/tests/support/test-db";
import { startAppInstance, type AppInstance } from "./support/app-instance";
import { writeFaultTable, type FaultRow, type Tally } from "./support/fault-table";
import { startSwitchableSmtp, type SwitchableSmtp } from "./support/switchable-smtp";
import { startTcpSwitch, type TcpSwitch } from "./support/tcp-switch";

const TICK_MS = 3_000;
/** The promise of issue 14. */
const ALERT_TARGET_SECONDS = 60;
const LOAD_BOOKINGS = 1_000;
const LOAD_CONCURRENCY = 16;
/** The email and webhook pools' concurrency per instance (lib/jobs/job-runner.ts): what one worker can have in hand. */
const DELIVERY_CONCURRENCY = 4;

const rows: FaultRow[] = [];
const suiteStartedAt = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type HealthPart = "database" | "worker" | "mail" | "calendars" | "jobs" | "alerts";
type HealthAnswer = { status: number | "unreachable"; checks?: Record<HealthPart, { ok: boolean; detail: string }> };

async function health(instance: AppInstance): Promise<HealthAnswer> {
  try {
    const res = await fetch(`${instance.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as { checks?: HealthAnswer["checks"] };
    return { status: res.status, checks: body.checks };
  } catch {
    return { status: "unreachable" };
  }
}

/** Polls `probe` until it answers a value (not null) or the time is up; answers the value and when it came. */
async function pollFor<T>(probe: () => Promise<T | null>, timeoutMs: number, everyMs = 250): Promise<{ value: T; at: number } | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null);
    if (value !== null) return { value, at: Date.now() };
    await sleep(everyMs);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The world: Postgres, SMTP, Radicale, proxies, the webhook receiver, the app instances.

let dataDir: string;
let pg: EmbeddedDatabase;
let pgPort: number;
let db: Database;
let smtp: SwitchableSmtp;
let radicale: RunningCalDavServer;
const instances: AppInstance[] = [];
let instanceEnv: Record<string, string>;
const webhookReceived: string[] = [];
let webhookServer: http.Server;
let webhooksOn = false;

type TestArtist = { artistId: string; artistSlug: string; serviceSlug: string; calendarId: string; radicaleCalendarUrl: string; nextSlot: number };
type FaultedCalendar = TestArtist & { proxy: FaultProxy; tcp: TcpSwitch };

async function makeArtist(opts: { via?: { proxy: FaultProxy; tcp: TcpSwitch } } = {}): Promise<TestArtist> {
  const { artist, service } = await createTestArtist(db, {
    durationMinutes: 15,
    slotStepMinutes: 15,
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "08:00", end: "20:00" })),
  });
  const radicaleCalendarUrl = await radicale.createCalendar();
  const origin = opts.via ? opts.via.tcp.url : new URL(radicale.baseUrl).origin;
  const calendar = await linkCalendar(
    db,
    {
      artistId: artist.id,
      serverUrl: `${origin}/`,
      username: radicale.username,
      password: radicale.password,
      calendarUrl: `${origin}${new URL(radicaleCalendarUrl).pathname}`,
      role: "write",
    },
    { verify: false },
  );
  return { artistId: artist.id, artistSlug: artist.slug, serviceSlug: service.slug, calendarId: calendar.id, radicaleCalendarUrl, nextSlot: 0 };
}

async function makeFaultedArtist(): Promise<FaultedCalendar> {
  const proxy = await startFaultProxy(radicale.baseUrl);
  const proxyUrl = new URL(proxy.url);
  const tcp = await startTcpSwitch({ host: proxyUrl.hostname, port: Number(proxyUrl.port) });
  const artist = await makeArtist({ via: { proxy, tcp } });
  return { ...artist, proxy, tcp };
}

/** The artist's next free 15-minute start: 48 a day from 08:00 (Berlin), from tomorrow on. */
function takeSlot(artist: TestArtist): string {
  const n = artist.nextSlot++;
  const day = 1 + Math.floor(n / 48);
  const minutes = 8 * 60 + (n % 48) * 15;
  const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return futureSlot(day, time, "Europe/Berlin").toISOString();
}

let ipCounter = 0;
const nextClientIp = () => {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

class Unreachable extends Error {}

async function post(instance: AppInstance, route: string, body: unknown, headers: Record<string, string>) {
  let res: Response;
  try {
    res = await fetch(`${instance.url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new Unreachable(`${instance.name} ${route}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // An instance killed between its headers and its body answers a status without a body: for the
  // client that is no answer (the load balancer retries it with the same Idempotency-Key).
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch (err) {
    throw new Unreachable(`${instance.name} ${route}: answered ${res.status} without a readable body (${err instanceof Error ? err.message : String(err)})`);
  }
  return { status: res.status, json };
}

/**
 * A customer's booking request over HTTP (hold, then request), as the booking page sends it. An
 * instance that does not answer is replaced by another one, the way a load balancer retries: the
 * request keeps its Idempotency-Key, a hold that may have landed on the dead instance costs its slot.
 */
async function placeBooking(artist: TestArtist, pickInstance: () => AppInstance): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const start = takeSlot(artist);
    const ip = nextClientIp();
    const headers = { "x-forwarded-for": ip };
    let hold: { id: string; token: string };
    try {
      const res = await post(pickInstance(), "/api/holds", { artist: artist.artistSlug, service: artist.serviceSlug, start }, headers);
      if (res.status === 409) continue; // an earlier attempt's hold (on an instance that died) has it
      if (res.status !== 201) throw new Error(`POST /api/holds answered ${res.status}: ${JSON.stringify(res.json)}`);
      hold = (res.json as { hold: { id: string; token: string } }).hold;
    } catch (err) {
      if (err instanceof Unreachable) continue;
      throw err;
    }
    const key = randomUUID();
    const body = { holdId: hold.id, holdToken: hold.token, customer: { name: "Fault Suite", email: `c-${key.slice(0, 12)}@customers.test` } };
    for (let retry = 0; retry < 20; retry++) {
      try {
        const res = await post(pickInstance(), "/api/bookings", body, { ...headers, "idempotency-key": key });
        if (res.status === 201 || res.status === 200) {
          const id = (res.json as { booking?: { id?: string } }).booking?.id;
          if (!id) throw new Error(`POST /api/bookings answered ${res.status} without a booking id: ${JSON.stringify(res.json).slice(0, 300)}`);
          return id;
        }
        throw new Error(`POST /api/bookings answered ${res.status}: ${JSON.stringify(res.json)}`);
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        await sleep(200);
      }
    }
    throw new Error("no instance answered the booking request");
  }
  throw new Error(`no slot could be held for ${artist.artistSlug}`);
}

// ---------------------------------------------------------------------------------------------
// Counting what arrived against what was due.

async function waitForWork(bookingIds: string[], timeoutMs: number) {
  // Done when every mail of these bookings is sent (or given up) and no push of them is queued.
  await pollFor(
    async () => {
      const r = await db.execute<{ unsent: number; pushes: number }>(sql`select
        (select count(*)::int from notifications where booking_id = any(${sql.param(bookingIds)}::uuid[]) and status = 'queued') as unsent,
        (select count(*)::int from graphile_worker.jobs where task_identifier = 'push_booking_to_calendar'
           and key = any(${sql.param(bookingIds.map((id) => `caldav-push:${id}`))}::text[])) as pushes`);
      const row = r.rows[0]!;
      return row.unsent === 0 && row.pushes === 0 ? true : null;
    },
    timeoutMs,
    500,
  );
}

/**
 * What was due against what arrived, told apart the way a receiver tells them apart:
 * - lost: due, never received;
 * - resent: the same message (same Message-ID / webhook-id) received again. At-least-once delivery
 *   does this when a worker dies between handing a message over and recording it; the receiver
 *   drops it by its id (mail clients by Message-ID, Standard Webhooks receivers by webhook-id);
 * - duplicated: two *different* messages about one thing (one booking's mail of one kind to one
 *   recipient, one event of one booking to one endpoint, two calendar objects of one UID). That
 *   is what a customer, an artist or an integration would see twice.
 */
function tallyReceipts(due: { id: string; key: string }[], receivedIds: Iterable<string>): Exclude<Tally, "n/a"> {
  const received = new Map<string, number>();
  for (const id of receivedIds) received.set(id, (received.get(id) ?? 0) + 1);
  const receivedPerKey = new Map<string, number>();
  let lost = 0;
  let resent = 0;
  for (const { id, key } of due) {
    const n = received.get(id) ?? 0;
    if (n === 0) lost += 1;
    else receivedPerKey.set(key, (receivedPerKey.get(key) ?? 0) + 1);
    if (n > 1) resent += n - 1;
  }
  let duplicated = 0;
  for (const n of receivedPerKey.values()) if (n > 1) duplicated += n - 1;
  return { expected: due.length, lost, duplicated, resent };
}

/** Mails of `bookingIds` (or, without, every mail that was due) against the Message-IDs the SMTP server received. */
async function countEmails(bookingIds?: string[]): Promise<Tally> {
  const due = await db.execute<{ id: string; key: string }>(
    bookingIds
      ? sql`select id, concat_ws('|', booking_id, kind, lower(recipient)) as key from notifications
            where booking_id = any(${sql.param(bookingIds)}::uuid[]) and status not in ('scheduled', 'cancelled')`
      : sql`select id, case when booking_id is null then id::text else concat_ws('|', booking_id, kind, lower(recipient)) end as key
            from notifications where status not in ('scheduled', 'cancelled')`,
  );
  const receivedIds = smtp.received.map((m) => /^<([0-9a-f-]{36})@/.exec(m.messageId ?? "")?.[1]).filter((id): id is string => !!id);
  return tallyReceipts(due.rows, receivedIds);
}

/** The bookings' events in their artists' calendars, read straight from Radicale: one object per booking UID. */
async function countEvents(bookingIds: string[], artists: TestArtist[]): Promise<Tally> {
  const expected = await db.execute<{ uid: string; artist_id: string }>(
    sql`select caldav_uid as uid, artist_id from bookings where id = any(${sql.param(bookingIds)}::uuid[]) and status in ('pending', 'confirmed')`,
  );
  const objectsPerUid = new Map<string, number>();
  for (const artist of artists) {
    for (const event of await readCalendar(radicale, artist.radicaleCalendarUrl)) {
      if (event.uid) objectsPerUid.set(event.uid, (objectsPerUid.get(event.uid) ?? 0) + 1);
    }
  }
  // A calendar object is stored, not received: a second PUT of the same object replaces it, so
  // there are no resends, and a second object with the booking's UID is a duplicate the artist sees.
  let lost = 0;
  let duplicated = 0;
  for (const { uid } of expected.rows) {
    const n = objectsPerUid.get(uid) ?? 0;
    if (n === 0) lost += 1;
    if (n > 1) duplicated += n - 1;
  }
  return { expected: expected.rows.length, lost, duplicated, resent: 0 };
}

/** Webhook deliveries (rows in the outbox) against the webhook-ids the receiver got. */
async function countWebhooks(opts: { bookingIds?: string[]; since?: Date } = {}): Promise<Tally> {
  if (!webhooksOn) return "n/a";
  const key = sql`concat_ws('|', endpoint_id, event_type, coalesce(payload->'data'->'booking'->>'id', payload->'data'->'alert'->>'id', id))`;
  const due = await db.execute<{ id: string; key: string }>(
    opts.bookingIds
      ? sql`select id, ${key} as key from webhook_deliveries where payload->'data'->'booking'->>'id' = any(${sql.param(opts.bookingIds)}::text[])`
      : sql`select id, ${key} as key from webhook_deliveries where event_type <> 'webhook.test'`,
  );
  return tallyReceipts(due.rows, webhookReceived);
}

async function waitForWebhooks(timeoutMs: number) {
  if (!webhooksOn) return;
  await pollFor(
    async () => {
      const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where status = 'pending'`);
      return r.rows[0]!.n === 0 ? true : null;
    },
    timeoutMs,
    500,
  );
}

// ---------------------------------------------------------------------------------------------
// Measuring one fault.

type FaultMeasure = {
  alertKind: string | null;
  alertSeconds: number | null;
  unhealthySeconds: number | null;
  /** Every /api/health answer between the 503 and the end of the fault was a 503 naming the part. */
  unhealthyThroughout: boolean;
  recoverySeconds: number | null;
  incidentClearedSeconds: number | null;
  bookingIds: string[];
};

/**
 * Injects a fault, places bookings while it lasts, and measures. The fault lasts until both the
 * alert and the 503 were seen (or `detectTimeoutMs` passed), then `holdMs` more, sampling the
 * health the whole time; then it ends and the part must be ok again.
 */
async function measureFault(opts: {
  part: HealthPart;
  kinds: string[];
  subject?: string;
  watch: () => AppInstance;
  begin: () => Promise<void> | void;
  load: () => Promise<string[]>;
  end: () => Promise<void> | void;
  detectTimeoutMs: number;
  holdMs?: number;
}): Promise<FaultMeasure> {
  const t0 = Date.now();
  await opts.begin();
  const loading = opts.load();
  const alert = pollFor(async () => {
    const r = await db.execute<{ kind: string; began_at: Date | string }>(sql`
      select kind, began_at from incidents
      where kind = any(${sql.param(opts.kinds)}::text[]) and began_at >= ${new Date(t0 - 1000).toISOString()}::timestamptz
        ${opts.subject ? sql`and subject = ${opts.subject}` : sql``}
      order by began_at limit 1`);
    return r.rows[0] ?? null;
  }, opts.detectTimeoutMs);
  const unhealthy = pollFor(async () => {
    const h = await health(opts.watch());
    return h.status === 503 && h.checks?.[opts.part]?.ok === false ? h : null;
  }, opts.detectTimeoutMs);
  const [alertSeen, unhealthySeen, bookingIds] = await Promise.all([alert, unhealthy, loading]);

  let unhealthyThroughout = unhealthySeen !== null;
  const holdUntil = Date.now() + (opts.holdMs ?? 2_000);
  while (Date.now() < holdUntil) {
    const h = await health(opts.watch());
    if (!(h.status === 503 && h.checks?.[opts.part]?.ok === false)) unhealthyThroughout = false;
    await sleep(300);
  }

  const t1 = Date.now();
  await opts.end();
  const healthy = await pollFor(async () => ((await health(opts.watch())).checks?.[opts.part]?.ok === true ? true : null), 150_000, 300);
  const cleared = await pollFor(
    async () => {
      const r = await db.execute<{ n: number }>(sql`
        select count(*)::int as n from incidents where kind = any(${sql.param(opts.kinds)}::text[]) and cleared_at is null
          ${opts.subject ? sql`and subject = ${opts.subject}` : sql``}`);
      return r.rows[0]!.n === 0 ? true : null;
    },
    150_000,
    300,
  );
  return {
    alertKind: alertSeen?.value.kind ?? null,
    alertSeconds: alertSeen ? (new Date(alertSeen.value.began_at).getTime() - t0) / 1000 : null,
    unhealthySeconds: unhealthySeen ? (unhealthySeen.at - t0) / 1000 : null,
    unhealthyThroughout,
    recoverySeconds: healthy ? (healthy.at - t1) / 1000 : null,
    incidentClearedSeconds: cleared ? (cleared.at - t1) / 1000 : null,
    bookingIds,
  };
}

/**
 * Nothing lost, nothing twice. `interruptedWorkers` is how many workers were cut off mid-delivery
 * (kill -9, the database gone): each may resend what it had in hand, at most its pool's concurrency
 * of messages per kind, and only those as the same message again (same id), never as a new one.
 */
function expectDeliveredOnce(label: string, t: Tally, interruptedWorkers = 0) {
  if (t === "n/a") return;
  expect.soft({ lost: t.lost, duplicated: t.duplicated }, `${label}: nothing lost, nothing twice`).toEqual({ lost: 0, duplicated: 0 });
  expect
    .soft(t.resent, `${label}: resends of the same message only where a worker was cut off mid-delivery`)
    .toBeLessThanOrEqual(interruptedWorkers * DELIVERY_CONCURRENCY);
}

function expectPromiseKept(name: string, m: FaultMeasure, counts: Tally[]) {
  expect.soft(m.alertSeconds, `${name}: an alert within ${ALERT_TARGET_SECONDS} s`).not.toBeNull();
  expect.soft(m.alertSeconds ?? Infinity, `${name}: alert within ${ALERT_TARGET_SECONDS} s`).toBeLessThanOrEqual(ALERT_TARGET_SECONDS);
  expect.soft(m.unhealthySeconds, `${name}: /api/health answers 503 naming the part`).not.toBeNull();
  expect.soft(m.unhealthyThroughout, `${name}: 503 for as long as the fault lasts`).toBe(true);
  expect.soft(m.recoverySeconds, `${name}: the part is ok again after the fault`).not.toBeNull();
  for (const t of counts) expectDeliveredOnce(name, t);
}

// ---------------------------------------------------------------------------------------------

function baseInstanceEnv(smtpUrl: string): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL!,
    DATABASE_POOL_SIZE: "10",
    AUTH_SECRET: process.env.AUTH_SECRET!,
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!,
    CRON_SECRET: randomBytes(24).toString("base64url"),
    // One public URL for every instance: Message-IDs (<notification id@host>) must not depend on which one sent.
    APP_URL: process.env.APP_URL!,
    SMTP_URL: smtpUrl,
    SMTP_TIMEOUT_MS: "4000",
    CALDAV_TIMEOUT_MS: "4000",
    HOLDFAST_WORKER: "on",
    HOLDFAST_SEED_DEMO: "off",
    HOLDFAST_DATA_DIR: dataDir,
    FAULT_TICK_MS: String(TICK_MS),
    // The customers of the load all come from this machine; they say who they are per request.
    TRUST_PROXY: "true",
    RATE_LIMIT_HOLDS_PER_HOUR: "1000000",
    RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP: "1000000",
    RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL: "1000000",
    WEBHOOK_ALLOWED_PRIVATE_HOSTS: "127.0.0.1",
    WEBHOOK_TIMEOUT_MS: "4000",
    LOG_LEVEL: "warn",
  };
}

async function startInstance(name: string, port: number) {
  const instance = await startAppInstance({ name, port, env: instanceEnv });
  instances.push(instance);
  return instance;
}

describe("Holdfast under real faults", () => {
  let a: AppInstance;
  let b: AppInstance;
  let smtpArtist: TestArtist;
  let calDown: FaultedCalendar;
  let cal500: FaultedCalendar;
  let cal429: FaultedCalendar;
  let killArtist: FaultedCalendar;
  let pgArtist: TestArtist;
  const loadArtists: TestArtist[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "holdfast-faults-"));
    pg = await startEmbeddedPostgres({ dataDir, database: "holdfast_faults", fast: true, quiet: true });
    pgPort = pg.port;
    await migrateDatabase(pg.url, { migrationsFolder: path.resolve(import.meta.dirname, "../../db/migrations") });
    Object.assign(process.env, {
      DATABASE_URL: pg.url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      APP_URL: "http://holdfast.faults.test",
      WEBHOOK_ALLOWED_PRIVATE_HOSTS: "127.0.0.1",
    });
    db = getDb();

    smtp = await startSwitchableSmtp();
    radicale = await startRadicale();
    smtpArtist = await makeArtist();
    calDown = await makeFaultedArtist();
    cal500 = await makeFaultedArtist();
    cal429 = await makeFaultedArtist();
    killArtist = await makeFaultedArtist();
    pgArtist = await makeArtist();
    for (let i = 0; i < 4; i++) loadArtists.push(await makeArtist());

    // Outgoing webhooks, when this version has them: one endpoint on a local receiver for every event.
    const webhooks = await import("@/lib/outgoing-webhooks/endpoint-commands").catch(() => null);
    const eventTypes = await import("@/lib/outgoing-webhooks/event-types").catch(() => null);
    if (webhooks?.createWebhookEndpoint && eventTypes?.WEBHOOK_EVENT_TYPES) {
      webhookServer = http.createServer((req, res) => {
        const id = req.headers["webhook-id"];
        req.resume();
        req.on("end", () => {
          if (typeof id === "string") webhookReceived.push(id);
          res.writeHead(204).end();
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => webhookServer.listen(port, "127.0.0.1", resolve));
      await webhooks.createWebhookEndpoint(db, {
        url: `http://127.0.0.1:${port}/hooks`,
        events: [...eventTypes.WEBHOOK_EVENT_TYPES],
        description: "fault suite",
      });
      webhooksOn = true;
    }

    instanceEnv = baseInstanceEnv(smtp.url);
    [a, b] = await Promise.all([startInstance("A", await freePort()), startInstance("B", await freePort())]);
    // The initial pushes and pulls of the linked calendars settle before the first fault.
    await pollFor(async () => ((await health(a)).status === 200 ? true : null), 60_000, 500);
  });

  afterAll(async () => {
    const total = (Date.now() - suiteStartedAt) / 1000;
    writeFaultTable(rows, [
      `Fault suite (tests/faults/fault-suite.test.ts), ${new Date().toISOString()}: ${instances.length} app processes started, tick every ${TICK_MS / 1000} s ` +
        `(npm start: 30 s, which adds up to 27 s to each alert and recovery figure), production watchdog thresholds; the suite took ${total.toFixed(0)} s.`,
      "Alert s and 503 s count from the moment the fault began; Recovery s from the moment it ended until /api/health named the part ok again.",
      "Emails are counted by Message-ID at the SMTP server, calendar events by UID in Radicale, webhooks by webhook-id at the receiver, each against the rows that were due.",
      ...(webhooksOn ? [] : ["Webhooks: n/a (lib/outgoing-webhooks has no endpoint command in this version)."]),
    ]);
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    webhookServer?.close();
    for (const artist of [calDown, cal500, cal429, killArtist]) {
      await artist?.tcp.stop().catch(() => undefined);
      await artist?.proxy.stop().catch(() => undefined);
    }
    await radicale?.stop().catch(() => undefined);
    await smtp?.stop().catch(() => undefined);
    await closeDb().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("SMTP and CalDAV outages are alerted within 60 s, answered 503 while they last, and lose or repeat nothing", async () => {
    const book = (artist: TestArtist, n: number, via: () => AppInstance) => async () => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push(await placeBooking(artist, via));
      return ids;
    };
    const calendarFault = (name: string, artist: FaultedCalendar, begin: () => Promise<void> | void, end: () => Promise<void> | void) =>
      measureFault({
        part: "calendars",
        kinds: ["calendar_push_failing", "calendar_push_late", "calendar_pull_failing"],
        subject: `calendar:${artist.calendarId}`,
        watch: () => a,
        begin,
        load: book(artist, 2, () => b),
        end,
        detectTimeoutMs: 100_000,
      }).then((m) => ({ name, artist, m }));

    // The three calendar faults hit three artists' calendars at once (incidents are per calendar),
    // while the two SMTP faults run one after the other (SMTP is one part): about 90 s in all.
    const calendars = Promise.all([
      calendarFault(
        "CalDAV server down (connections refused)",
        calDown,
        () => calDown.tcp.down(),
        () => calDown.tcp.up(),
      ),
      calendarFault(
        "CalDAV answering 500",
        cal500,
        () => cal500.proxy.rule({ respond: { status: 500, body: "Internal Server Error" } }),
        () => cal500.proxy.clearRules(),
      ),
      calendarFault(
        "CalDAV answering 429 (Retry-After: 5)",
        cal429,
        () => cal429.proxy.rule({ respond: { status: 429, headers: { "retry-after": "5" }, body: "Too Many Requests" } }),
        () => cal429.proxy.clearRules(),
      ),
    ]);
    const mailFaults: { name: string; m: FaultMeasure }[] = [];
    for (const [name, mode] of [
      ["SMTP refusing (554 to MAIL FROM)", "refuse"],
      ["SMTP stalling after the greeting", "stall"],
    ] as const) {
      const m = await measureFault({
        part: "mail",
        kinds: ["smtp_failing", "email_unsent"],
        watch: () => a,
        begin: () => smtp.setMode(mode),
        load: book(smtpArtist, 2, () => a),
        end: () => smtp.setMode("accept"),
        detectTimeoutMs: 90_000,
      });
      mailFaults.push({ name, m });
    }
    const calendarResults = await calendars;

    const allIds = [...mailFaults, ...calendarResults].flatMap((f) => f.m.bookingIds);
    await waitForWork(allIds, 120_000);
    await waitForWebhooks(30_000);
    const overallHealthy = await pollFor(async () => ((await health(a)).status === 200 ? true : null), 90_000, 500);

    for (const { name, m } of mailFaults) {
      const emails = await countEmails(m.bookingIds);
      const events = await countEvents(m.bookingIds, [smtpArtist]);
      const webhooks = await countWebhooks({ bookingIds: m.bookingIds });
      rows.push({
        fault: name,
        alert: m.alertKind ?? "none",
        alertSeconds: m.alertSeconds,
        unhealthySeconds: m.unhealthySeconds,
        recoverySeconds: m.recoverySeconds,
        emails,
        events,
        webhooks,
        notes: `incident cleared ${m.incidentClearedSeconds?.toFixed(1) ?? "—"} s after; 503 throughout: ${m.unhealthyThroughout ? "yes" : "NO"}`,
      });
      expectPromiseKept(name, m, [emails, events, webhooks]);
    }
    for (const { name, artist, m } of calendarResults) {
      const emails = await countEmails(m.bookingIds);
      const events = await countEvents(m.bookingIds, [artist]);
      const webhooks = await countWebhooks({ bookingIds: m.bookingIds });
      rows.push({
        fault: name,
        alert: m.alertKind ?? "none",
        alertSeconds: m.alertSeconds,
        unhealthySeconds: m.unhealthySeconds,
        recoverySeconds: m.recoverySeconds,
        emails,
        events,
        webhooks,
        notes: `run at the same time as the other calendar faults; incident cleared ${m.incidentClearedSeconds?.toFixed(1) ?? "—"} s after; 503 throughout: ${m.unhealthyThroughout ? "yes" : "NO"}`,
      });
      expectPromiseKept(name, m, [emails, events, webhooks]);
    }
    expect.soft(overallHealthy, "/api/health answers 200 again once every fault is over").not.toBeNull();
  });

  it("an instance killed with kill -9 in the middle of a delivery and a calendar write loses and repeats nothing", async () => {
    // A slow SMTP server and a slow calendar keep a mail and a push in flight when the process dies.
    smtp.setMode("slow", { slowMs: 20_000 });
    killArtist.proxy.rule({ method: "PUT", delayMs: 20_000 });
    const bookingIds: string[] = [];
    for (let i = 0; i < 3; i++) bookingIds.push(await placeBooking(killArtist, () => a));

    // The victim is the instance whose worker holds a mail delivery and a calendar push right now.
    const holders = async (needBoth: boolean) => {
      const r = await db.execute<{ pid: number; tasks: string[] }>(sql`
        select h.pid, array_agg(distinct j.task_identifier) as tasks from graphile_worker.jobs j
        join worker_heartbeats h on h.worker_id = j.locked_by
        where j.locked_by is not null and j.task_identifier in ('deliver_notification', 'push_booking_to_calendar')
        group by h.pid order by count(distinct j.task_identifier) desc, count(*) desc limit 1`);
      const row = r.rows[0];
      if (!row || smtp.held() === 0 || !row.tasks.includes("deliver_notification")) return null;
      return !needBoth || row.tasks.length === 2 ? row : null;
    };
    const inFlight = (await pollFor(() => holders(true), 10_000, 200)) ?? (await pollFor(() => holders(false), 10_000, 200));
    expect(inFlight, "a mail delivery is in flight on some instance").not.toBeNull();
    const victim = [a, b].find((i) => i.appPid === inFlight!.value.pid);
    expect(victim, "the worker holding the jobs is one of the app instances").toBeDefined();
    const survivor = victim === a ? b : a;
    const sentBefore = new Set(smtp.received.map((m) => m.messageId));
    const victimWorkers = (await db.execute<{ worker_id: string }>(sql`select worker_id from worker_heartbeats where pid = ${victim!.appPid}`)).rows.map(
      (r) => r.worker_id,
    );

    const t0 = Date.now();
    await victim!.killHard();
    // A killed process whose parent died with it waits for PID 1 to reap it; until then `kill(pid, 0)` still finds it.
    await sleep(1_000);
    const zombie = (() => {
      try {
        return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${victim!.appPid}/stat`, "utf8"));
      } catch {
        return false;
      }
    })();
    const unlocked = pollFor(
      async () => {
        const r = await db.execute<{ n: number }>(
          sql`select count(*)::int as n from graphile_worker._private_jobs where locked_by = any(${sql.param(victimWorkers)}::text[])`,
        );
        return r.rows[0]!.n === 0 ? true : null;
      },
      90_000,
      250,
    );
    // The outage of the outside services ends with the kill: only the dead worker's jobs are in question.
    smtp.setMode("accept");
    killArtist.proxy.clearRules();
    const survivorHealth: HealthAnswer[] = [];
    const watching = (async () => {
      while (Date.now() - t0 < 15_000) {
        survivorHealth.push(await health(survivor));
        await sleep(500);
      }
    })();
    // A new process takes the dead one's place on the same port, like a supervisor restarting it.
    const replacement = await startInstance(`${victim!.name}-replacement`, victim!.port);
    if (victim === a) a = replacement;
    else b = replacement;
    const restartedSeconds = (Date.now() - t0) / 1000;
    const unlockedAt = await unlocked;
    const unlockedSeconds = unlockedAt ? (unlockedAt.at - t0) / 1000 : null;
    await waitForWork(bookingIds, 90_000);
    const caughtUpSeconds = (Date.now() - t0) / 1000;
    await watching;
    await waitForWebhooks(30_000);
    const incidentsOpened = await db.execute<{ kind: string }>(sql`select kind from incidents where began_at >= ${new Date(t0).toISOString()}::timestamptz`);

    const emails = await countEmails(bookingIds);
    const events = await countEvents(bookingIds, [killArtist]);
    const webhooks = await countWebhooks({ bookingIds });
    const survivor503 = survivorHealth.filter((h) => h.status !== 200).length;
    rows.push({
      fault: `Worker killed (kill -9 of instance ${victim!.name}) mid-delivery and mid-push`,
      alert: incidentsOpened.rows.length ? incidentsOpened.rows.map((r) => r.kind).join(", ") : "none (the other instance took the jobs over)",
      alertSeconds: null,
      unhealthySeconds: null,
      recoverySeconds: caughtUpSeconds,
      emails,
      events,
      webhooks,
      notes:
        `${zombie ? "the killed process stayed a zombie (not reaped); " : ""}the dead worker's jobs were unlocked after ${unlockedSeconds?.toFixed(1) ?? "—"} s; survivor ${survivor.name}: ${survivor503} non-200 of ${survivorHealth.length} health answers; the killed one refused connections until its replacement answered (${restartedSeconds.toFixed(1)} s); ` +
        `Recovery s = kill until every mail and push of the in-flight bookings was done (${[...sentBefore].length} mails had been received before the kill)`,
    });
    expect.soft(caughtUpSeconds, "the dead worker's jobs ran again within 60 s").toBeLessThanOrEqual(ALERT_TARGET_SECONDS);
    expect.soft(survivor503, "the surviving instance stays healthy").toBe(0);
    for (const t of [emails, events, webhooks]) expectDeliveredOnce("worker killed", t, 1);
  });

  it("Postgres restarted under the running instances: 503 while it is down, 200 after, and nothing lost or repeated", async () => {
    // Deliveries in flight when the database goes away: the SMTP server answers after 3 s.
    smtp.setMode("slow", { slowMs: 3_000 });
    const before = [await placeBooking(pgArtist, () => a), await placeBooking(pgArtist, () => b)];
    await pollFor(async () => (smtp.held() > 0 ? true : null), 10_000, 100);

    const t0 = Date.now();
    await closeDb();
    await pg.stop();
    const down = await pollFor(async () => {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      return ha.status === 503 && hb.status === 503 && ha.checks?.database.ok === false ? true : null;
    }, 30_000);
    await sleep(5_000);
    const t1 = Date.now();
    pg = await startEmbeddedPostgres({ dataDir, database: "holdfast_faults", port: pgPort, fast: true, quiet: true });
    db = getDb();
    smtp.setMode("accept");
    const up = await pollFor(
      async () => {
        const [ha, hb] = await Promise.all([health(a), health(b)]);
        return ha.status === 200 && hb.status === 200 ? true : null;
      },
      120_000,
      500,
    );
    // New bookings through both instances once it is back: their workers must still be working.
    const after = [await placeBooking(pgArtist, () => a), await placeBooking(pgArtist, () => b)];
    const bookingIds = [...before, ...after];
    await waitForWork(bookingIds, 90_000);
    await waitForWebhooks(30_000);
    const stillUp = await pollFor(async () => ((await health(a)).status === 200 ? true : null), 60_000, 500);
    const incidentsOpened = await db.execute<{ kind: string }>(
      sql`select distinct kind from incidents where began_at >= ${new Date(t0).toISOString()}::timestamptz`,
    );

    const timeline = await db.execute(sql`
      select n.kind, n.status, n.attempts, n.created_at, n.sent_at, left(n.last_error, 120) as last_error from notifications n
      where n.booking_id = any(${sql.param(bookingIds)}::uuid[]) order by n.created_at`);
    const pgIncidents = await db.execute(
      sql`select kind, subject, began_at, cleared_at, left(message, 160) as message from incidents where began_at >= ${new Date(t0).toISOString()}::timestamptz`,
    );
    console.log(
      `[faults] Postgres restart at ${new Date(t0).toISOString()} (back ${new Date(t1).toISOString()}): mails`,
      timeline.rows,
      "incidents",
      pgIncidents.rows,
    );
    const emails = await countEmails(bookingIds);
    const events = await countEvents(bookingIds, [pgArtist]);
    const webhooks = await countWebhooks({ bookingIds });
    rows.push({
      fault: "Postgres restarted (stopped 5 s) under 2 running instances",
      alert: incidentsOpened.rows.length
        ? `after restart: ${incidentsOpened.rows.map((r) => r.kind).join(", ")}`
        : "503 database (no incident can be written while it is down)",
      alertSeconds: null,
      unhealthySeconds: down ? (down.at - t0) / 1000 : null,
      recoverySeconds: up ? (up.at - t1) / 1000 : null,
      emails,
      events,
      webhooks,
      notes: `2 bookings had mails in flight across the restart, 2 placed after it; both instances kept running: ${a.alive() && b.alive() ? "yes" : "NO"}`,
    });
    expect.soft(down, "/api/health answers 503 (database) while Postgres is down").not.toBeNull();
    expect.soft(up, "/api/health answers 200 on both instances once Postgres is back").not.toBeNull();
    expect.soft(stillUp, "and stays 200").not.toBeNull();
    expect.soft(a.alive() && b.alive(), "no instance died with the database").toBe(true);
    for (const t of [emails, events, webhooks]) expectDeliveredOnce("Postgres restarted", t, 2);
  });

  it(`${LOAD_BOOKINGS} bookings through three instances, one killed and restarted: no double booking, every mail and event exactly once, one puller per calendar`, async () => {
    const c = await startInstance("C", await freePort());
    const pool = () => [a, b, c];
    const pick = () => {
      const alive = pool().filter((i) => i.alive());
      return alive[Math.floor(Math.random() * alive.length)]!;
    };
    const loadStartedAt = new Date();
    const bookingIds: string[] = [];
    let placed = 0;
    let killedAt: number | null = null;
    let restartedAt: number | null = null;
    const t0 = Date.now();
    const killer = (async () => {
      while (placed < LOAD_BOOKINGS * 0.3) await sleep(100);
      killedAt = Date.now();
      await b.killHard();
      while (placed < LOAD_BOOKINGS * 0.5) await sleep(100);
      b = await startInstance("B-restarted", b.port);
      restartedAt = Date.now();
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: LOAD_CONCURRENCY }, async () => {
        while (next < LOAD_BOOKINGS) {
          const n = next++;
          const artist = loadArtists[n % loadArtists.length]!;
          bookingIds.push(await placeBooking(artist, pick));
          placed += 1;
        }
      }),
    );
    await killer;
    const placedSeconds = (Date.now() - t0) / 1000;
    await waitForWork(bookingIds, 180_000);
    await waitForWebhooks(60_000);
    const doneSeconds = (Date.now() - t0) / 1000;

    const doubles = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from bookings x join bookings y on x.artist_id = y.artist_id and x.id < y.id
      where x.status in ('pending', 'confirmed') and y.status in ('pending', 'confirmed')
        and tstzrange(x.starts_at, x.ends_at) && tstzrange(y.starts_at, y.ends_at)`);
    const overlappingPulls = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from calendar_sync_runs x join calendar_sync_runs y on x.calendar_id = y.calendar_id and x.id < y.id
      where x.started_at >= ${loadStartedAt.toISOString()}::timestamptz and y.started_at >= ${loadStartedAt.toISOString()}::timestamptz
        and tstzrange(x.started_at, coalesce(x.finished_at, now())) && tstzrange(y.started_at, coalesce(y.finished_at, now()))`);
    const pulls = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from calendar_sync_runs where started_at >= ${loadStartedAt.toISOString()}::timestamptz`,
    );
    const emails = await countEmails(bookingIds);
    const events = await countEvents(bookingIds, loadArtists);
    const webhooks = await countWebhooks({ bookingIds });
    rows.push({
      fault: `${LOAD_BOOKINGS} bookings via 3 instances, one kill -9 + restart`,
      alert: "—",
      alertSeconds: null,
      unhealthySeconds: null,
      recoverySeconds: null,
      emails,
      events,
      webhooks,
      notes:
        `placed in ${placedSeconds.toFixed(0)} s (${LOAD_CONCURRENCY} at a time), all mails/events done after ${doneSeconds.toFixed(0)} s; ` +
        `B killed at ${(((killedAt ?? t0) - t0) / 1000).toFixed(0)} s, back at ${(((restartedAt ?? t0) - t0) / 1000).toFixed(0)} s; ` +
        `double bookings: ${doubles.rows[0]!.n}; overlapping pulls of one calendar: ${overlappingPulls.rows[0]!.n} of ${pulls.rows[0]!.n} pulls`,
    });
    expect(new Set(bookingIds).size, "every placed booking is its own").toBe(LOAD_BOOKINGS);
    expect.soft(doubles.rows[0]!.n, "no two active bookings of one artist overlap").toBe(0);
    expect.soft(overlappingPulls.rows[0]!.n, "no calendar was pulled by two instances at once").toBe(0);
    for (const t of [emails, events, webhooks]) expectDeliveredOnce(`${LOAD_BOOKINGS} bookings`, t, 1);

    // Every mail ever due in the suite (bookings and the admins' alert mails), exactly once.
    const everything = await countEmails();
    const allWebhooks = await countWebhooks();
    rows.push({
      fault: "Whole suite: every mail and webhook that was due",
      alert: "—",
      alertSeconds: null,
      unhealthySeconds: null,
      recoverySeconds: null,
      emails: everything,
      events: "n/a",
      webhooks: allWebhooks,
      notes: "includes the admins' alert emails and alert.raised/cleared webhooks",
    });
    // Three interruptions in the suite: the worker kill, the Postgres restart (two instances), the kill under load.
    expectDeliveredOnce("whole suite", everything, 4);
    expectDeliveredOnce("whole suite", allWebhooks, 4);
  }, 480_000);
});
