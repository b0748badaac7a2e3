/**
 * A booking's journey (lib/bookings/booking-journey.ts) against a real Postgres, a real CalDAV
 * server (Radicale) and a real SMTP server. If these fail, the admin booking page says a booking
 * is in the artist's calendar or its email went out when it did not (or the reverse), or a late
 * or failed step is not marked, so nobody looks until the customer or the artist calls.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/db/embedded";
import { bookings, notifications } from "@/db/schema";
import { getAdminBookingDetail } from "@/lib/admin/booking-detail";
import { bookingDetailResponseSchema } from "@/lib/admin/response-schemas";
import { loadBookingJourney, type JourneyStep } from "@/lib/bookings/booking-journey";
import { approveBooking } from "@/lib/bookings/transitions";
import { pullCalendarChanges } from "@/lib/caldav/pull-calendar";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { notificationJobKey } from "@/lib/jobs/queue-notification-delivery";
import { deliverNotification } from "@/lib/notifications/deliver-notification";
import { adminActor, artistWithLinkedCalendar, placeRequest, runPushesUntilDone, setupCalDavTestDatabase } from "../support/caldav-fixtures";
import { readCalendar } from "../support/caldav-servers";
import { setupCalDavServer } from "../support/setup-caldav-server";
import { startSmtpPeer } from "../support/smtp-peer";
import { createTestArtist, futureSlot } from "../support/test-db";

const TZ = "Europe/Berlin";
const { db, linked } = setupCalDavTestDatabase();

afterEach(() => {
  delete process.env.SMTP_URL;
});

const stepsOf = (journey: JourneyStep[] | null, name: JourneyStep["step"]) => (journey ?? []).filter((s) => s.step === name);
const stepOf = (journey: JourneyStep[] | null, name: JourneyStep["step"]) => stepsOf(journey, name).at(-1);
const secondsAfter = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

async function stored(bookingId: string) {
  const [row] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  return row!;
}

/** Removes a test's mails and their jobs, so later files' SMTP checks do not see this file's outage. */
async function forgetMails(bookingId: string) {
  const rows = await db.delete(notifications).where(eq(notifications.bookingId, bookingId)).returning({ id: notifications.id });
  for (const r of rows) await db.execute(sql`select graphile_worker.remove_job(${notificationJobKey(r.id)})`);
}

describe("with Radicale and a real SMTP server", () => {
  const { available, server } = setupCalDavServer("radicale");

  it.skipIf(!available)(
    "shows a request going from queued to written (with the ETag) to seen by the next pull, and its mails from queued to sent with their Message-IDs",
    async () => {
      const smtp = await startSmtpPeer();
      try {
        process.env.SMTP_URL = smtp.url;
        const { artist, service, calendarUrl, calendar } = await artistWithLinkedCalendar(db, { server, linked, timezone: TZ });
        const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(21, "11:00", TZ));

        // Before the worker ran: queued, not written; late only once 60 s have passed since the change.
        const queued = await loadBookingJourney(db, booking.id);
        const change = stepOf(queued, "status_changed")!;
        expect(change).toMatchObject({ status: "done", detail: "hold → pending" });
        expect(stepOf(queued, "calendar_push_queued")).toMatchObject({ status: "done", at: change.at });
        expect(stepOf(queued, "calendar_written")).toMatchObject({ status: "pending", dueAt: secondsAfter(change.at!, 60).toISOString() });
        expect(stepOf(queued, "calendar_seen")!.status).toBe("pending");
        expect(stepsOf(queued, "email_queued").length).toBeGreaterThanOrEqual(2);
        expect(stepsOf(queued, "email_sent").every((s) => s.status === "pending")).toBe(true);
        const later = await loadBookingJourney(db, booking.id, { now: secondsAfter(change.at!, 61) });
        expect(stepOf(later, "calendar_written")!.status).toBe("late");
        expect(stepsOf(later, "email_sent").every((s) => s.status === "late")).toBe(true);

        // The worker writes the event and sends the mails.
        await runPushesUntilDone(db);
        await runDueJobs(db);
        const [event] = await readCalendar(server, calendarUrl);
        const afterPush = await stored(booking.id);
        expect(afterPush.version).toBe(booking.version); // the journey's bookkeeping makes no admin's page stale
        const written = await loadBookingJourney(db, booking.id, { now: secondsAfter(change.at!, 61) });
        expect(stepOf(written, "calendar_written")).toMatchObject({ status: "done", at: afterPush.caldavWrittenAt!.toISOString() });
        expect(stepOf(written, "calendar_written")!.detail).toContain(event!.etag!);
        expect(stepOf(written, "calendar_seen")!.status).toBe("pending");
        const sent = stepsOf(written, "email_sent");
        expect(sent.every((s) => s.status === "done")).toBe(true);
        for (const s of sent) expect(smtp.received.map((m) => m.messageId)).toContain(/Message-ID (<[^>]+>)/.exec(s.detail!)![1]);

        // The next pull finds the event as written: the proof the artist can see it.
        await pullCalendarChanges(db, calendar.id);
        const seenRow = await stored(booking.id);
        expect(seenRow.version).toBe(booking.version);
        expect(seenRow.caldavSeenAt!.getTime()).toBeGreaterThanOrEqual(seenRow.caldavWrittenAt!.getTime());
        const seen = await loadBookingJourney(db, booking.id);
        expect(stepOf(seen, "calendar_seen")).toMatchObject({ status: "done", at: seenRow.caldavSeenAt!.toISOString() });

        // A change starts the calendar part again: written anew, then seen again by an incremental pull.
        await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
        const approved = await loadBookingJourney(db, booking.id);
        expect(stepOf(approved, "status_changed")!.detail).toBe("pending → confirmed");
        expect(stepOf(approved, "calendar_written")!.status).toBe("pending");
        await runPushesUntilDone(db);
        await runDueJobs(db);
        const rewritten = await loadBookingJourney(db, booking.id);
        expect(stepOf(rewritten, "calendar_written")!.status).toBe("done");
        expect(stepOf(rewritten, "calendar_seen")!.status).toBe("pending");
        await pullCalendarChanges(db, calendar.id);
        const seenAgain = await loadBookingJourney(db, booking.id);
        expect(stepOf(seenAgain, "calendar_seen")!.status).toBe("done");
        expect(Date.parse(stepOf(seenAgain, "calendar_seen")!.at!)).toBeGreaterThan(Date.parse(stepOf(seen, "calendar_seen")!.at!));

        // The admin booking API answers the journey in its declared shape.
        const detail = bookingDetailResponseSchema.parse(JSON.parse(JSON.stringify(await getAdminBookingDetail(db, booking.id))));
        expect(detail.journey.map((s) => s.step)).toContain("calendar_seen");
        await forgetMails(booking.id);
      } finally {
        await smtp.stop();
      }
    },
  );
});

describe("with SMTP down or not configured", () => {
  it("marks the email step late 60 s after it was queued while SMTP refuses, and failed after the last attempt", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${await freePort()}`; // nothing listens there
    const { artist, service } = await createTestArtist(db, { timezone: TZ });
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(22, "11:00", TZ));
    await runDueJobs(db);

    const now = new Date();
    const failing = await loadBookingJourney(db, booking.id, { now });
    const mails = stepsOf(failing, "email_sent");
    expect(mails.length).toBeGreaterThanOrEqual(2);
    for (const s of mails) {
      expect(s.status).toBe("pending");
      expect(s.detail).toMatch(/1 failed attempt/);
      expect(s.detail).not.toContain("@example.com");
    }
    // No calendar receives this artist's bookings: nothing there can be late.
    expect(stepOf(failing, "calendar_written")!.status).toBe("skipped");

    const late = await loadBookingJourney(db, booking.id, { now: secondsAfter(stepOf(failing, "email_queued")!.at!, 61) });
    expect(stepsOf(late, "email_sent").every((s) => s.status === "late")).toBe(true);
    expect(stepOf(late, "calendar_written")!.status).toBe("skipped");

    const [first] = await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.bookingId, booking.id)).limit(1);
    await expect(deliverNotification(db, first!.id, { finalAttempt: true })).rejects.toThrow(/SMTP delivery/);
    const failed = await loadBookingJourney(db, booking.id);
    expect(stepsOf(failed, "email_sent").filter((s) => s.status === "failed")).toHaveLength(1);
    await forgetMails(booking.id);
  });

  it("skips the email step while SMTP is not configured (the mails are kept), instead of calling it late", async () => {
    delete process.env.SMTP_URL;
    const { artist, service } = await createTestArtist(db, { timezone: TZ });
    const booking = await placeRequest(db, artist.slug, service.slug, futureSlot(23, "11:00", TZ));
    const journey = await loadBookingJourney(db, booking.id, { now: new Date(Date.now() + 3_600_000) });
    const mails = stepsOf(journey, "email_sent");
    expect(mails.length).toBeGreaterThanOrEqual(2);
    expect(mails.every((s) => s.status === "skipped")).toBe(true);
    const ids = (await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.bookingId, booking.id))).map((n) => n.id);
    expect(ids.length).toBe(mails.length);
    await db.delete(notifications).where(inArray(notifications.id, ids));
    for (const id of ids) await db.execute(sql`select graphile_worker.remove_job(${notificationJobKey(id)})`);
  });
});
