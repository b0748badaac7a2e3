/**
 * Deposits through Stripe Checkout, against a real Postgres and the tests' Stripe-compatible fake
 * (tests/support/fake-stripe.ts), with webhooks signed by the SDK's own helper and verified by the
 * app's real route. If these fail, a studio sees a confirmed booking nobody paid for, a slot
 * blocked forever by an abandoned checkout, a payment applied twice, a refund that never reaches
 * the customer after a Stripe outage, a no-show's deposit handed back, or the manual mode broken.
 */
import { randomUUID } from "node:crypto";
import { addMinutes } from "date-fns";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as stripeWebhookRoute } from "@/app/api/webhooks/stripe/route";
import { GET as checkoutRoute } from "@/app/bookings/[id]/checkout/route";
import { bookings, notifications, payments, services, stripeEvents, studioSettings } from "@/db/schema";
import { bookForCustomer } from "@/lib/bookings/book-for-customer";
import { createHold } from "@/lib/bookings/create-hold";
import { submitRequest } from "@/lib/bookings/submit-request";
import { cancelBooking, rejectBooking } from "@/lib/bookings/transitions";
import { resetEnvCache } from "@/lib/env";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { retryJobs } from "@/lib/jobs/retry-jobs";
import { expireUnpaidCheckouts } from "@/lib/payments/expire-unpaid-checkouts";
import { applyPaymentAction } from "@/lib/payments/payment-commands";
import { checkoutRedirectPath } from "@/lib/payments/checkout-redirect";
import { signManageToken } from "@/lib/auth/booking-token";
import { simpleParser } from "mailparser";
import { startSmtpPeer } from "../support/smtp-peer";
import { startFakeStripe, type FakeStripe, type SignedEvent } from "../support/fake-stripe";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();
const customer = { kind: "customer" as const, id: "customer@test.example" };
const admin = { kind: "admin" as const, id: "deposit-test-admin" };
let fake: FakeStripe;

function useStripe(on: boolean) {
  if (on) {
    process.env.STRIPE_SECRET_KEY = fake.secretKey;
    process.env.STRIPE_API_BASE = fake.url;
    process.env.STRIPE_WEBHOOK_SECRET = fake.webhookSecret;
  } else {
    delete process.env.STRIPE_SECRET_KEY;
  }
  resetEnvCache();
}

beforeAll(async () => {
  fake = await startFakeStripe();
});
beforeEach(() => {
  fake.outage = false;
  useStripe(true);
});
afterAll(async () => {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_API_BASE;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  resetEnvCache();
  await fake.stop();
});

/** A fresh artist whose one service costs €200 and asks a €50 deposit. */
async function depositStudio(opts: { autoConfirm?: boolean; percent?: number } = {}) {
  const { artist, service } = await createTestArtist(db, { autoConfirm: opts.autoConfirm });
  await db
    .update(services)
    .set({ priceCents: 20_000, currency: "EUR", depositKind: opts.percent ? "percent" : "fixed", depositValue: opts.percent ?? 5_000 })
    .where(eq(services.id, service.id));
  return { artist, service };
}

async function book(studio: Awaited<ReturnType<typeof depositStudio>>, start: Date) {
  const { hold } = await createHold(db, { artist: studio.artist.slug, service: studio.service.slug, start, actor: customer });
  return submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer: { name: "Dana Deposit", email: `dana-${uniqueTag()}@test.example` },
    idempotencyKey: `key-${randomUUID()}`,
    actor: customer,
  });
}

const sendWebhook = (e: SignedEvent, signature = e.signature) =>
  stripeWebhookRoute(
    new Request("http://holdfast.test/api/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: e.payload,
    }),
    { params: Promise.resolve({}) },
  );

const reload = async (id: string) => (await db.select().from(bookings).where(eq(bookings.id, id)))[0]!;
const ledgerKinds = async (id: string) =>
  (await db.select({ kind: payments.kind }).from(payments).where(eq(payments.bookingId, id)).orderBy(payments.createdAt)).map((r) => r.kind);

describe("the payment_consistency CHECK", () => {
  it("refuses rows whose payment state contradicts their status or amounts", async () => {
    const { artist, service } = await createTestArtist(db);
    const base = { artistId: artist.id, serviceId: service.id, currency: "EUR" };
    const cases: [string, Record<string, unknown>][] = [
      ["a confirmed Stripe deposit booking with nothing paid", { status: "confirmed", depositCents: 5000, paymentState: "due", paymentProvider: "stripe" }],
      [
        "a refund larger than the payment",
        {
          status: "cancelled",
          depositCents: 5000,
          paymentState: "refunded",
          paymentProvider: "stripe",
          paidCents: 5000,
          refundedCents: 6000,
          paidAt: new Date(),
        },
      ],
      [
        "a deposit state on a booking without a deposit",
        { status: "pending", depositCents: 0, paymentState: "paid", paymentProvider: "stripe", paidCents: 100, paidAt: new Date() },
      ],
      [
        "a checkout in the manual mode",
        { status: "awaiting_payment", holdExpiresAt: new Date(), depositCents: 5000, paymentState: "due", paymentProvider: "manual" },
      ],
      ["a paid state with nothing paid", { status: "pending", depositCents: 5000, paymentState: "paid", paymentProvider: "stripe" }],
      ["a deposit with no provider", { status: "pending", depositCents: 5000, paymentState: "due" }],
    ];
    for (const [what, row] of cases) {
      const start = futureSlot(40 + cases.findIndex(([w]) => w === what), "10:00");
      await expect(insertTestBooking(db, { ...base, start, ...row } as never), what).rejects.toMatchObject({ cause: { constraint: "payment_consistency" } });
    }
    // The manual mode may be confirmed with the deposit still due (the admin marks it paid later).
    await expect(
      insertTestBooking(db, {
        ...base,
        start: futureSlot(50, "10:00"),
        status: "confirmed",
        depositCents: 5000,
        paymentState: "due",
        paymentProvider: "manual",
      }),
    ).resolves.toBeTruthy();
  });
});

describe("Stripe Checkout", () => {
  it("holds the slot while the customer pays, and an unpaid checkout expires at Stripe and frees the slot", async () => {
    const studio = await depositStudio();
    const start = futureSlot(3, "10:00");
    const { booking, payment } = await book(studio, start);
    expect(booking.status).toBe("awaiting_payment");
    expect(payment).toMatchObject({ amountCents: 5000, currency: "EUR" });
    expect(payment!.checkoutUrl).toContain(fake.url);
    const session = fake.sessions.get(booking.paymentRef ?? (await reload(booking.id)).paymentRef!)!;
    expect(session).toMatchObject({ amount_total: 5000, client_reference_id: booking.id });

    await expect(createHold(db, { artist: studio.artist.slug, service: studio.service.slug, start, actor: customer })).rejects.toMatchObject({
      code: "slot_taken",
    });
    // Nothing is sent or put in the artist's calendar before the payment.
    expect(await db.select().from(notifications).where(eq(notifications.bookingId, booking.id))).toHaveLength(0);

    const notYet = await expireUnpaidCheckouts(db, { now: addMinutes(new Date(), 5) });
    expect(notYet.expired).toBe(0);
    const result = await expireUnpaidCheckouts(db, { now: addMinutes(new Date(), 31) });
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(fake.requests.some((r) => r.path === `/v1/checkout/sessions/${session.id}/expire` && r.answered === 200)).toBe(true);
    expect(await reload(booking.id)).toMatchObject({ status: "expired", paymentState: "due" });
    await expect(createHold(db, { artist: studio.artist.slug, service: studio.service.slug, start, actor: customer })).resolves.toBeTruthy();
  });

  it("'continue to payment' (the embed's way to the checkout) leads to the open checkout, then to the booking once paid, and nowhere on a wrong link", async () => {
    // Else a customer in the studio's embedded page would be stuck on a checkout that refuses its
    // frame, or a forged link could send the studio's window anywhere.
    const studio = await depositStudio();
    const { booking, payment } = await book(studio, futureSlot(9, "12:00"));
    const token = signManageToken(await reload(booking.id));
    const hop = async (t: string) => {
      const res = await checkoutRoute(new Request(`http://holdfast.test${checkoutRedirectPath(booking.id, t)}`), {
        params: Promise.resolve({ id: booking.id }),
      });
      return { status: res.status, location: res.headers.get("location") };
    };
    expect(await hop(token)).toEqual({ status: 303, location: payment!.checkoutUrl });
    // A forged or mistyped link never reaches the checkout: it lands on the booking page, which says "not found".
    const forged = await hop(`${token}x`);
    expect(forged.status).toBe(303);
    expect(forged.location).toMatch(new RegExp(`/bookings/${booking.id}\\?token=`));
    expect(forged.location).not.toContain(fake.url);

    await sendWebhook(fake.pay((await reload(booking.id)).paymentRef!));
    const paid = await hop(token);
    expect(paid.status).toBe(303);
    expect(paid.location).toMatch(new RegExp(`/bookings/${booking.id}\\?token=`));
  });

  it("applies 50 concurrent duplicate and out-of-order webhook deliveries exactly once", async () => {
    const studio = await depositStudio();
    const { booking } = await book(studio, futureSlot(4, "10:00"));
    const sessionId = (await reload(booking.id)).paymentRef!;
    const completed = fake.pay(sessionId);
    // The same payment reported by a second event (async_payment_succeeded), delivered before and
    // after the first, and both repeated: one payment, one request mail.
    const asyncSucceeded = fake.event("checkout.session.async_payment_succeeded", fake.sessions.get(sessionId));
    const deliveries = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? asyncSucceeded : completed));
    const answers = await Promise.all(deliveries.map((e) => sendWebhook(e)));
    expect(answers.map((a) => a.status)).toEqual(deliveries.map(() => 200));

    const after = await reload(booking.id);
    expect(after).toMatchObject({ status: "pending", paymentState: "paid", paidCents: 5000 });
    expect((await ledgerKinds(booking.id)).filter((k) => k === "paid")).toHaveLength(1);
    expect(await db.select().from(stripeEvents).where(eq(stripeEvents.bookingId, booking.id))).toHaveLength(2);
    const mails = await db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.bookingId, booking.id));
    expect(mails.filter((m) => m.kind === "request_received")).toHaveLength(1);
  });

  it("refuses a webhook whose signature is not the endpoint's", async () => {
    const studio = await depositStudio();
    const { booking } = await book(studio, futureSlot(5, "10:00"));
    const event = fake.pay((await reload(booking.id)).paymentRef!);
    const forged = await sendWebhook(event, event.signature.replace(/v1=[0-9a-f]{4}/, "v1=0000"));
    expect(forged.status).toBe(400);
    expect((await reload(booking.id)).status).toBe("awaiting_payment");
  });

  it("queues the refund in the reject transaction and retries it through a Stripe outage with one idempotency key", async () => {
    const studio = await depositStudio();
    const { booking } = await book(studio, futureSlot(6, "10:00"));
    await sendWebhook(fake.pay((await reload(booking.id)).paymentRef!));
    const paid = await reload(booking.id);
    expect(paid.paymentState).toBe("paid");

    fake.outage = true;
    const rejected = await rejectBooking(db, { bookingId: booking.id, version: paid.version, actor: admin, reason: "fully booked" });
    expect(rejected).toMatchObject({ status: "rejected", paymentState: "refunded", refundedCents: 5000 });
    const jobs = await db.execute<{ id: string }>(
      sql`select id::text as id from graphile_worker.jobs where task_identifier = 'refund_deposit' and key like ${`%:${booking.id}`}`,
    );
    expect(jobs.rows).toHaveLength(1);

    await runDueJobs(db);
    expect(fake.refunds.filter((r) => r.metadata.bookingId === booking.id)).toHaveLength(0);
    const failing = await db.execute<{ attempts: number; last_error: string | null }>(
      sql`select attempts, last_error from graphile_worker.jobs where id = ${jobs.rows[0]!.id}::bigint`,
    );
    expect(failing.rows[0]!.attempts).toBe(1);
    expect(failing.rows[0]!.last_error).toBeTruthy();

    fake.outage = false;
    await retryJobs(db, [jobs.rows[0]!.id]);
    await runDueJobs(db);
    const refunds = fake.refunds.filter((r) => r.metadata.bookingId === booking.id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amount).toBe(5000);
    const attempts = fake.requests.filter((r) => r.path === "/v1/refunds" && r.params["metadata[bookingId]"] === booking.id);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await ledgerKinds(booking.id)).toEqual(expect.arrayContaining(["paid", "refund_queued", "refunded"]));

    // Running the job again (a crash after the call) refunds nothing more.
    await retryJobs(db, [jobs.rows[0]!.id]);
    await runDueJobs(db);
    expect(fake.refunds.filter((r) => r.metadata.bookingId === booking.id)).toHaveLength(1);
  });

  it("keeps the deposit on a no-show and refuses to refund more than was paid", async () => {
    const studio = await depositStudio({ autoConfirm: true, percent: 30 });
    const start = futureSlot(7, "10:00");
    const { booking, payment } = await book(studio, start);
    expect(payment?.amountCents).toBe(6000);
    await sendWebhook(fake.pay((await reload(booking.id)).paymentRef!));
    const confirmed = await reload(booking.id);
    expect(confirmed).toMatchObject({ status: "confirmed", paymentState: "paid", paidCents: 6000 });

    await expect(
      applyPaymentAction(db, { bookingId: booking.id, version: confirmed.version, action: "mark_no_show", actor: admin, now: addMinutes(start, -60) }),
    ).rejects.toMatchObject({
      code: "invalid_transition",
    });
    await expect(
      applyPaymentAction(db, { bookingId: booking.id, version: confirmed.version, action: "refund", amountCents: 6001, actor: admin }),
    ).rejects.toMatchObject({
      code: "invalid_input",
    });
    const { payment: kept } = await applyPaymentAction(db, {
      bookingId: booking.id,
      version: confirmed.version,
      action: "mark_no_show",
      actor: admin,
      now: addMinutes(start, 30),
    });
    expect(kept).toMatchObject({ state: "kept", paidCents: 6000, refundedCents: 0 });
    expect(await ledgerKinds(booking.id)).toContain("kept");
    expect(fake.refunds.filter((r) => r.metadata.bookingId === booking.id)).toHaveLength(0);
    // The customer is told, with the amount: else they learn it from a refund that never comes.
    const [mail] = await db
      .select({ subject: notifications.subject, body: notifications.textBody })
      .from(notifications)
      .where(and(eq(notifications.bookingId, booking.id), eq(notifications.kind, "deposit_kept")));
    expect(mail?.subject).toMatch(/^Missed appointment: /);
    expect(mail?.body).toContain("Your deposit of €60 is kept per the studio's policy");
  });

  it("refunds a payment that arrives after the checkout expired instead of keeping it silently", async () => {
    const studio = await depositStudio();
    const { booking } = await book(studio, futureSlot(8, "10:00"));
    const sessionId = (await reload(booking.id)).paymentRef!;
    const completed = fake.pay(sessionId);
    // The booking ran out locally (the tick found no open session to expire, e.g. Stripe paid in between).
    await db.execute(sql`update bookings set status = 'expired' where id = ${booking.id}`);
    expect((await sendWebhook(completed)).status).toBe(200);
    const after = await reload(booking.id);
    expect(after).toMatchObject({ status: "expired", paymentState: "refunded", paidCents: 5000, refundedCents: 5000 });
    await runDueJobs(db);
    expect(fake.refunds.filter((r) => r.metadata.bookingId === booking.id)).toHaveLength(1);
  });

  it("refunds or keeps a customer's cancellation by the studio's policy", async () => {
    const [settings] = await db.select().from(studioSettings);
    try {
      const studio = await depositStudio();
      await db.update(studioSettings).set({ customerCancelRefund: "never" });
      const { booking } = await book(studio, futureSlot(9, "10:00"));
      await sendWebhook(fake.pay((await reload(booking.id)).paymentRef!));
      const cancelled = await cancelBooking(db, { bookingId: booking.id, actor: customer });
      expect(cancelled).toMatchObject({ status: "cancelled", paymentState: "kept" });

      await db.update(studioSettings).set({ customerCancelRefund: "before_notice" });
      const second = await book(studio, futureSlot(10, "10:00"));
      await sendWebhook(fake.pay((await reload(second.booking.id)).paymentRef!));
      expect(await cancelBooking(db, { bookingId: second.booking.id, actor: customer })).toMatchObject({ status: "cancelled", paymentState: "refunded" });
    } finally {
      await db.update(studioSettings).set({ customerCancelRefund: settings!.customerCancelRefund });
    }
  });
});

describe("the manual mode (no STRIPE_SECRET_KEY)", () => {
  it("takes the request with the deposit due, lets an admin mark it paid, and records the refund on a studio cancellation", async () => {
    useStripe(false);
    const studio = await depositStudio();
    const { booking, payment } = await book(studio, futureSlot(11, "10:00"));
    expect(booking).toMatchObject({ status: "pending", paymentState: "due", paymentProvider: "manual", depositCents: 5000 });
    expect(payment).toEqual({ checkoutUrl: null, amountCents: 5000, currency: "EUR", expiresAt: null });

    const { payment: paid, booking: afterPaid } = await applyPaymentAction(db, {
      bookingId: booking.id,
      version: booking.version,
      action: "mark_paid",
      note: "bank transfer 2026-12-01",
      actor: admin,
    });
    expect(paid).toMatchObject({ state: "paid", paidCents: 5000, provider: "manual", providerRef: "bank transfer 2026-12-01" });
    await expect(applyPaymentAction(db, { bookingId: booking.id, version: booking.version, action: "mark_paid", actor: admin })).rejects.toMatchObject({
      code: "stale_version",
    });

    const cancelled = await cancelBooking(db, { bookingId: booking.id, version: afterPaid.version, actor: admin, reason: "artist ill" });
    expect(cancelled).toMatchObject({ status: "cancelled", paymentState: "refunded", refundedCents: 5000 });
    expect(await ledgerKinds(booking.id)).toEqual(["paid", "refunded"]);
    expect(fake.requests.some((r) => r.params["metadata[bookingId]"] === booking.id || r.params.client_reference_id === booking.id)).toBe(false);
  });
});

describe("the customer's mails say what was paid, refunded or kept (read back from a real SMTP server)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    process.env.SMTP_URL = smtp.url;
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    await smtp?.stop();
  });

  /** Subject and plain text of every mail the SMTP server received for `recipient`, decoded as a mail client would. */
  async function mailsTo(recipient: string) {
    await runDueJobs(db);
    return Promise.all(
      smtp.received
        .filter((m) => m.to.includes(recipient))
        .map(async (m) => {
          const parsed = await simpleParser(m.raw);
          return { subject: parsed.subject ?? "", text: parsed.text ?? "" };
        }),
    );
  }

  it("a paid Stripe deposit shows in the request mail, the rejection says it will be refunded, and the completed refund is mailed", async () => {
    const studio = await depositStudio();
    const { booking } = await book(studio, futureSlot(12, "10:00"));
    const email = booking.customerEmail!;
    await sendWebhook(fake.pay((await reload(booking.id)).paymentRef!));
    const request = (await mailsTo(email)).find((m) => m.subject.startsWith("Request received"));
    expect(request?.text).toContain("Deposit paid: €50");

    const paid = await reload(booking.id);
    await rejectBooking(db, { bookingId: booking.id, version: paid.version, actor: admin, reason: "fully booked" });
    const mails = await mailsTo(email);
    expect(mails.find((m) => m.subject.startsWith("Request declined"))?.text).toContain("Your deposit of €50 will be refunded");
    // The refund job ran in mailsTo's runDueJobs; its mail goes out on the next run.
    const refunded = (await mailsTo(email)).filter((m) => m.subject.startsWith("Deposit refunded"));
    expect(refunded).toHaveLength(1);
    expect(refunded[0]!.text).toContain("refunded €50 of your deposit");
  });

  it("a manual deposit shows as due with the studio's instructions, and a cancellation under a never-refund policy says it is kept and why", async () => {
    const [settings] = await db.select().from(studioSettings);
    try {
      useStripe(false);
      await db.update(studioSettings).set({ manualPaymentInstructions: "IBAN DE02 1203 0000 0000 2020 51", customerCancelRefund: "never" });
      const studio = await depositStudio();
      const { booking } = await book(studio, futureSlot(13, "10:00"));
      const email = booking.customerEmail!;
      expect((await mailsTo(email)).find((m) => m.subject.startsWith("Request received"))?.text).toContain(
        "Deposit due: €50 — IBAN DE02 1203 0000 0000 2020 51",
      );

      const { booking: afterPaid } = await applyPaymentAction(db, { bookingId: booking.id, version: booking.version, action: "mark_paid", actor: admin });
      await cancelBooking(db, { bookingId: booking.id, version: afterPaid.version, actor: customer });
      const cancelled = (await mailsTo(email)).find((m) => m.subject.startsWith("Cancelled"));
      expect(cancelled?.text).toContain("Your deposit of €50 is kept per the studio's policy (the deposit is not refunded when you cancel or do not show up).");
    } finally {
      await db
        .update(studioSettings)
        .set({ manualPaymentInstructions: settings!.manualPaymentInstructions, customerCancelRefund: settings!.customerCancelRefund });
    }
  });
});

describe("the studio books a customer into a deposit service (no checkout)", () => {
  it("records the deposit as due for the admin to mark paid later, or as paid at the desk with the admin in the ledger", async () => {
    const studio = await depositStudio();
    const customerDetails = { name: "Walk In", email: `walkin-${uniqueTag()}@test.example` };

    const due = await bookForCustomer(db, {
      artist: studio.artist.slug,
      service: studio.service.slug,
      start: futureSlot(14, "10:00"),
      customer: customerDetails,
      actor: admin,
    });
    const dueBooking = due.bookings[0]!;
    expect(dueBooking).toMatchObject({ status: "confirmed", paymentState: "due", paymentProvider: "manual", depositCents: 5000, paidCents: 0 });
    expect(fake.requests.some((r) => r.params.client_reference_id === dueBooking.id)).toBe(false);
    const { payment } = await applyPaymentAction(db, { bookingId: dueBooking.id, version: dueBooking.version, action: "mark_paid", actor: admin });
    expect(payment).toMatchObject({ state: "paid", paidCents: 5000, provider: "manual" });

    const atDesk = await bookForCustomer(db, {
      artist: studio.artist.slug,
      service: studio.service.slug,
      start: futureSlot(15, "10:00"),
      customer: customerDetails,
      depositPaid: true,
      actor: admin,
    });
    const paidBooking = atDesk.bookings[0]!;
    expect(paidBooking).toMatchObject({ status: "confirmed", paymentState: "paid", paymentProvider: "manual", paidCents: 5000 });
    expect(paidBooking.paidAt).toBeInstanceOf(Date);
    const ledger = await db.select().from(payments).where(eq(payments.bookingId, paidBooking.id));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ kind: "paid", amountCents: 5000, provider: "manual", actorKind: "admin", actorId: admin.id });

    // Paid at the desk for a 3-week series: one deposit was handed over, so only the first
    // appointment is paid; the studio would otherwise never collect the other two.
    const series = await bookForCustomer(db, {
      artist: studio.artist.slug,
      service: studio.service.slug,
      start: futureSlot(20, "10:00"),
      customer: customerDetails,
      repeat: { everyWeeks: 1, count: 3 },
      depositPaid: true,
      actor: admin,
    });
    expect(series.bookings.map((b) => [b.paymentState, b.paidCents])).toEqual([
      ["paid", 5000],
      ["due", 0],
      ["due", 0],
    ]);
    expect(await ledgerKinds(series.bookings[1]!.id)).toEqual([]);
  });

  it("a service without a deposit booked by the studio has no payment state and no ledger row, even with 'already paid' ticked", async () => {
    const { artist, service } = await createTestArtist(db);
    const result = await bookForCustomer(db, {
      artist: artist.slug,
      service: service.slug,
      start: futureSlot(16, "10:00"),
      customer: { name: "No Deposit", phone: "+49 170 0000000" },
      depositPaid: true,
      actor: admin,
    });
    expect(result.bookings[0]).toMatchObject({ paymentState: "none", depositCents: 0, paymentProvider: null });
    expect(await ledgerKinds(result.bookings[0]!.id)).toEqual([]);
  });
});
