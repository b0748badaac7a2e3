/**
 * A mail relay that accepts the connection, greets, and then never answers again (issue 8 item 2).
 * Real Postgres, a raw-socket SMTP server on 127.0.0.1, the real resident worker, a real Radicale.
 */
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { calendarObjects, notifications } from "@/db/schema";
import { listOutbox } from "@/lib/admin/outbox";
import { resetEnvCache } from "@/lib/env";
import { addJob } from "@/lib/jobs/add-job";
import { startJobWorker } from "@/lib/jobs/job-runner";
import { DeliveryFailedError, deliverNotification } from "@/lib/notifications/deliver-notification";
import { deactivateCalendars, linkTestCalendar, placeRequest, useCalDavTestEnvironment } from "../support/caldav-fixtures";
import { readCalendar, serverAvailable, startRadicale, type RunningCalDavServer } from "../support/caldav-servers";
import { startStallingSmtpServer } from "../support/smtp-peer";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

const available = serverAvailable("radicale");
let db: Database;
let radicale: RunningCalDavServer | undefined;
const linked: string[] = [];
const createdMails: string[] = [];

beforeAll(async () => {
  useCalDavTestEnvironment();
  db = useTestDatabase();
  if (available) radicale = await startRadicale();
});
afterEach(async () => {
  // The stuck mails must not be retried into a later test file's SMTP peer.
  for (const id of createdMails.splice(0)) await db.execute(sql`select graphile_worker.remove_job(${`notification:${id}`})`);
  delete process.env.SMTP_URL;
  delete process.env.SMTP_TIMEOUT_MS;
  resetEnvCache();
  await deactivateCalendars(db, linked.splice(0));
});
afterAll(async () => {
  await radicale?.stop();
  await closeDb();
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Connections of this database sitting in an open transaction, doing nothing, for more than half a
 * second (a transaction between two of its statements is idle for a moment; one waiting on SMTP
 * is idle for as long as the server stalls).
 */
async function idleInTransaction() {
  const result = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and state_change < now() - interval '500 milliseconds'`,
  );
  return result.rows[0]!.n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function queuedMail(subject: string) {
  const [row] = await db
    .insert(notifications)
    .values({ kind: "booking_requested", recipient: "stall@example.com", subject, textBody: "t", htmlBody: "<p>t</p>" })
    .returning();
  createdMails.push(row!.id);
  return row!;
}

describe("a stalled SMTP server", () => {
  it("fails the send within SMTP_TIMEOUT_MS and holds no transaction open while it hangs — else the worker and the database freeze for 10 minutes", async () => {
    const stall = await startStallingSmtpServer();
    try {
      process.env.SMTP_URL = stall.url;
      process.env.SMTP_TIMEOUT_MS = "1500";
      resetEnvCache();
      const mail = await queuedMail("Stalled once");
      const started = Date.now();
      const delivery = deliverNotification(db, mail.id).then(
        () => null,
        (err: unknown) => err,
      );

      await waitFor("the SMTP connection", async () => stall.connections() > 0);
      await sleep(700);
      const [during] = await db.select().from(notifications).where(eq(notifications.id, mail.id));
      expect(during!.sendingStartedAt, "the row is marked as being sent").not.toBeNull();
      expect(await idleInTransaction()).toBe(0);
      const outbox = await listOutbox(db, { status: "queued", pageSize: 200 });
      expect(outbox.notifications.find((n) => n.id === mail.id)?.status).toBe("sending");

      const error = await delivery;
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(DeliveryFailedError);
      // 1.5 s of silence after the greeting ends it; nodemailer's own default would be 10 minutes.
      expect(elapsed).toBeLessThan(6_000);
      const [after] = await db.select().from(notifications).where(eq(notifications.id, mail.id));
      expect(after).toEqual(expect.objectContaining({ status: "queued", attempts: 1, sendingStartedAt: null }));
      expect(after!.lastError).toMatch(/timeout/i);
    } finally {
      await stall.stop();
    }
  });

  it.skipIf(!available)("never delays a calendar push: one queued behind 4+ stuck mails is in the artist's calendar within seconds", async () => {
    const stall = await startStallingSmtpServer();
    process.env.SMTP_URL = stall.url;
    process.env.SMTP_TIMEOUT_MS = "20000"; // the mails stay stuck for the whole test
    resetEnvCache();
    const { artist, service } = await createTestArtist(db);
    const calendarUrl = await radicale!.createCalendar();
    const calendar = await linkTestCalendar(db, radicale!, { artistId: artist.id, calendarUrl });
    linked.push(calendar.id);

    for (let i = 0; i < 6; i += 1) {
      const mail = await queuedMail(`Stuck ${i}`);
      await addJob(db, "deliver_notification", { notificationId: mail.id }, { jobKey: `notification:${mail.id}`, maxAttempts: 12 });
    }
    const worker = await startJobWorker(db);
    try {
      // Every email slot is taken by a mail the server never answers.
      await waitFor("4 mails stuck at the SMTP server", async () => {
        const stuck = await db
          .select({ id: notifications.id })
          .from(notifications)
          .where(and(eq(notifications.status, "queued"), isNotNull(notifications.sendingStartedAt)));
        return stuck.length >= 4 && stall.open() >= 4;
      });
      await sleep(700);
      expect(await idleInTransaction()).toBe(0);

      const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(10, "10:00"));
      createdMails.push(...(await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.bookingId, booking.id))).map((n) => n.id));
      const pushedAt = await waitFor(
        "the calendar push",
        async () => (await db.select().from(calendarObjects).where(eq(calendarObjects.bookingId, booking.id)))[0]?.updatedAt,
        8_000,
      );
      expect(pushedAt).toBeInstanceOf(Date);
      const events = await readCalendar(radicale!, calendarUrl);
      expect(events.filter((e) => e.text.includes(booking.id))).toHaveLength(1);
      // ... while the mails are still stuck: none of them has finished an attempt.
      expect(stall.open()).toBeGreaterThanOrEqual(4);
      expect(await idleInTransaction()).toBe(0);
    } finally {
      await stall.stop(); // the stuck sends fail at once, so the worker can stop
      await worker.stop();
    }
  });
});
