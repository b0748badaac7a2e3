import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { notifications } from "@/db/schema";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { approveBooking } from "@/lib/bookings/transitions";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { notificationMessageId, requeueUndeliveredNotifications } from "@/lib/notifications/deliver-notification";
import { freePort } from "@/db/embedded";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";
import { startSmtpPeer } from "../support/smtp-peer";

const customer = { kind: "customer" as const, ip: "203.0.113.9" };
const admin = { kind: "admin" as const, id: "admin" };

let db: Database;
beforeAll(() => {
  db = useTestDatabase();
});
afterEach(() => {
  delete process.env.SMTP_URL;
});
afterAll(async () => {
  await closeDb();
});

async function request(email: string, opts: { timezone?: string; daysAhead?: number } = {}) {
  const { artist, service } = await createTestArtist(db, { timezone: opts.timezone ?? "America/Denver" });
  const start = futureSlot(opts.daysAhead ?? 9, "10:00", opts.timezone ?? "America/Denver");
  const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customer });
  const { booking } = await submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer: { name: "Rosa Example", email },
    idempotencyKey: `mail-${hold.id}`,
    actor: customer,
  });
  return { booking, artist, service };
}

/** Makes jobs that failed earlier due now, instead of waiting out their backoff. */
async function makeRetriesDue() {
  await db.execute(
    sql`select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where attempts > 0 and attempts < max_attempts), run_at => now())`,
  );
}

describe("email delivery through a real SMTP server", () => {
  it("delivers the request emails to the customer and the studio with the time in the artist's zone, named", async () => {
    const smtp = await startSmtpPeer();
    try {
      process.env.SMTP_URL = smtp.url;
      const email = `rosa-${Date.now()}@example.com`;
      const { booking } = await request(email);
      await runDueJobs(db);
      const toCustomer = smtp.received.filter((m) => m.to.includes(email));
      expect(toCustomer).toHaveLength(1);
      expect(toCustomer[0]!.text).toMatch(/10:00/);
      expect(toCustomer[0]!.text).toMatch(/America\/Denver/);
      const toStudio = smtp.received.filter((m) => m.to.includes("studio@test.example") && m.text.includes(email));
      expect(toStudio).toHaveLength(1);
      const rows = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id));
      expect(rows.every((r) => r.status === "sent" && r.attempts === 1 && r.sentAt !== null && r.providerMessageId)).toBe(true);
    } finally {
      await smtp.stop();
    }
  });

  it("attaches an .ics to the confirmation — the customer can add the appointment to their calendar", async () => {
    const smtp = await startSmtpPeer();
    try {
      process.env.SMTP_URL = smtp.url;
      const email = `ics-${Date.now()}@example.com`;
      const { booking } = await request(email, { timezone: "Europe/Berlin" });
      await approveBooking(db, { bookingId: booking.id, version: booking.version, actor: admin });
      await runDueJobs(db);
      const confirmation = smtp.received.find((m) => m.to.includes(email) && /confirmed/i.test(m.subject));
      expect(confirmation, `subjects: ${smtp.received.map((m) => m.subject).join(" | ")}`).toBeDefined();
      expect(confirmation!.raw).toMatch(/Content-Type: text\/calendar/i);
      expect(confirmation!.text).toMatch(/Europe\/Berlin/);
    } finally {
      await smtp.stop();
    }
  });

  it("keeps emails queued through an SMTP outage and delivers each exactly once when SMTP is back", async () => {
    const port = await freePort();
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`; // nothing listens yet: the outage
    const email = `outage-${Date.now()}@example.com`;
    const { booking } = await request(email);
    await runDueJobs(db);
    let rows = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.status).toBe("queued");
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    }

    const smtp = await startSmtpPeer(port);
    try {
      await makeRetriesDue();
      await runDueJobs(db);
      await makeRetriesDue();
      await runDueJobs(db); // a second pass must not send anything again
      rows = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id));
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ["sent", 2],
        ["sent", 2],
      ]);
      const ids = rows.map((r) => notificationMessageId(r.id)).sort();
      const delivered = smtp.received
        .filter((m) => m.messageId && ids.includes(m.messageId))
        .map((m) => m.messageId)
        .sort();
      expect(delivered).toEqual(ids);
    } finally {
      await smtp.stop();
    }
  });

  it("keeps messages when no SMTP is configured and sends them once it is — nothing is dropped", async () => {
    const email = `nosmtp-${Date.now()}@example.com`;
    const { booking } = await request(email);
    await runDueJobs(db);
    let rows = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id));
    expect(rows.map((r) => r.status)).toEqual(["queued", "queued"]);
    expect(rows[0]!.lastError).toMatch(/SMTP is not configured/);

    const smtp = await startSmtpPeer();
    try {
      process.env.SMTP_URL = smtp.url;
      expect(await requeueUndeliveredNotifications(db)).toBeGreaterThanOrEqual(2);
      await runDueJobs(db);
      rows = await db
        .select()
        .from(notifications)
        .where(
          inArray(
            notifications.id,
            rows.map((r) => r.id),
          ),
        );
      expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
      expect(smtp.received.filter((m) => m.to.includes(email))).toHaveLength(1);
    } finally {
      await smtp.stop();
    }
  });
});
