/**
 * Every mail of a booking's life, sent through a real SMTP server and read back as a mail client
 * would (mailparser), its calendar part parsed with ical.js. If these fail, a customer's calendar
 * keeps a cancelled appointment or never moves a rescheduled one, the studio does not hear that a
 * customer moved or cancelled, or a reminder goes out twice, late, or for a cancelled booking.
 */
import { and, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { artists, bookings, notifications, services, studioSettings } from "@/db/schema";
import { getAdminBookingDetail } from "@/lib/admin/booking-detail";
import { createHold } from "@/lib/bookings/create-hold";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";
import { wallClockInZone } from "@/lib/time/zone-clock";
import { submitRequest } from "@/lib/bookings/submit-request";
import { approveBooking, cancelBooking, rescheduleBooking } from "@/lib/bookings/transitions";
import { customerEventUid } from "@/lib/ical/build-booking-event";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { notificationJobKey } from "@/lib/jobs/queue-notification-delivery";
import { recoverJobsOfDeadWorkers } from "@/lib/jobs/worker-heartbeats";
import { requeueUndeliveredNotifications } from "@/lib/notifications/deliver-notification";
import { startSmtpPeer } from "../support/smtp-peer";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

const TZ = "Europe/Berlin";
const customerActor = { kind: "customer" as const, ip: "203.0.113.7", userAgent: "vitest" };
const adminActor = { kind: "admin" as const, id: "admin-messages", ip: "198.51.100.7" };
const STUDIO = { email: "frontdesk@holdfast.example", address: "Torstraße 1\n10119 Berlin", phone: "+49 30 1234567", mapUrl: "https://osm.org/go/0MbEUNvN" };

let db: Database;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let savedStudio: typeof studioSettings.$inferSelect | undefined;

beforeAll(async () => {
  db = useTestDatabase();
  process.env.APP_URL = "https://book.holdfast.example";
  smtp = await startSmtpPeer();
  process.env.SMTP_URL = smtp.url;
  await createTestArtist(db); // makes sure the studio row exists
  [savedStudio] = await db.select().from(studioSettings).where(eq(studioSettings.id, 1));
  await db.update(studioSettings).set(STUDIO).where(eq(studioSettings.id, 1));
});
afterEach(() => {
  smtp.received.length = 0;
});
afterAll(async () => {
  if (savedStudio) await db.update(studioSettings).set(savedStudio).where(eq(studioSettings.id, 1));
  delete process.env.SMTP_URL;
  await smtp?.stop();
  await closeDb();
});

async function bookingFor(opts: { reminders?: number[]; autoConfirm?: boolean; start?: Date; email?: string } = {}) {
  const { artist, service } = await createTestArtist(db, { timezone: TZ, autoConfirm: opts.autoConfirm });
  await db
    .update(services)
    .set({ reminderLeadMinutes: opts.reminders ?? [1440, 120] })
    .where(eq(services.id, service.id));
  await db
    .update(artists)
    .set({ email: `artist-${artist.id.slice(0, 8)}@holdfast.example`, notifyByEmail: true })
    .where(eq(artists.id, artist.id));
  const start = opts.start ?? futureSlot(20, "10:00", TZ);
  const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customerActor });
  const email = opts.email ?? `ana-${hold.id.slice(0, 8)}@example.com`;
  const { booking } = await submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer: { name: "Ana Example", email, phone: "+49 170 1234567" },
    customerTimezone: "Asia/Tokyo",
    idempotencyKey: `messages-${hold.id}`,
    actor: customerActor,
  });
  return { booking, artist, service, email, artistEmail: `artist-${artist.id.slice(0, 8)}@holdfast.example` };
}

type ReadMail = { to: string[]; parsed: ParsedMail; ics: ICAL.Component | null; method: string | null; sequence: number | null };

/** The mails the SMTP server received (only those to `recipient` when given: other tests' bookings have reminders too). */
async function readMails(recipient?: string): Promise<ReadMail[]> {
  return Promise.all(
    smtp.received
      .filter((mail) => !recipient || mail.to.includes(recipient))
      .map(async (mail) => {
        const parsed = await simpleParser(mail.raw);
        const calendarPart = parsed.attachments.find((a) => a.contentType === "text/calendar");
        const ics = calendarPart ? new ICAL.Component(ICAL.parse(calendarPart.content.toString("utf8"))) : null;
        const vevent = ics?.getFirstSubcomponent("vevent") ?? null;
        return {
          to: mail.to,
          parsed,
          ics,
          method: ics ? String(ics.getFirstPropertyValue("method")) : null,
          sequence: vevent ? Number(vevent.getFirstPropertyValue("sequence")) : null,
        };
      }),
  );
}

const mailLog: string[] = [];
function logMails(step: string, mails: ReadMail[]) {
  for (const m of mails)
    mailLog.push(`${step} | to ${m.to.join(", ")} | ${m.parsed.subject} | ${m.method ?? "no .ics"}${m.sequence !== null ? ` SEQUENCE:${m.sequence}` : ""}`);
}

async function remindersOf(bookingId: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.bookingId, bookingId), eq(notifications.kind, "booking_reminder")))
    .orderBy(notifications.scheduledFor);
}

/** What the queue does when a reminder's time comes: its job becomes due, and the job's clock reads that time. */
async function runRemindersAt(clock: Date) {
  await db.execute(sql`update graphile_worker._private_jobs set run_at = now() where key like 'notification:%' and locked_at is null`);
  await runDueJobs(db, { now: () => clock });
}

describe("a booking's mails, from request to cancellation", () => {
  it("sends each party the right mail, with an invitation the customer's calendar updates and finally removes", async () => {
    const { booking, email, artistEmail } = await bookingFor();
    await runDueJobs(db);
    let mails = await readMails();
    logMails("request", mails);
    const request = mails.filter((m) => m.to.includes(email));
    expect(request.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Request received: /)]);
    expect(request[0]!.ics).toBeNull(); // nothing goes into the customer's calendar before the studio accepts
    // The subject is in the customer's own zone (Tokyo), the body has both.
    expect(request[0]!.parsed.subject).toMatch(new RegExp(`${formatShortDateTimeInZone(booking.startsAt, "Asia/Tokyo").replace(/[+]/g, "\\+")}$`));
    expect(request[0]!.parsed.subject).toMatch(/GMT\+9$/);
    expect(request[0]!.parsed.replyTo?.text).toBe(STUDIO.email);
    expect(request[0]!.parsed.messageId).toMatch(/@book\.holdfast\.example>?$/);
    expect(request[0]!.parsed.text).toContain("Torstraße 1\n10119 Berlin\n+49 30 1234567\nfrontdesk@holdfast.example");
    const toStudio = mails.filter((m) => m.to.includes(STUDIO.email));
    const toArtist = mails.filter((m) => m.to.includes(artistEmail));
    expect(toStudio.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^New booking request: Ana Example/)]);
    expect(toArtist.map((m) => m.parsed.subject)).toEqual(toStudio.map((m) => m.parsed.subject));
    expect(toStudio[0]!.parsed.replyTo?.text).toBe(email);
    smtp.received.length = 0;

    const approved = await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await runDueJobs(db);
    mails = await readMails();
    logMails("approve", mails);
    expect(mails.map((m) => m.to)).toEqual([[email]]); // the studio made this change; it needs no mail about it
    const confirmed = mails[0]!;
    expect(confirmed.parsed.subject).toMatch(/^Confirmed: /);
    expect(confirmed.method).toBe("REQUEST");
    const invite = confirmed.ics!.getFirstSubcomponent("vevent")!;
    expect(invite.getFirstPropertyValue("uid")).toBe(customerEventUid(booking.id));
    expect(invite.getFirstProperty("organizer")!.getFirstValue()).toBe(`mailto:${STUDIO.email}`);
    expect(invite.getFirstProperty("attendee")!.getFirstValue()).toBe(`mailto:${email}`);
    expect(invite.getFirstPropertyValue("location")).toBe("Torstraße 1, 10119 Berlin");
    // iMIP: the MIME part names the same method, or clients treat it as a plain file
    expect(confirmed.parsed.attachments.find((a) => a.contentType === "text/calendar")!.headers.get("content-type")).toMatchObject({
      params: expect.objectContaining({ method: "REQUEST" }),
    });
    const firstReminders = await remindersOf(booking.id);
    expect(firstReminders.map((r) => [r.status, r.scheduledFor!.getTime()])).toEqual([
      ["scheduled", approved.startsAt.getTime() - 1440 * 60_000],
      ["scheduled", approved.startsAt.getTime() - 120 * 60_000],
    ]);
    smtp.received.length = 0;

    const moved = await rescheduleBooking(db, { bookingId: booking.id, start: futureSlot(21, "14:00", TZ), actor: customerActor });
    await runDueJobs(db);
    mails = await readMails();
    logMails("customer reschedules", mails);
    const newTime = mails.find((m) => m.to.includes(email))!;
    expect(newTime.parsed.subject).toMatch(/^New time: /);
    expect(newTime.method).toBe("REQUEST");
    expect(newTime.sequence).toBeGreaterThan(confirmed.sequence!);
    expect(newTime.ics!.getFirstSubcomponent("vevent")!.getFirstPropertyValue("uid")).toBe(customerEventUid(booking.id));
    const studioMoved = mails.filter((m) => m.to.includes(STUDIO.email) || m.to.includes(artistEmail));
    expect(studioMoved).toHaveLength(2);
    expect(studioMoved[0]!.parsed.subject).toMatch(/^Moved by the customer: /);
    expect(studioMoved[0]!.parsed.text).toMatch(/Previously: .*10:00–11:00 CE/);
    const afterMove = await remindersOf(booking.id);
    expect(afterMove.filter((r) => r.status === "cancelled").map((r) => r.id)).toEqual(firstReminders.map((r) => r.id));
    expect(afterMove.filter((r) => r.status === "scheduled").map((r) => r.scheduledFor!.getTime())).toEqual([
      moved.startsAt.getTime() - 1440 * 60_000,
      moved.startsAt.getTime() - 120 * 60_000,
    ]);
    smtp.received.length = 0;

    await cancelBooking(db, { bookingId: booking.id, actor: customerActor, reason: "Flight cancelled" });
    await runDueJobs(db);
    mails = await readMails();
    logMails("customer cancels", mails);
    const cancelled = mails.find((m) => m.to.includes(email))!;
    expect(cancelled.parsed.subject).toMatch(/^Cancelled: /);
    expect(cancelled.method).toBe("CANCEL");
    expect(cancelled.sequence).toBeGreaterThan(newTime.sequence!);
    const cancelledEvent = cancelled.ics!.getFirstSubcomponent("vevent")!;
    expect(cancelledEvent.getFirstPropertyValue("uid")).toBe(customerEventUid(booking.id));
    expect(cancelledEvent.getFirstPropertyValue("status")).toBe("CANCELLED");
    const studioCancelled = mails.filter((m) => m.to.includes(STUDIO.email));
    expect(studioCancelled[0]!.parsed.subject).toMatch(/^Cancelled by the customer: /);
    expect(studioCancelled[0]!.parsed.text).toContain("Reason: Flight cancelled");
    expect((await remindersOf(booking.id)).every((r) => r.status === "cancelled")).toBe(true);
    smtp.received.length = 0;

    // Long after: no reminder of the cancelled booking ever goes out, even if its job ran.
    await runRemindersAt(new Date(moved.startsAt.getTime() - 60 * 60_000));
    expect(smtp.received.filter((m) => m.to.includes(email))).toHaveLength(0);

    console.log(`\nmail log of booking ${booking.id}:\n${mailLog.join("\n")}\n`);
  });

  it("tells the studio an instantly confirmed booking is confirmed (not waiting for approval), and the customer gets the invitation at once", async () => {
    const { email } = await bookingFor({ autoConfirm: true });
    await runDueJobs(db);
    const mails = await readMails();
    const studio = mails.find((m) => m.to.includes(STUDIO.email))!;
    expect(studio.parsed.subject).toMatch(/^New booking: /);
    expect(studio.parsed.text).not.toMatch(/approv/i);
    const customer = mails.find((m) => m.to.includes(email))!;
    expect(customer.parsed.subject).toMatch(/^Confirmed: /);
    expect(customer.method).toBe("REQUEST");
  });

  it("when the studio cancels a confirmed booking, the customer gets METHOD:CANCEL with the reason and the studio no mail about its own change", async () => {
    const { booking, email } = await bookingFor();
    const approved = await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await runDueJobs(db);
    smtp.received.length = 0;
    await cancelBooking(db, { bookingId: booking.id, version: approved.version, actor: adminActor, reason: "Artist is ill" });
    await runDueJobs(db);
    const mails = await readMails();
    expect(mails.map((m) => m.to)).toEqual([[email]]);
    expect(mails[0]!.method).toBe("CANCEL");
    expect(mails[0]!.parsed.text).toContain("Reason: Artist is ill");
  });
});

describe("reminders", () => {
  it("go out at their time, once: not before, and not again after the worker crashed mid-send and restarted", async () => {
    const { booking, email } = await bookingFor({ reminders: [1440] });
    const approved = await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: adminActor });
    await runDueJobs(db);
    smtp.received.length = 0;
    const [reminder] = await remindersOf(booking.id);
    expect(reminder).toMatchObject({ status: "scheduled", scheduledFor: new Date(approved.startsAt.getTime() - 1440 * 60_000) });
    const job = await db.execute<{ run_at: Date }>(sql`select run_at from graphile_worker._private_jobs where key = ${notificationJobKey(reminder!.id)}`);
    expect(new Date(job.rows[0]!.run_at).getTime()).toBe(reminder!.scheduledFor!.getTime());

    // An hour before its time (e.g. an admin's retry made the job run early): nothing is sent, it stays scheduled.
    await runRemindersAt(new Date(reminder!.scheduledFor!.getTime() - 3_600_000));
    expect(await readMails(email)).toHaveLength(0);
    expect((await remindersOf(booking.id))[0]!.status).toBe("scheduled");

    // The worker dies holding the job, after marking the row "sending" and before the SMTP server answered.
    await db.execute(
      sql`update graphile_worker._private_jobs set locked_at = now() - interval '10 minutes', locked_by = 'worker-killed-by-test', run_at = now() where key = ${notificationJobKey(reminder!.id)}`,
    );
    await db
      .update(notifications)
      .set({ sendingStartedAt: sql`now() - interval '10 minutes'` })
      .where(eq(notifications.id, reminder!.id));
    await recoverJobsOfDeadWorkers(db);
    await requeueUndeliveredNotifications(db); // what a restart does
    const at = new Date(reminder!.scheduledFor!.getTime() + 5_000);
    await runRemindersAt(at);
    let toCustomer = await readMails(email);
    expect(toCustomer.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Reminder: /)]);
    expect(toCustomer[0]!.to).toEqual([email]);
    expect(toCustomer[0]!.parsed.text).toContain("is in 1 day.");
    expect(toCustomer[0]!.parsed.text).toMatch(/Your time: .*\(.*Asia\/Tokyo\)/);
    expect(toCustomer[0]!.parsed.text).toContain(`/bookings/${booking.id}?token=`);
    expect(toCustomer[0]!.method).toBe("REQUEST");
    expect((await remindersOf(booking.id))[0]).toMatchObject({ status: "sent" });
    // The admin's booking page lists it with its time and the invitation it carried.
    const detail = await getAdminBookingDetail(db, booking.id);
    expect(detail.notifications.find((n) => n.kind === "booking_reminder")).toMatchObject({
      status: "sent",
      scheduledFor: reminder!.scheduledFor!.toISOString(),
      sentAt: expect.any(String),
      calendarMethod: "REQUEST",
    });

    // Another restart and more time: still exactly one.
    await requeueUndeliveredNotifications(db);
    await recoverJobsOfDeadWorkers(db);
    await runRemindersAt(new Date(at.getTime() + 3_600_000));
    toCustomer = await readMails(email);
    expect(toCustomer).toHaveLength(1);
  });

  it("are skipped when their time has already passed at booking, and never sent for a booking cancelled behind their back", async () => {
    // Booked less than a day ahead: the 24-hour reminder has passed, the 2-hour one is planned.
    // 8–12 hours ahead, on a half hour that leaves the one-hour session inside the day in Berlin
    // (the artist works 00:00–23:59), whatever the time of day the test runs.
    let start = new Date(Math.ceil((Date.now() + 8 * 3_600_000) / 1_800_000) * 1_800_000);
    while (!(wallClockInZone(start, TZ).hour >= 1 && wallClockInZone(start, TZ).hour <= 21)) start = new Date(start.getTime() + 1_800_000);
    const { artist, service } = await createTestArtist(db, {
      timezone: TZ,
      autoConfirm: true,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "23:59" })),
    });
    await db
      .update(services)
      .set({ reminderLeadMinutes: [1440, 120] })
      .where(eq(services.id, service.id));
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customerActor });
    const { booking } = await submitRequest(db, {
      holdId: hold.id,
      holdToken: hold.token,
      customer: { name: "Ana Example", email: `late-${hold.id.slice(0, 8)}@example.com` },
      idempotencyKey: `messages-late-${hold.id}`,
      actor: customerActor,
    });
    const planned = await remindersOf(booking.id);
    expect(planned.map((r) => r.scheduledFor!.getTime())).toEqual([start.getTime() - 120 * 60_000]);
    await runDueJobs(db);
    smtp.received.length = 0;

    // Someone cancels it by hand in the database (no transition, so nothing withdrew the reminder).
    await db.update(bookings).set({ status: "cancelled" }).where(eq(bookings.id, booking.id));
    await runRemindersAt(new Date(start.getTime() - 110 * 60_000));
    expect(await readMails(booking.customerEmail!)).toHaveLength(0);
    expect((await remindersOf(booking.id))[0]).toMatchObject({ status: "cancelled" });
  });
});
