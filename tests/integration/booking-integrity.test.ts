import { addMinutes } from "date-fns";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { bookingEvents, bookings, busyBlocks, notifications } from "@/db/schema";
import { createHold } from "@/lib/bookings/create-hold";
import { BookingConflictError } from "@/lib/bookings/booking-conflict-error";
import { submitRequest } from "@/lib/bookings/submit-request";
import { approveBooking, cancelBooking, expireStaleHolds, rejectBooking, rescheduleBooking } from "@/lib/bookings/transitions";
import { getAvailability } from "@/lib/availability/get-availability";
import { HoldfastError } from "@/lib/errors";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

const customer = { kind: "customer" as const, ip: "203.0.113.7", userAgent: "vitest" };
const admin = { kind: "admin" as const, id: "admin-1", ip: "198.51.100.2", userAgent: "vitest-admin" };

let db: Database;
beforeAll(() => {
  db = useTestDatabase();
});
afterAll(async () => {
  await closeDb();
});

async function placeRequest(artist: string, service: string, start: Date, email = "ana@example.com") {
  const { hold } = await createHold(db, { artist, service, start, actor: customer });
  const { booking } = await submitRequest(db, {
    holdId: hold.id,
    holdToken: hold.token,
    customer: { name: "Ana Example", email },
    idempotencyKey: `key-${hold.id}`,
    actor: customer,
  });
  return booking;
}

/** Inserts a booking row directly, bypassing lib/, to test what Postgres itself refuses. */
async function rawInsert(
  artistId: string,
  serviceId: string,
  start: Date,
  minutes: number,
  status: "hold" | "pending" | "confirmed" | "cancelled",
  buffers = { before: 0, after: 0 },
  holdExpiresAt?: Date,
) {
  const id = crypto.randomUUID();
  await db.insert(bookings).values({
    id,
    artistId,
    serviceId,
    startsAt: start,
    endsAt: addMinutes(start, minutes),
    bufferBeforeMinutes: buffers.before,
    bufferAfterMinutes: buffers.after,
    status,
    holdExpiresAt: status === "hold" ? (holdExpiresAt ?? addMinutes(new Date(), 10)) : null,
    caldavUid: `${id}@holdfast`,
  });
  return id;
}

describe("the database refuses double bookings", () => {
  it("refuses an overlapping booking for the same artist — otherwise two customers would turn up for one chair", async () => {
    const { artist, service } = await createTestArtist(db);
    const start = futureSlot(10);
    await rawInsert(artist.id, service.id, start, 60, "confirmed");
    await expect(rawInsert(artist.id, service.id, addMinutes(start, 30), 60, "pending")).rejects.toMatchObject({ cause: { code: "23P01" } });
  });

  it("refuses a booking that only overlaps the previous booking's cleanup buffer — the artist would get no time to clean up", async () => {
    const { artist, service } = await createTestArtist(db);
    const start = futureSlot(11);
    await rawInsert(artist.id, service.id, start, 60, "confirmed", { before: 0, after: 15 });
    await expect(rawInsert(artist.id, service.id, addMinutes(start, 70), 60, "pending")).rejects.toMatchObject({ cause: { code: "23P01" } });
    // Right after the buffer ends is fine.
    await expect(rawInsert(artist.id, service.id, addMinutes(start, 75), 60, "pending")).resolves.toBeTypeOf("string");
  });

  it("lets different artists book the same time and lets cancelled bookings free their slot", async () => {
    const a = await createTestArtist(db);
    const b = await createTestArtist(db);
    const start = futureSlot(12);
    await rawInsert(a.artist.id, a.service.id, start, 60, "confirmed");
    await rawInsert(b.artist.id, b.service.id, start, 60, "confirmed");
    const c = await createTestArtist(db);
    await rawInsert(c.artist.id, c.service.id, start, 60, "cancelled");
    await expect(rawInsert(c.artist.id, c.service.id, start, 60, "confirmed")).resolves.toBeTypeOf("string");
  });

  it("refuses a booking that ends before it starts — it would block nothing and confuse every calendar", async () => {
    const { artist, service } = await createTestArtist(db);
    await expect(rawInsert(artist.id, service.id, futureSlot(13), -30, "pending")).rejects.toMatchObject({ cause: { code: "23514" } });
  });

  it("does not let an expired hold block the slot — a customer who walked away must not lock others out", async () => {
    const { artist, service } = await createTestArtist(db);
    const start = futureSlot(14);
    await rawInsert(artist.id, service.id, start, 60, "hold", undefined, new Date(Date.now() - 60_000));
    const before = await getAvailability(db, {
      artist: artist.slug,
      service: service.slug,
      fromDate: start.toISOString().slice(0, 10),
      toDate: start.toISOString().slice(0, 10),
    });
    expect(before.slots.map((s) => s.start.getTime())).toContain(start.getTime());
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customer });
    expect(hold.id).toBeTypeOf("string");
    const stale = await db
      .select({ status: bookings.status })
      .from(bookings)
      .where(and(eq(bookings.artistId, artist.id), eq(bookings.status, "expired")));
    expect(stale).toHaveLength(1);
  });

  it("lets exactly one of 100 simultaneous holds on one slot win — the other 99 get a conflict, never a second booking", async () => {
    const { artist, service } = await createTestArtist(db);
    const start = futureSlot(15);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => createHold(db, { artist: artist.slug, service: service.slug, start, actor: customer })),
    );
    const wins = results.filter((r) => r.status === "fulfilled");
    const conflicts = results.filter((r) => r.status === "rejected" && r.reason instanceof BookingConflictError);
    const other = results.filter((r) => r.status === "rejected" && !(r.reason instanceof BookingConflictError));
    expect(other.map((r) => (r as PromiseRejectedResult).reason)).toEqual([]);
    expect(wins).toHaveLength(1);
    expect(conflicts).toHaveLength(99);
    const rows = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.artistId, artist.id), eq(bookings.status, "hold")));
    expect(rows).toHaveLength(1);
  }, 180_000); // ~3 s normally; generous because Postgres' deadlock detector (1 s a round) may step in on a loaded machine

  it("answers a taken slot with up to 5 nearby free alternatives — the customer can pick another time at once", async () => {
    const { artist, service } = await createTestArtist(db);
    const start = futureSlot(16);
    await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customer });
    const err = await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingConflictError);
    const alternatives = (err as BookingConflictError).alternatives;
    expect(alternatives.length).toBe(5);
    for (const alt of alternatives) expect(new Date(alt.start).getTime()).not.toBe(start.getTime());
  });

  it("refuses a hold over time the artist blocked in their calendar — a private appointment must never be double-booked", async () => {
    const { artist, service } = await createTestArtist(db, { bufferAfterMinutes: 15 });
    const start = futureSlot(18);
    // The block starts 10 minutes after the service would end: only the cleanup buffer reaches it.
    await db.insert(busyBlocks).values({ artistId: artist.id, startsAt: addMinutes(start, 70), endsAt: addMinutes(start, 130) });
    const err = await createHold(db, { artist: artist.slug, service: service.slug, start, actor: customer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingConflictError);
    expect((err as BookingConflictError).alternatives.length).toBeGreaterThan(0);
    expect(await db.select().from(bookings).where(eq(bookings.artistId, artist.id))).toHaveLength(0);
  });

  it("refuses a hold outside working hours with 422 not_bookable — nobody can book the artist at 3 a.m.", async () => {
    const { artist, service } = await createTestArtist(db);
    const night = futureSlot(17, "03:00");
    const err = await createHold(db, { artist: artist.slug, service: service.slug, start: night, actor: customer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HoldfastError);
    expect((err as HoldfastError).code).toBe("not_bookable");
    expect((err as HoldfastError).status).toBe(422);
  });
});

describe("decisions carry the version they saw", () => {
  it("lets only one of two simultaneous approvals with the same version through — the other admin gets a 409, nothing is overwritten", async () => {
    const { artist, service } = await createTestArtist(db);
    const booking = await placeRequest(artist.slug, service.slug, futureSlot(20));
    const results = await Promise.allSettled([
      approveBooking(db, { bookingId: booking.id, version: booking.version, actor: admin }),
      rejectBooking(db, { bookingId: booking.id, version: booking.version, actor: { ...admin, id: "admin-2" }, reason: "double" }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const stale = results.filter((r) => r.status === "rejected" && r.reason instanceof BookingConflictError && r.reason.code === "stale_version");
    expect(ok).toHaveLength(1);
    expect(stale).toHaveLength(1);
    expect((stale[0] as PromiseRejectedResult).reason.status).toBe(409);
  });

  it("refuses an approval with an old version even when nobody is racing — a page left open overnight cannot undo today's change", async () => {
    const { artist, service } = await createTestArtist(db);
    const booking = await placeRequest(artist.slug, service.slug, futureSlot(21));
    await rescheduleBooking(db, { bookingId: booking.id, version: booking.version, start: addMinutes(booking.startsAt, 60), actor: admin });
    await expect(approveBooking(db, { bookingId: booking.id, version: booking.version, actor: admin })).rejects.toMatchObject({ code: "stale_version" });
    const [row] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row!.status).toBe("pending");
  });

  it("refuses approving a rejected booking with 409 invalid_transition", async () => {
    const { artist, service } = await createTestArtist(db);
    const booking = await placeRequest(artist.slug, service.slug, futureSlot(22));
    const rejected = await rejectBooking(db, { bookingId: booking.id, version: booking.version, actor: admin, reason: "no" });
    await expect(approveBooking(db, { bookingId: booking.id, version: rejected.version, actor: admin })).rejects.toMatchObject({ code: "invalid_transition" });
  });
});

describe("the lifecycle", () => {
  it("submits a request once per idempotency key — a double click makes one booking and one set of emails", async () => {
    const { artist, service } = await createTestArtist(db);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(30), actor: customer });
    const input = {
      holdId: hold.id,
      holdToken: hold.token,
      customer: { name: "Bo", email: "bo@example.com" },
      idempotencyKey: `idem-${hold.id}`,
      actor: customer,
    };
    const [first, second] = await Promise.all([submitRequest(db, input), submitRequest(db, input)]);
    expect(first.booking.id).toBe(second.booking.id);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    const rows = await db.select().from(notifications).where(eq(notifications.bookingId, hold.id));
    expect(rows.map((r) => r.kind).sort()).toEqual(["request_received", "studio_new_request"]);
  });

  it("confirms auto-confirm services straight away and sends the confirmation with an .ics", async () => {
    const { artist, service } = await createTestArtist(db, { autoConfirm: true });
    const booking = await placeRequest(artist.slug, service.slug, futureSlot(31));
    expect(booking.status).toBe("confirmed");
    const rows = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id));
    const confirmation = rows.find((r) => r.kind === "booking_confirmed");
    expect(confirmation?.icsAttachment).toContain("BEGIN:VEVENT");
  });

  it("refuses a hold token that does not match — a guessed hold id cannot be submitted by someone else", async () => {
    const { artist, service } = await createTestArtist(db);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(32), actor: customer });
    await expect(
      submitRequest(db, {
        holdId: hold.id,
        holdToken: "x".repeat(32),
        customer: { name: "Eve", email: "eve@example.com" },
        idempotencyKey: "eve-key-123",
        actor: customer,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("reschedules atomically — when the new time is taken the booking keeps its old time", async () => {
    const { artist, service } = await createTestArtist(db);
    const mine = await placeRequest(artist.slug, service.slug, futureSlot(33, "10:00"));
    const theirs = await placeRequest(artist.slug, service.slug, futureSlot(33, "13:00"), "other@example.com");
    const err = await rescheduleBooking(db, { bookingId: mine.id, version: mine.version, start: theirs.startsAt, actor: customer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingConflictError);
    const [row] = await db.select().from(bookings).where(eq(bookings.id, mine.id));
    expect(row!.startsAt.getTime()).toBe(mine.startsAt.getTime());
    const moved = await rescheduleBooking(db, { bookingId: mine.id, version: mine.version, start: futureSlot(33, "15:00"), actor: customer });
    expect(moved.startsAt.getTime()).toBe(futureSlot(33, "15:00").getTime());
  });

  it("respects the studio's cancellation notice for confirmed bookings but lets customers withdraw a pending request", async () => {
    const { artist, service } = await createTestArtist(db, { autoConfirm: true });
    // "Two hours before the start" is an explicit clock, not today's date: the test books well
    // ahead and moves `now` to just before the appointment, so it passes at any hour of the day.
    const soon = await placeRequest(artist.slug, service.slug, futureSlot(39, "16:00"));
    await expect(cancelBooking(db, { bookingId: soon.id, actor: customer, now: addMinutes(soon.startsAt, -120) })).rejects.toMatchObject({
      code: "cancellation_window_passed",
    });
    const later = await placeRequest(artist.slug, service.slug, futureSlot(40));
    const cancelled = await cancelBooking(db, { bookingId: later.id, actor: customer, reason: "plans changed" });
    expect(cancelled.status).toBe("cancelled");
    // The studio can always cancel.
    const byStudio = await cancelBooking(db, { bookingId: soon.id, version: soon.version, actor: admin, now: addMinutes(soon.startsAt, -120) });
    expect(byStudio.status).toBe("cancelled");
  });

  it("expires stale holds in bulk — an abandoned form frees its slot for the minute tick", async () => {
    const { artist, service } = await createTestArtist(db);
    const id = await rawInsert(artist.id, service.id, futureSlot(41), 60, "hold", undefined, new Date(Date.now() - 1000));
    expect(await expireStaleHolds(db)).toBeGreaterThanOrEqual(1);
    const [row] = await db.select().from(bookings).where(eq(bookings.id, id));
    expect(row!.status).toBe("expired");
  });
});

describe("the audit trail", () => {
  it("records who changed a booking, from where, why, and the row before and after — so an admin can answer 'who did this?'", async () => {
    const { artist, service } = await createTestArtist(db);
    const booking = await placeRequest(artist.slug, service.slug, futureSlot(50));
    await rejectBooking(db, { bookingId: booking.id, version: booking.version, actor: admin, reason: "artist is away" });
    const events = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, booking.id)).orderBy(bookingEvents.id);
    expect(events.map((e) => [e.operation, e.oldStatus, e.newStatus, e.actorKind])).toEqual([
      ["INSERT", null, "hold", "customer"],
      ["UPDATE", "hold", "pending", "customer"],
      ["UPDATE", "pending", "rejected", "admin"],
    ]);
    const last = events[2]!;
    expect(last).toMatchObject({ actorId: "admin-1", ip: "198.51.100.2", userAgent: "vitest-admin", reason: "artist is away" });
    expect((last.oldRow as { status: string }).status).toBe("pending");
    expect((last.newRow as { status: string }).status).toBe("rejected");
    expect(JSON.stringify(events)).not.toContain("hold_token_hash");
  });

  it("records a change made outside lib/ as unattributed with the database user — no code path can skip the trail", async () => {
    const { artist, service } = await createTestArtist(db);
    const id = await rawInsert(artist.id, service.id, futureSlot(51), 60, "pending");
    await db.execute(sql`update bookings set notes = 'edited by hand' where id = ${id}`);
    const events = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, id)).orderBy(bookingEvents.id);
    expect(events.at(-1)).toMatchObject({ operation: "UPDATE", actorKind: "unattributed", actorId: "holdfast" });
  });

  it("bumps the version on every meaningful change, also for writes that forget to", async () => {
    const { artist, service } = await createTestArtist(db);
    const id = await rawInsert(artist.id, service.id, futureSlot(52), 60, "pending");
    await db.execute(sql`update bookings set customer_name = 'Changed' where id = ${id}`);
    const [row] = await db.select().from(bookings).where(eq(bookings.id, id));
    expect(row!.version).toBe(2);
    await db.execute(sql`update bookings set caldav_etag = '"abc"' where id = ${id}`);
    const [after] = await db.select().from(bookings).where(eq(bookings.id, id));
    expect(after!.version).toBe(2);
  });
});

describe("side effects commit with the booking", () => {
  it("queues no email and no job when the booking transaction rolls back — and both when it commits", async () => {
    const { artist, service } = await createTestArtist(db);
    const { hold } = await createHold(db, { artist: artist.slug, service: service.slug, start: futureSlot(60), actor: customer });
    const jobsBefore = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'deliver_notification'`);
    const { enqueueBookingNotifications } = await import("@/lib/notifications/enqueue-notifications");
    const rolledBack = new Error("roll back on purpose");
    await expect(
      db.transaction(async (tx) => {
        const [row] = await tx
          .update(bookings)
          .set({ status: "pending", customerName: "Rollback", customerEmail: "rb@example.com" })
          .where(eq(bookings.id, hold.id))
          .returning();
        const queued = await enqueueBookingNotifications(tx, row!, ["request_received", "studio_new_request"]);
        expect(queued).toHaveLength(2);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await db.select().from(notifications).where(eq(notifications.bookingId, hold.id))).toHaveLength(0);
    const jobsAfter = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'deliver_notification'`);
    expect(jobsAfter.rows[0]!.n).toBe(jobsBefore.rows[0]!.n);

    await submitRequest(db, {
      holdId: hold.id,
      holdToken: hold.token,
      customer: { name: "Commit", email: "c@example.com" },
      idempotencyKey: `k-${hold.id}`,
      actor: customer,
    });
    const rows = await db.select().from(notifications).where(eq(notifications.bookingId, hold.id));
    expect(rows).toHaveLength(2);
    const jobs = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where key in (${sql.join(
        rows.map((r) => sql`${`notification:${r.id}`}`),
        sql`, `,
      )})`,
    );
    expect(jobs.rows[0]!.n).toBe(2);
  });
});

describe("a hold commits without waiting for the WAL flush, and only a hold does", () => {
  // Holds skip the fsync wait (a crash can only end a hold early). If the setting leaked into the
  // pooled connection, a later request or approval would skip it too and could be lost in a crash.
  it("leaves synchronous_commit on for whatever runs next on the same connection", async () => {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const schema = await import("@/db/schema");
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    try {
      // The test server runs with synchronous_commit off for speed: this connection says what production has.
      await pool.query("set synchronous_commit = on");
      const single = drizzle(pool, { schema }) as unknown as Database;
      const { artist, service } = await createTestArtist(db);
      const { booking } = await createHold(single, { artist: artist.slug, service: service.slug, start: futureSlot(12, "11:00"), actor: customer });
      expect(booking.status).toBe("hold");
      const setting = await pool.query<{ synchronous_commit: string }>("show synchronous_commit");
      expect(setting.rows[0]!.synchronous_commit).toBe("on");
    } finally {
      await pool.end();
    }
  });
});
