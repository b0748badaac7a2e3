import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { adminAlerts, bookings, notifications } from "@/db/schema";
import { getAdminFeed } from "@/lib/admin/feed";
import { getJobOverview, listOutbox } from "@/lib/admin/outbox";
import { getAdminSummary, listPendingRequests, markAlertsRead } from "@/lib/admin/summary";
import { retryJobs, retryNotification } from "@/lib/jobs/retry-jobs";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

let db: Database;
beforeAll(() => {
  db = useTestDatabase();
});
afterAll(async () => {
  await closeDb();
});

async function failedNotificationWithDeadJob(subject: string) {
  const [n] = await db
    .insert(notifications)
    .values({
      kind: "booking_confirmed",
      recipient: "dead@example.com",
      subject,
      textBody: "t",
      htmlBody: "h",
      status: "failed",
      attempts: 12,
      lastError: "550 mailbox unavailable",
    })
    .returning();
  const added = await db.execute<{ id: string }>(
    sql`select id::text as id from graphile_worker.add_job('deliver_notification', json_build_object('notificationId', ${n!.id}::uuid), run_at => now() + interval '1 day', max_attempts => 12, job_key => ${`notification:${n!.id}`})`,
  );
  const jobId = added.rows[0]!.id;
  await db.execute(sql`select graphile_worker.permanently_fail_jobs(array[${jobId}::bigint], '550 mailbox unavailable')`);
  return { notificationId: n!.id, jobId };
}

describe("outbox, jobs and the feed", () => {
  it("shows a dead delivery job, retries it with its attempts reset, and puts the email back in the queue", async () => {
    const { notificationId, jobId } = await failedNotificationWithDeadJob("Dead letter");
    const before = await getJobOverview(db);
    const problem = before.problems.find((j) => j.id === jobId);
    expect(problem).toEqual(
      expect.objectContaining({ task: "deliver_notification", dead: true, attempts: 12, maxAttempts: 12, lastError: "550 mailbox unavailable" }),
    );
    expect(before.queues.find((q) => q.task === "deliver_notification")!.dead).toBeGreaterThanOrEqual(1);
    expect((await getAdminSummary(db)).deadJobs).toBeGreaterThanOrEqual(1);
    const feed = await getAdminFeed(db, { limit: 100 });
    expect(feed.find((i) => i.id === `job:${jobId}`)).toEqual(expect.objectContaining({ kind: "job_failed", severity: "error" }));
    expect(feed.find((i) => i.id === `notification:${notificationId}`)).toEqual(expect.objectContaining({ kind: "notification_failed" }));

    const result = await retryJobs(db, [jobId, "424242424242"]);
    expect(result).toEqual({ retried: [jobId], skipped: ["424242424242"] });
    const job = await db.execute<{ attempts: number; due: boolean }>(
      sql`select attempts, run_at <= now() as due from graphile_worker.jobs where id = ${jobId}::bigint`,
    );
    expect(job.rows[0]).toEqual({ attempts: 0, due: true });
    const [n] = await db.select().from(notifications).where(eq(notifications.id, notificationId));
    expect(n!.status).toBe("queued");
    expect((await getJobOverview(db)).problems.find((j) => j.id === jobId)?.dead ?? false).toBe(false);
  });

  it("sends again a notification whose job is gone (e.g. kept while SMTP was missing)", async () => {
    const [n] = await db
      .insert(notifications)
      .values({ kind: "magic_link", recipient: "kept@example.com", subject: "Sign in", textBody: "t", htmlBody: "h", lastError: "SMTP is not configured" })
      .returning();
    expect(await retryNotification(db, n!.id)).toBe("requeued");
    const jobs = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where key = ${`notification:${n!.id}`}`);
    expect(jobs.rows[0]!.n).toBe(1);
    await db.update(notifications).set({ status: "sent" }).where(eq(notifications.id, n!.id));
    expect(await retryNotification(db, n!.id)).toBe("already_sent");
    expect(await retryNotification(db, crypto.randomUUID())).toBe("missing");
  });

  it("lists notifications by status with counts, newest first", async () => {
    const { notificationId } = await failedNotificationWithDeadJob("Listed failure");
    await db.update(notifications).set({ status: "failed" }).where(eq(notifications.id, notificationId));
    const failed = await listOutbox(db, { status: "failed" });
    expect(failed.notifications.every((x) => x.status === "failed")).toBe(true);
    expect(failed.notifications[0]!.id).toBe(notificationId);
    expect(failed.total).toBe(failed.byStatus.failed);
    const all = await listOutbox(db, { pageSize: 1 });
    expect(all.notifications).toHaveLength(1);
    // every status counts, scheduled reminders and cancelled ones included
    expect(all.total).toBe(Object.values(all.byStatus).reduce((a, b) => a + b, 0));
  });

  it("puts pending requests oldest first and reports new requests and cancellations in the feed", async () => {
    const { artist, service } = await createTestArtist(db);
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const start = futureSlot(60);
    await db.insert(bookings).values([
      {
        id: ids[0]!,
        artistId: artist.id,
        serviceId: service.id,
        startsAt: start,
        endsAt: new Date(start.getTime() + 3_600_000),
        status: "pending",
        customerName: "Second In",
        customerEmail: "second@example.com",
        caldavUid: `${ids[0]}@h`,
        submittedAt: new Date(Date.now() - 60_000),
      },
      {
        id: ids[1]!,
        artistId: artist.id,
        serviceId: service.id,
        startsAt: new Date(start.getTime() + 7_200_000),
        endsAt: new Date(start.getTime() + 10_800_000),
        status: "pending",
        customerName: "First In",
        customerEmail: "first@example.com",
        caldavUid: `${ids[1]}@h`,
        submittedAt: new Date(Date.now() - 3_600_000),
      },
    ]);
    const pending = (await listPendingRequests(db, { limit: 1000 })).filter((b) => ids.includes(b.id));
    expect(pending.map((b) => b.customer.name)).toEqual(["First In", "Second In"]);
    await db.update(bookings).set({ status: "cancelled" }).where(eq(bookings.id, ids[0]!));
    const feed = await getAdminFeed(db, { limit: 100 });
    expect(feed.some((i) => i.kind === "new_request" && i.href === `/admin/bookings/${ids[1]}`)).toBe(true);
    expect(feed.some((i) => i.kind === "cancellation" && i.href === `/admin/bookings/${ids[0]}`)).toBe(true);
  });

  it("counts unread alerts and marks them read", async () => {
    const [alert] = await db.insert(adminAlerts).values({ kind: "calendar_sync_failing", severity: "error", message: "Nextcloud said 401" }).returning();
    const unread = (await getAdminSummary(db)).unreadAlerts;
    expect(unread).toBeGreaterThanOrEqual(1);
    const feed = await getAdminFeed(db, { limit: 100 });
    expect(feed.find((i) => i.id === `alert:${alert!.id}`)).toEqual(expect.objectContaining({ unread: true, severity: "error" }));
    expect(await markAlertsRead(db, ["not-a-uuid"])).toBe(0);
    expect(await markAlertsRead(db, [alert!.id])).toBe(1);
    expect((await getAdminSummary(db)).unreadAlerts).toBe(unread - 1);
  });
});
