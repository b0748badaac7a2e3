/**
 * GET /api/metrics against the real Postgres and the real route handlers. If these fail, an
 * operator's Prometheus either scrapes figures that are not what the database holds (a queue that
 * looks empty while jobs pile up, bookings that do not add up), cannot parse the page at all, or
 * anyone on the internet can read the studio's figures without the token.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as availabilityGET } from "@/app/api/availability/route";
import { POST as holdsPOST } from "@/app/api/holds/route";
import { GET as metricsGET } from "@/app/api/metrics/route";
import { bookings, calendars, calendarSyncRuns, incidents, workerHeartbeats } from "@/db/schema";
import { addJob } from "@/lib/jobs/add-job";
import { metricsRegistry } from "@/lib/metrics/metrics-registry";
import { isPrometheusText } from "@/lib/metrics/response-schemas";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();
const TOKEN = "metrics-test-token-0123456789abcdef";
const ctx = { params: Promise.resolve({}) };
const tag = uniqueTag();
const jobKeys: string[] = [];

function scrape(authorization?: string) {
  return metricsGET(new Request("http://holdfast.test/api/metrics", { headers: authorization ? { authorization } : {} }), ctx);
}

async function metricsText(): Promise<string> {
  const res = await scrape(`Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample (`name{a="x",b="y"}`, labels in any order) in Prometheus text; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return m[3] === "+Inf" ? Infinity : Number(m[3]);
  }
  return undefined;
}

async function jsonMetric(name: string) {
  return (await metricsRegistry().registry.getMetricsAsJSON()).find((m) => m.name === name);
}

beforeAll(() => {
  process.env.METRICS_TOKEN = TOKEN;
});

afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  // Later files run the queue (the cron tick): these jobs must not run there.
  for (const key of jobKeys) await db.execute(sql`select graphile_worker.remove_job(${key})`);
  await db.delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, `metrics-${tag}`));
  await db
    .update(calendars)
    .set({ active: false })
    .where(eq(calendars.username, `metrics-${tag}`));
});

describe("who may read /api/metrics", () => {
  it("refuses without a token, with a wrong one and with another scheme: 401 in the error shape", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789abcdefgh", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, "Bearer "]) {
      const res = await scrape(authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "A valid metrics bearer token is required" } });
    }
  });

  it("is off (404 in the error shape) while METRICS_TOKEN is unset, even for a caller who sends a token", async () => {
    delete process.env.METRICS_TOKEN;
    try {
      const res = await scrape(`Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    } finally {
      process.env.METRICS_TOKEN = TOKEN;
    }
  });
});

describe("what /api/metrics exports", () => {
  it("answers Prometheus text with the token: every line parses, every metric is holdfast_-named snake_case", async () => {
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(isPrometheusText(text)).toBe(true);
    expect(isPrometheusText('holdfast_x{a="1"} 1\nnot a sample line')).toBe(false);
    const names = (await metricsRegistry().registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names.filter((n) => !/^holdfast_[a-z0-9_]+$/.test(n))).toEqual([]);
    for (const name of [
      "holdfast_bookings_by_status",
      "holdfast_job_queue_depth",
      "holdfast_job_oldest_due_age_seconds",
      "holdfast_job_failures",
      "holdfast_emails_by_status",
      "holdfast_calendars_failing",
      "holdfast_calendar_last_success_age_seconds",
      "holdfast_calendar_sync_runs_last_hour",
      "holdfast_calendar_sync_last_hour_bytes",
      "holdfast_calendar_sync_last_hour_duration_seconds",
      "holdfast_incidents_open",
      "holdfast_worker_heartbeat_age_seconds",
      "holdfast_http_request_duration_seconds",
      "holdfast_holds_placed_total",
      "holdfast_hold_conflicts_total",
      "holdfast_process_cpu_seconds_total",
    ])
      expect(text, name).toContain(`# TYPE ${name} `);
    expect(sample(text, "holdfast_metrics_database_up")).toBe(1);
    // Every status is a series, also at 0, so a graph does not start with a gap.
    for (const status of ["hold", "pending", "confirmed", "rejected", "cancelled", "expired", "completed"])
      expect(sample(text, "holdfast_bookings_by_status", { status }), status).toBeGreaterThanOrEqual(0);
    for (const status of ["sent", "failed", "queued", "scheduled", "cancelled"])
      expect(sample(text, "holdfast_emails_by_status", { status }), status).toBeGreaterThanOrEqual(0);
  });

  it("counts bookings by status as the database holds them", async () => {
    const { artist, service } = await createTestArtist(db);
    const before = await metricsText();
    for (let i = 0; i < 3; i += 1) await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(30 + i), status: "completed" });
    for (let i = 0; i < 2; i += 1) await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(40 + i), status: "rejected" });
    const after = await metricsText();
    expect(sample(after, "holdfast_bookings_by_status", { status: "completed" })).toBe(
      sample(before, "holdfast_bookings_by_status", { status: "completed" })! + 3,
    );
    expect(sample(after, "holdfast_bookings_by_status", { status: "rejected" })).toBe(
      sample(before, "holdfast_bookings_by_status", { status: "rejected" })! + 2,
    );
    const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from bookings where status = 'completed'`)).rows as [{ n: number }];
    expect(sample(after, "holdfast_bookings_by_status", { status: "completed" })).toBe(n);
    expect(await db.$count(bookings, and(eq(bookings.artistId, artist.id), eq(bookings.status, "rejected")))).toBe(2);
  });

  it("shows the queue per kind: due, scheduled, how overdue the oldest is, and dead jobs", async () => {
    const kind = "push_time_off_to_calendar";
    const before = await metricsText();
    const due = (text: string, state: string) => sample(text, "holdfast_job_queue_depth", { kind, state }) ?? 0;
    const key = (name: string) => {
      jobKeys.push(`metrics-${tag}-${name}`);
      return `metrics-${tag}-${name}`;
    };
    await addJob(db, kind, { timeOffId: randomUUID() }, { jobKey: key("late"), runAt: new Date(Date.now() - 120_000) });
    await addJob(db, kind, { timeOffId: randomUUID() }, { jobKey: key("later"), runAt: new Date(Date.now() + 86_400_000) });
    await addJob(db, kind, { timeOffId: randomUUID() }, { jobKey: key("dead") });
    await db.execute(
      sql`select graphile_worker.permanently_fail_jobs(array(select id from graphile_worker.jobs where key = ${`metrics-${tag}-dead`}), 'metrics test')`,
    );
    const after = await metricsText();
    expect(due(after, "due")).toBe(due(before, "due") + 1);
    expect(due(after, "scheduled")).toBe(due(before, "scheduled") + 1);
    expect(sample(after, "holdfast_job_oldest_due_age_seconds", { kind })).toBeGreaterThanOrEqual(119);
    expect(sample(after, "holdfast_job_failures", { kind, state: "dead" })).toBe((sample(before, "holdfast_job_failures", { kind, state: "dead" }) ?? 0) + 1);
  });

  it("shows failing calendars, the age of each one's last good pull and the last hour's pulls (runs, bytes, seconds)", async () => {
    const { artist } = await createTestArtist(db);
    const before = await metricsText();
    const [calendar] = await db
      .insert(calendars)
      .values({
        artistId: artist.id,
        serverUrl: "http://127.0.0.1:9/",
        username: `metrics-${tag}`,
        passwordEncrypted: "not-a-real-secret",
        calendarUrl: `http://127.0.0.1:9/metrics-${tag}/`,
        role: "busy",
        active: true,
        consecutiveFailures: 2,
        lastSuccessAt: new Date(Date.now() - 600_000),
        nextSyncAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    const startedAt = new Date(Date.now() - 300_000);
    await db.insert(calendarSyncRuns).values([
      { calendarId: calendar!.id, kind: "incremental", status: "failed", startedAt, finishedAt: new Date(startedAt.getTime() + 2_000), bytes: 1_000 },
      { calendarId: calendar!.id, kind: "incremental", status: "failed", startedAt, finishedAt: new Date(startedAt.getTime() + 3_000), bytes: 500 },
      // Two hours ago: outside the window.
      { calendarId: calendar!.id, kind: "incremental", status: "failed", startedAt: new Date(Date.now() - 7_200_000), bytes: 99_999 },
    ]);
    const after = await metricsText();
    const run = { kind: "incremental", status: "failed" };
    expect(sample(after, "holdfast_calendars_failing")).toBe(sample(before, "holdfast_calendars_failing")! + 1);
    const age = sample(after, "holdfast_calendar_last_success_age_seconds", { calendar_id: calendar!.id })!;
    expect(age).toBeGreaterThanOrEqual(599);
    expect(age).toBeLessThan(700);
    expect(sample(after, "holdfast_calendar_sync_runs_last_hour", run)).toBe((sample(before, "holdfast_calendar_sync_runs_last_hour", run) ?? 0) + 2);
    expect(sample(after, "holdfast_calendar_sync_last_hour_bytes", run)).toBe((sample(before, "holdfast_calendar_sync_last_hour_bytes", run) ?? 0) + 1_500);
    expect(sample(after, "holdfast_calendar_sync_last_hour_duration_seconds", run)).toBeCloseTo(
      (sample(before, "holdfast_calendar_sync_last_hour_duration_seconds", run) ?? 0) + 5,
      3,
    );
  });

  it("shows open incidents by kind, and drops a kind once its incidents are cleared", async () => {
    const kind = `metrics_test_${tag}`;
    await db.insert(incidents).values([
      { kind, subject: "smtp", message: "SMTP refuses" },
      { kind, subject: "worker", message: "No heartbeat" },
    ]);
    expect(sample(await metricsText(), "holdfast_incidents_open", { kind })).toBe(2);
    await db.update(incidents).set({ clearedAt: new Date() }).where(eq(incidents.kind, kind));
    expect(sample(await metricsText(), "holdfast_incidents_open", { kind })).toBeUndefined();
  });

  it("shows the age of the freshest worker heartbeat", async () => {
    await db.delete(workerHeartbeats);
    expect(sample(await metricsText(), "holdfast_worker_heartbeat_age_seconds")).toBe(Infinity);
    await db
      .insert(workerHeartbeats)
      .values({ workerId: `metrics-${tag}`, instanceId: tag, hostname: "metrics-test", pid: 1, heartbeatAt: new Date(Date.now() - 30_000) });
    const text = await metricsText();
    const age = sample(text, "holdfast_worker_heartbeat_age_seconds")!;
    expect(age).toBeGreaterThanOrEqual(29);
    expect(age).toBeLessThan(40);
    expect(sample(text, "holdfast_workers_alive")).toBe(1);
  });

  it("times availability requests through the real route: its histogram count and a bucket rise with each call", async () => {
    const { artist, service } = await createTestArtist(db);
    const labels = { method: "GET", route: "/api/availability", status: "200" };
    const countOf = async () => {
      const metric = await jsonMetric("holdfast_http_request_duration_seconds");
      const match = (v: { metricName?: string; labels: Partial<Record<string, string | number>> }, name: string) =>
        v.metricName === name && Object.entries(labels).every(([k, value]) => v.labels[k] === value);
      const values = metric?.values ?? [];
      return {
        count: values.find((v) => match(v, "holdfast_http_request_duration_seconds_count"))?.value ?? 0,
        inf: values.find((v) => match(v, "holdfast_http_request_duration_seconds_bucket") && v.labels.le === "+Inf")?.value ?? 0,
      };
    };
    const before = await countOf();
    const from = futureSlot(10).toISOString().slice(0, 10);
    for (let i = 0; i < 2; i += 1) {
      const res = await availabilityGET(
        new Request(`http://holdfast.test/api/availability?artist=${artist.slug}&service=${service.slug}&from=${from}&to=${from}`),
        ctx,
      );
      expect(res.status).toBe(200);
    }
    expect(await countOf()).toEqual({ count: before.count + 2, inf: before.inf + 2 });
    const text = await metricsText();
    expect(sample(text, "holdfast_http_request_duration_seconds_count", labels)).toBe(before.count + 2);
  });

  it("counts holds placed and hold conflicts of POST /api/holds", async () => {
    const { artist, service } = await createTestArtist(db);
    const before = await metricsText();
    const hold = () =>
      holdsPOST(
        new Request("http://holdfast.test/api/holds", {
          method: "POST",
          headers: { "content-type": "application/json", "x-holdfast-client-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}` },
          body: JSON.stringify({ artist: artist.slug, service: service.slug, start: futureSlot(12, "10:00").toISOString() }),
        }),
        ctx,
      );
    expect((await hold()).status).toBe(201);
    expect((await hold()).status).toBe(409);
    const after = await metricsText();
    expect(sample(after, "holdfast_holds_placed_total", { via: "api" })).toBe((sample(before, "holdfast_holds_placed_total", { via: "api" }) ?? 0) + 1);
    expect(sample(after, "holdfast_hold_conflicts_total", { via: "api" })).toBe((sample(before, "holdfast_hold_conflicts_total", { via: "api" }) ?? 0) + 1);
  });

  it("still answers when the database cannot be reached: database_up 0 and no stale database figures", async () => {
    const databaseUrl = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const text = await metricsText();
      expect(isPrometheusText(text)).toBe(true);
      expect(sample(text, "holdfast_metrics_database_up")).toBe(0);
      expect(sample(text, "holdfast_bookings_by_status", { status: "completed" })).toBeUndefined();
      expect(text).toContain("holdfast_process_cpu_seconds_total");
    } finally {
      process.env.DATABASE_URL = databaseUrl;
    }
    expect(sample(await metricsText(), "holdfast_metrics_database_up")).toBe(1);
  });
});
