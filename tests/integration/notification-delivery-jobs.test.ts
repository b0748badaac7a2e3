import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings, calendarConflicts, notifications } from "@/db/schema";
import { getAdminBookingDetail } from "@/lib/admin/booking-detail";
import { listConflictItems } from "@/lib/admin/calendar-sync";
import { queueMagicLinkEmail } from "@/lib/auth/magic-link";
import { alertAdmins } from "@/lib/caldav/alert-admins";
import { calendarPushJobKey } from "@/lib/caldav/enqueue-calendar-push";
import { addJob } from "@/lib/jobs/add-job";
import { NOTIFICATION_MAX_ATTEMPTS, queueNotificationDelivery } from "@/lib/jobs/queue-notification-delivery";
import { retryNotification } from "@/lib/jobs/retry-jobs";
import { enqueueBookingNotifications } from "@/lib/notifications/enqueue-notifications";
import { requeueUndeliveredNotifications } from "@/lib/notifications/deliver-notification";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();

type DeliveryJob = { task_identifier: string; key: string | null; max_attempts: number; payload: { notificationId?: string } };

async function deliveryJobsOf(notificationId: string) {
  const result = await db.execute<DeliveryJob>(
    sql`select j.task_identifier, j.key, j.max_attempts, p.payload from graphile_worker.jobs j
      join graphile_worker._private_jobs p on p.id = j.id where p.payload->>'notificationId' = ${notificationId}`,
  );
  return result.rows;
}

/** The one job every notification must have, however it was queued. */
function expectOneDeliveryJob(jobs: DeliveryJob[], notificationId: string) {
  expect(jobs).toEqual([
    { task_identifier: "deliver_notification", key: `notification:${notificationId}`, max_attempts: NOTIFICATION_MAX_ATTEMPTS, payload: { notificationId } },
  ]);
}

async function testBooking() {
  const { artist, service } = await createTestArtist(db, { timezone: "America/Denver" });
  const id = await insertTestBooking(db, {
    artistId: artist.id,
    serviceId: service.id,
    start: futureSlot(12, "11:00", "America/Denver"),
    customerName: "Rosa Example",
    customerEmail: `rosa-${uniqueTag()}@example.com`,
  });
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, id));
  return { booking: booking!, artist, service };
}

describe("notification delivery jobs", () => {
  it("queues every kind of message the same way: one job per notification, same key, same attempts — else a retry sends it twice or gives up early", async () => {
    const { booking } = await testBooking();
    const bookingMails = await enqueueBookingNotifications(db, booking, ["request_received", "studio_new_request"]);
    expect(bookingMails).toHaveLength(2);
    for (const n of bookingMails) expectOneDeliveryJob(await deliveryJobsOf(n.id), n.id);

    const magicLinkId = await queueMagicLinkEmail(db, {
      email: `signin-${uniqueTag()}@example.com`,
      url: "https://book.example/api/auth/callback/email?token=t",
      expires: new Date(Date.now() + 3_600_000),
      clientIp: "198.51.100.77",
    });
    expectOneDeliveryJob(await deliveryJobsOf(magicLinkId), magicLinkId);

    const alertMessage = `Calendar ${uniqueTag()} is failing`;
    await alertAdmins(db, { kind: "calendar_sync_failing", severity: "error", message: alertMessage, email: { subject: "Calendar sync failing" } });
    const [alertMail] = await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.subject, "Calendar sync failing"));
    expectOneDeliveryJob(await deliveryJobsOf(alertMail!.id), alertMail!.id);
  });

  it("re-queuing a notification keeps it at one job, whichever path re-queues it", async () => {
    const [kept] = await db
      .insert(notifications)
      .values({ kind: "magic_link", recipient: `kept-${uniqueTag()}@example.com`, subject: "Sign in", textBody: "t", htmlBody: "h" })
      .returning({ id: notifications.id });
    expect(await deliveryJobsOf(kept!.id)).toEqual([]);

    expect(await requeueUndeliveredNotifications(db)).toBeGreaterThanOrEqual(1);
    expectOneDeliveryJob(await deliveryJobsOf(kept!.id), kept!.id);
    await requeueUndeliveredNotifications(db);
    await queueNotificationDelivery(db, [kept!.id]);
    expect(await retryNotification(db, kept!.id)).toBe("requeued");
    expectOneDeliveryJob(await deliveryJobsOf(kept!.id), kept!.id);

    await db.execute(sql`select graphile_worker.remove_job(${`notification:${kept!.id}`})`);
    expect(await retryNotification(db, kept!.id)).toBe("requeued");
    expectOneDeliveryJob(await deliveryJobsOf(kept!.id), kept!.id);
  });

  it("shows on a booking's admin page the jobs of its messages and its calendar push, and no other booking's", async () => {
    const { booking, artist, service } = await testBooking();
    const other = await testBooking();
    const mails = await enqueueBookingNotifications(db, booking, ["request_received", "studio_new_request"]);
    const otherMails = await enqueueBookingNotifications(db, other.booking, ["request_received"]);
    await addJob(
      db,
      "push_booking_to_calendar",
      { bookingId: booking.id },
      { jobKey: calendarPushJobKey(booking.id), runAt: new Date(Date.now() + 86_400_000) },
    );

    const detail = await getAdminBookingDetail(db, booking.id);
    expect(detail.booking).toEqual(
      expect.objectContaining({
        id: booking.id,
        timezone: "America/Denver",
        artistTimezone: "America/Denver",
        artist: { id: artist.id, slug: artist.slug, name: artist.name },
        service: { id: service.id, slug: service.slug, name: service.name },
      }),
    );
    const keys = detail.jobs.map((j) => j.key).sort();
    expect(keys).toEqual([...mails.map((n) => `notification:${n.id}`), calendarPushJobKey(booking.id)].sort());
    expect(keys).not.toContain(`notification:${otherMails[0]!.id}`);
    const push = detail.jobs.find((j) => j.key === calendarPushJobKey(booking.id))!;
    expect(push).toEqual(expect.objectContaining({ task: "push_booking_to_calendar", attempts: 0, lastError: null, lockedAt: null }));
    expect(Date.parse(push.runAt)).toBeGreaterThan(Date.now());
  });

  it("names the booking's service, artist and zone on a calendar conflict — else the admin cannot tell which booking it is", async () => {
    const { booking, artist, service } = await testBooking();
    const [conflict] = await db.insert(calendarConflicts).values({ bookingId: booking.id, kind: "event_deleted" }).returning({ id: calendarConflicts.id });
    const items = await listConflictItems(db, { status: "open" });
    expect(items.find((c) => c.id === conflict!.id)?.booking).toEqual(
      expect.objectContaining({ id: booking.id, serviceName: service.name, artistName: artist.name, timezone: "America/Denver" }),
    );
    await db.delete(calendarConflicts).where(eq(calendarConflicts.id, conflict!.id));
  });
});
