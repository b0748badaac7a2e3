/**
 * The watchdog against a real Postgres (and a real SMTP server where mail is the subject). If these
 * fail, a studio is not told when bookings stop reaching the artist's calendar, emails stop going
 * out or the background work stops: or it is told fifty times for one cause, or never told that
 * the problem is over, and /api/health keeps a load balancer's or monitor's view wrong.
 *
 * Every run gets `now` explicitly: seconds after the real clock, since the rows it judges carry
 * the database's own timestamps.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull, like, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/db/embedded";
import { adminAlerts, calendars, incidents, notifications, workerHeartbeats } from "@/db/schema";
import { enqueueCalendarPush, calendarPushJobKey } from "@/lib/caldav/enqueue-calendar-push";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { processIdentity } from "@/lib/jobs/worker-heartbeats";
import { runWatchdog, type WatchdogOptions } from "@/lib/watchdog/run-watchdog";
import { healthResponseSchema } from "@/lib/watchdog/response-schemas";
import { startSmtpPeer } from "../support/smtp-peer";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** `seconds` after the real clock: the watchdog's "now" in a test. */
const after = (seconds: number) => new Date(Date.now() + seconds * 1000);

const watch = (seconds: number, opts: Omit<WatchdogOptions, "now"> = {}) => runWatchdog(db, { smtpConfigured: false, ...opts, now: after(seconds) });

async function openOf(kind: string, subject: string) {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.kind, kind), eq(incidents.subject, subject), isNull(incidents.clearedAt)));
}

async function allOf(kind: string, subject: string) {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.kind, kind), eq(incidents.subject, subject)));
}

async function health() {
  const { GET } = (await import("@/app/api/health/route")) as unknown as { GET: Handler };
  const res = await GET(new Request("http://holdfast.test/api/health"), { params: Promise.resolve({}) });
  const body = (await res.json()) as unknown;
  const parsed = healthResponseSchema.safeParse(body);
  expect(parsed.success, JSON.stringify(body)).toBe(true);
  return { status: res.status, body: parsed.data! };
}

/** A job of a kind of its own (no worker runs it), so no other test's jobs mix in. */
async function addTestJob(task: string, opts: { runAt?: Date } = {}) {
  const result = await db.execute<{ id: string }>(
    sql`select id::text as id from graphile_worker.add_job(${task}, '{}'::json, run_at => ${(opts.runAt ?? new Date()).toISOString()}::timestamptz, job_key => ${`test:${task}`})`,
  );
  return result.rows[0]!.id;
}
const removeTestJob = (task: string) => db.execute(sql`select graphile_worker.remove_job(${`test:${task}`})`);

async function deadJob(task: string) {
  const id = await addTestJob(task);
  await db.execute(sql`select graphile_worker.permanently_fail_jobs(array[${id}::bigint], 'gave up in a test')`);
  return id;
}

const tasks: string[] = [];
const testTask = () => {
  const task = `watchdog_test_${uniqueTag()}`;
  tasks.push(task);
  return task;
};

beforeAll(async () => {
  // Files share one database. What earlier files left behind (mails queued with no SMTP, due jobs
  // nobody ran, calendars on servers that are gone) would be real causes here, so they go first.
  await db.execute(sql`update notifications set status = 'cancelled' where status in ('queued', 'scheduled')`);
  await db.execute(sql`delete from graphile_worker._private_jobs where locked_at is null`);
  await db.execute(sql`update calendars set active = false where active`);
  await db.execute(sql`delete from worker_heartbeats`);
  await db.execute(sql`update incidents set cleared_at = now() where cleared_at is null`);
  // The admins' email goes to the studio address.
  await db.execute(sql`insert into studio_settings (id, name, email, timezone) values (1, 'Test Studio', 'studio@test.example', 'Europe/Berlin')
    on conflict (id) do update set email = coalesce(studio_settings.email, excluded.email)`);
});

afterEach(() => {
  delete process.env.SMTP_URL;
});

afterAll(async () => {
  for (const task of tasks) await removeTestJob(task);
  // Later files read /api/health too: leave no alert of this file open.
  await db.execute(sql`update incidents set cleared_at = now() where cleared_at is null`);
});

async function artistWithWriteCalendar() {
  const { artist, service } = await createTestArtist(db);
  const [calendar] = await db
    .insert(calendars)
    .values({
      artistId: artist.id,
      serverUrl: "http://127.0.0.1:9/",
      username: `u-${uniqueTag()}`,
      passwordEncrypted: "not-a-real-secret",
      calendarUrl: `http://127.0.0.1:9/cal-${uniqueTag()}/`,
      displayName: "Studio bookings",
      role: "write",
      lastSyncAt: new Date(),
      // Never due during the test: nothing pulls it for real.
      nextSyncAt: new Date(Date.now() + 86_400_000),
    })
    .returning();
  return { artist, service, calendar: calendar! };
}

describe("each check opens one incident per cause, however often it runs, and clears it when the cause is gone", () => {
  it("a booking's calendar push not done within 60 s, while the artist has a write calendar", async () => {
    const { artist, service, calendar } = await artistWithWriteCalendar();
    const email = `push-${uniqueTag()}@example.com`;
    const bookingId = await insertTestBooking(db, {
      artistId: artist.id,
      serviceId: service.id,
      start: futureSlot(20),
      status: "confirmed",
      customerName: "Watchdog Customer",
      customerEmail: email,
    });
    expect(await enqueueCalendarPush(db, { id: bookingId, artistId: artist.id })).toBe(true);
    const subject = `calendar:${calendar.id}`;

    await watch(30);
    expect(await openOf("calendar_push_late", subject)).toHaveLength(0);

    for (const s of [90, 95, 100]) await watch(s);
    const [open, ...more] = await openOf("calendar_push_late", subject);
    expect(more).toHaveLength(0);
    expect(open!.bookingIds).toEqual([bookingId]);
    expect(open!.message).toContain("Studio bookings");
    expect(open!.message).not.toContain(email);
    expect(open!.message).not.toContain("Watchdog Customer");

    // The push went through: the job is gone.
    await db.execute(sql`select graphile_worker.remove_job(${calendarPushJobKey(bookingId)})`);
    const { cleared } = await watch(105);
    expect(cleared.map((i) => i.id)).toContain(open!.id);
    expect(await openOf("calendar_push_late", subject)).toHaveLength(0);
    const [past] = await allOf("calendar_push_late", subject);
    expect(past!.clearedAt).not.toBeNull();
    await db.update(calendars).set({ active: false }).where(eq(calendars.id, calendar.id));
  });

  it("a calendar whose pushes fail twice in a row (or are put off by 429s) alerts at once, not a minute later, and clears with the next write", async () => {
    const { artist, service, calendar } = await artistWithWriteCalendar();
    const subject = `calendar:${calendar.id}`;
    const bookingId = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(23), status: "confirmed" });
    await enqueueCalendarPush(db, { id: bookingId, artistId: artist.id });
    // A push attempt that failed, as the worker records it (no worker runs here: it would also run
    // the delivery jobs of other tests' mails).
    const failPush = () =>
      db.execute(
        sql`update graphile_worker._private_jobs set attempts = attempts + 1, last_error = 'connect ECONNREFUSED 127.0.0.1:9', updated_at = now()
          where key = ${calendarPushJobKey(bookingId)}`,
      );
    await failPush();
    await watch(1);
    expect(await openOf("calendar_push_failing", subject), "one failed push is not yet the calendar failing").toHaveLength(0);
    await failPush();
    await watch(2);
    const [open, ...more] = await openOf("calendar_push_failing", subject);
    expect(more).toHaveLength(0);
    expect(open!.bookingIds).toEqual([bookingId]);
    expect(open!.message).toContain("Studio bookings");
    expect(await openOf("calendar_push_late", subject), "two failures are alerted before the push is late").toHaveLength(0);

    // A write that succeeds (here: the booking's event written, its job done) clears it.
    await db.execute(sql`select graphile_worker.remove_job(${calendarPushJobKey(bookingId)})`);
    await db.execute(sql`update bookings set caldav_written_at = clock_timestamp() where id = ${bookingId}`);
    await watch(3);
    expect(await openOf("calendar_push_failing", subject)).toHaveLength(0);

    // A push the server put off twice with 429 (each deferral is a fresh job without attempts).
    const deferredId = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(24), status: "confirmed" });
    await enqueueCalendarPush(db, { id: deferredId, artistId: artist.id }, { runAt: new Date(Date.now() + 5_000), payload: { rateLimitedTimes: 2 } });
    await watch(4);
    expect((await openOf("calendar_push_failing", subject))[0]?.bookingIds).toEqual([deferredId]);
    // Deferred again and again, it is also late a minute after the change (run_at keeps moving on).
    await db.execute(sql`update graphile_worker._private_jobs set run_at = now() + interval '90 seconds' where key = ${calendarPushJobKey(deferredId)}`);
    await watch(70);
    expect((await openOf("calendar_push_late", subject))[0]?.bookingIds).toEqual([deferredId]);

    await db.execute(sql`select graphile_worker.remove_job(${calendarPushJobKey(deferredId)})`);
    await db.execute(sql`update bookings set caldav_written_at = clock_timestamp() where id = ${deferredId}`);
    await watch(75);
    expect(await openOf("calendar_push_failing", subject)).toHaveLength(0);
    expect(await openOf("calendar_push_late", subject)).toHaveLength(0);
    await db.update(calendars).set({ active: false }).where(eq(calendars.id, calendar.id));
  });

  it("no alert for a late push once the artist has no active write calendar", async () => {
    const { artist, service, calendar } = await artistWithWriteCalendar();
    const bookingId = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(21), status: "confirmed" });
    await enqueueCalendarPush(db, { id: bookingId, artistId: artist.id });
    await db.update(calendars).set({ active: false }).where(eq(calendars.id, calendar.id));
    await watch(90);
    expect(await allOf("calendar_push_late", `calendar:${calendar.id}`)).toHaveLength(0);
    await db.execute(sql`select graphile_worker.remove_job(${calendarPushJobKey(bookingId)})`);
  });

  it("an email queued and unsent for 60 s while SMTP is configured, cleared once it is sent", async () => {
    const smtp = await startSmtpPeer();
    try {
      const { artist, service } = await createTestArtist(db);
      const bookingId = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(22) });
      const [mail] = await db
        .insert(notifications)
        .values({ bookingId, kind: "booking_confirmed", recipient: `late-${uniqueTag()}@example.com`, subject: "s", textBody: "t", htmlBody: "h" })
        .returning();
      await queueNotificationDelivery(db, mail!.id);

      await watch(90, { smtpConfigured: false });
      expect(await openOf("email_unsent", "mail"), "without SMTP, mails are kept on purpose").toHaveLength(0);
      await watch(30, { smtpConfigured: true });
      expect(await openOf("email_unsent", "mail")).toHaveLength(0);
      for (const s of [90, 95]) await watch(s, { smtpConfigured: true });
      const open = await openOf("email_unsent", "mail");
      expect(open).toHaveLength(1);
      expect(open[0]!.bookingIds).toContain(bookingId);

      process.env.SMTP_URL = smtp.url;
      await runDueJobs(db);
      expect(smtp.received.some((m) => m.to.includes(mail!.recipient))).toBe(true);
      await watch(100, { smtpConfigured: true });
      expect(await openOf("email_unsent", "mail")).toHaveLength(0);
    } finally {
      await smtp.stop();
    }
  });

  it("SMTP failing: 2 delivery attempts in a row fail (not 1), cleared by the next success", async () => {
    const smtp = await startSmtpPeer();
    try {
      const deadPort = await freePort();
      const queueMail = async () => {
        const [row] = await db
          .insert(notifications)
          .values({ kind: "booking_confirmed", recipient: `smtp-${uniqueTag()}@example.com`, subject: "s", textBody: "t", htmlBody: "h" })
          .returning();
        await queueNotificationDelivery(db, row!.id);
        return row!;
      };
      const retryNow = () =>
        db.execute(
          sql`select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where attempts > 0 and attempts < max_attempts), run_at => now())`,
        );

      // A working server first: everything queued goes out, the last attempt succeeded.
      process.env.SMTP_URL = smtp.url;
      await queueMail();
      await runDueJobs(db);
      await watch(1, { smtpConfigured: true });
      expect(await openOf("smtp_failing", "smtp")).toHaveLength(0);

      process.env.SMTP_URL = `smtp://127.0.0.1:${deadPort}`;
      const failing = await queueMail();
      await runDueJobs(db);
      expect((await db.select().from(notifications).where(eq(notifications.id, failing.id)))[0]!.attempts).toBe(1);
      await watch(2, { smtpConfigured: true });
      expect(await openOf("smtp_failing", "smtp"), "one failed attempt is not yet SMTP failing").toHaveLength(0);

      await retryNow();
      await runDueJobs(db);
      for (const s of [3, 4, 5]) await watch(s, { smtpConfigured: true });
      const open = await openOf("smtp_failing", "smtp");
      expect(open).toHaveLength(1);
      expect(open[0]!.message).not.toContain(failing.recipient);

      process.env.SMTP_URL = smtp.url;
      await retryNow();
      await runDueJobs(db);
      expect(smtp.received.some((m) => m.to.includes(failing.recipient))).toBe(true);
      await watch(6, { smtpConfigured: true });
      expect(await openOf("smtp_failing", "smtp")).toHaveLength(0);
    } finally {
      await smtp.stop();
    }
  });

  it("a calendar pull failing 3 times in a row, and an active calendar not pulled for 3 minutes", async () => {
    const { calendar } = await artistWithWriteCalendar();
    const subject = `calendar:${calendar.id}`;
    await db.update(calendars).set({ consecutiveFailures: 2, lastErrorCode: "server_error" }).where(eq(calendars.id, calendar.id));
    await watch(1);
    expect(await openOf("calendar_pull_failing", subject)).toHaveLength(0);

    await db.update(calendars).set({ consecutiveFailures: 3 }).where(eq(calendars.id, calendar.id));
    for (const s of [1, 2, 3]) await watch(s);
    expect(await openOf("calendar_pull_failing", subject)).toHaveLength(1);
    expect(await openOf("calendar_pull_stale", subject), "one cause, one alert").toHaveLength(0);

    await db.update(calendars).set({ consecutiveFailures: 0, lastSyncAt: new Date() }).where(eq(calendars.id, calendar.id));
    await watch(4);
    expect(await openOf("calendar_pull_failing", subject)).toHaveLength(0);

    await watch(170);
    expect(await openOf("calendar_pull_stale", subject)).toHaveLength(0);
    for (const s of [190, 200]) await watch(s);
    expect(await openOf("calendar_pull_stale", subject)).toHaveLength(1);
    await db
      .update(calendars)
      .set({ lastSyncAt: after(200) })
      .where(eq(calendars.id, calendar.id));
    await watch(205);
    expect(await openOf("calendar_pull_stale", subject)).toHaveLength(0);
    await db.update(calendars).set({ active: false }).where(eq(calendars.id, calendar.id));
  });

  it("a dead-lettered job: one incident per kind of job, cleared when it is retried or removed", async () => {
    const task = testTask();
    await deadJob(task);
    for (const s of [1, 2, 3]) await watch(s);
    const open = await openOf("job_dead", `job:${task}`);
    expect(open).toHaveLength(1);
    expect(open[0]!.message).toContain(task);
    await removeTestJob(task);
    await watch(4);
    expect(await openOf("job_dead", `job:${task}`)).toHaveLength(0);
  });

  it("queue jobs overdue by more than 60 s", async () => {
    const task = testTask();
    // Earlier alerts' emails wait in the queue too (no SMTP here: a run keeps them and completes their jobs).
    await runDueJobs(db);
    await watch(1);
    expect(await openOf("queue_overdue", "queue")).toHaveLength(0);
    await addTestJob(task, { runAt: new Date(Date.now() - 30_000) });
    await watch(1);
    expect(await openOf("queue_overdue", "queue")).toHaveLength(0);
    for (const s of [45, 50]) await watch(s);
    const open = await openOf("queue_overdue", "queue");
    expect(open).toHaveLength(1);
    expect(open[0]!.message).toContain(task);
    await removeTestJob(task);
    await runDueJobs(db);
    await watch(1);
    expect(await openOf("queue_overdue", "queue")).toHaveLength(0);
  });

  it("the worker: silent for 60 s where a resident worker is expected; not judged where none is", async () => {
    await watch(1, { workerExpected: false });
    expect(await openOf("worker_silent", "worker"), "the cron route alone has no worker to miss").toHaveLength(0);

    for (const s of [1, 2]) await watch(s, { workerExpected: true });
    const [open] = await openOf("worker_silent", "worker");
    expect(open).toBeDefined();
    // A run that does not expect a worker neither confirms nor clears it …
    await watch(3, { workerExpected: false });
    expect(await openOf("worker_silent", "worker")).toHaveLength(1);

    await db.insert(workerHeartbeats).values({ workerId: `test-${uniqueTag()}`, instanceId: randomUUID(), hostname: "test", pid: 1 });
    await watch(10, { workerExpected: true });
    expect(await openOf("worker_silent", "worker")).toHaveLength(0);
    await watch(80, { workerExpected: true });
    expect(await openOf("worker_silent", "worker"), "the heartbeat stopped 80 s ago").toHaveLength(1);

    // … unless nobody has confirmed it for 5 minutes (the instance that expected a worker is gone).
    await watch(300, { workerExpected: false });
    expect(await openOf("worker_silent", "worker")).toHaveLength(1);
    await watch(400, { workerExpected: false });
    expect(await openOf("worker_silent", "worker")).toHaveLength(0);
    await db.execute(sql`delete from worker_heartbeats`);
  });

  it("the tick's resident worker is judged once this process has been seen running one, and missed after its row is swept", async () => {
    await watch(1, { residentWorker: true });
    expect(await openOf("worker_silent", "worker"), "a caller that only leaves the jobs alone has no worker to miss").toHaveLength(0);

    const workerId = `test-${uniqueTag()}`;
    await db.insert(workerHeartbeats).values({ workerId, instanceId: processIdentity().instanceId, hostname: "test", pid: process.pid });
    await watch(2, { residentWorker: true });
    expect(await openOf("worker_silent", "worker")).toHaveLength(0);
    // The worker died and the sweep deleted its row: the process still remembers it had one.
    await db.delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, workerId));
    for (const s of [3, 4]) await watch(s, { residentWorker: true });
    expect(await openOf("worker_silent", "worker")).toHaveLength(1);

    await db.insert(workerHeartbeats).values({ workerId, instanceId: processIdentity().instanceId, hostname: "test", pid: process.pid });
    await watch(5, { residentWorker: true });
    expect(await openOf("worker_silent", "worker")).toHaveLength(0);
    await db.delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, workerId));
  });
});

describe("alerts reach the admins once, and health names the broken part", () => {
  it("a new incident makes one feed line and one admin email; its recovery one 'recovered' line", async () => {
    const task = testTask();
    await deadJob(task);
    for (const s of [1, 2, 3]) await watch(s);
    const opened = await db
      .select()
      .from(adminAlerts)
      .where(and(eq(adminAlerts.kind, "incident_opened"), like(adminAlerts.message, `%${task}%`)));
    expect(opened).toHaveLength(1);
    const mails = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, "admin_incident"), like(notifications.textBody, `%${task}%`)));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Holdfast alert: Background jobs gave up");
    expect(mails[0]!.textBody).toContain("/admin/alerts");
    expect(mails[0]!.textBody).toContain("What to do:");
    const [incident] = await openOf("job_dead", `job:${task}`);
    expect(incident!.notifiedAt).not.toBeNull();
    const jobs = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where key = ${`notification:${mails[0]!.id}`}`);
    expect(jobs.rows[0]!.n, "the email goes through the outbox").toBe(1);

    await removeTestJob(task);
    for (const s of [4, 5]) await watch(s);
    const recovered = await db
      .select()
      .from(adminAlerts)
      .where(and(eq(adminAlerts.kind, "incident_recovered"), like(adminAlerts.message, `%${task}%`)));
    expect(recovered).toHaveLength(1);
  });

  it("two concurrent watchdog runs open one incident, announce it once, and clear it once", async () => {
    const task = testTask();
    await deadJob(task);
    const now = after(1);
    const runs = await Promise.all([runWatchdog(db, { now, smtpConfigured: false }), runWatchdog(db, { now, smtpConfigured: false })]);
    expect(runs.flatMap((r) => r.opened).filter((i) => i.subject === `job:${task}`)).toHaveLength(1);
    expect(await allOf("job_dead", `job:${task}`)).toHaveLength(1);
    expect(
      await db
        .select()
        .from(adminAlerts)
        .where(and(eq(adminAlerts.kind, "incident_opened"), like(adminAlerts.message, `%${task}%`))),
    ).toHaveLength(1);
    expect(
      await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.kind, "admin_incident"), like(notifications.textBody, `%${task}%`))),
    ).toHaveLength(1);

    await removeTestJob(task);
    const later = after(2);
    const clears = await Promise.all([runWatchdog(db, { now: later, smtpConfigured: false }), runWatchdog(db, { now: later, smtpConfigured: false })]);
    expect(clears.flatMap((r) => r.cleared).filter((i) => i.subject === `job:${task}`)).toHaveLength(1);
    expect(
      await db
        .select()
        .from(adminAlerts)
        .where(and(eq(adminAlerts.kind, "incident_recovered"), like(adminAlerts.message, `%${task}%`))),
    ).toHaveLength(1);
  });

  it("GET /api/health answers 503 naming the failing part while an incident is open, and 200 after recovery", async () => {
    await runDueJobs(db);
    await watch(1);
    const before = await health();
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.status).toBe("ok");

    const task = testTask();
    await deadJob(task);
    await watch(2);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("unavailable");
    expect(down.body.checks.jobs).toMatchObject({ ok: false, detail: expect.stringContaining("Background jobs gave up") });
    expect(down.body.checks.alerts.ok).toBe(false);
    expect(down.body.checks.alerts.detail).toContain("job_dead");
    expect(down.body.checks.database.ok).toBe(true);
    expect(down.body.checks.mail.ok).toBe(true);
    expect(down.body.checks.worker.ok).toBe(true);
    expect(down.body.checks.calendars.ok).toBe(true);
    // Strangers may ask: no job kind beyond the alert's name, no error text.
    expect(JSON.stringify(down.body)).not.toMatch(/gave up in a test|watchdog_test_|select|graphile/i);

    await removeTestJob(task);
    await watch(3);
    const up = await health();
    expect(up.status).toBe(200);
    expect(Object.values(up.body.checks).every((c) => c.ok)).toBe(true);
  });
});
