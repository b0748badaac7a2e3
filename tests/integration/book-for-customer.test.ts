/**
 * The studio books for a customer (phone, walk-in): what the admin would see go wrong if these
 * failed is a double booking next to a customer's hold, a series that silently drops taken weeks
 * or drifts by an hour after a clock change, an override that books over another customer, an
 * audit trail that does not say who booked, or mail sent to a customer who was not to be told.
 */
import { randomInt } from "node:crypto";
import { addMinutes } from "date-fns";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEMO_RETURNING_CUSTOMER, seedDemoStudio, seedReturningCustomer } from "@/db/seed";
import { bookingEvents, bookings, busyBlocks, notifications } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { bookForCustomer, seriesStarts } from "@/lib/bookings/book-for-customer";
import { BookingConflictError } from "@/lib/bookings/booking-conflict-error";
import { cancelSeries } from "@/lib/bookings/cancel-series";
import { createHold } from "@/lib/bookings/create-hold";
import { searchCustomers } from "@/lib/bookings/search-customers";
import { HoldfastError } from "@/lib/errors";
import { wallClockInZone } from "@/lib/time/zone-clock";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();
const admin: Actor = { kind: "admin", id: "admin-user-1", ip: "203.0.113.5", userAgent: "vitest" };
const customerActor: Actor = { kind: "customer", ip: "198.51.100.7" };

async function studio(opts: Parameters<typeof createTestArtist>[1] = {}) {
  const { artist, service } = await createTestArtist(db, opts);
  return { artist, service, refs: { artist: artist.slug, service: service.slug } };
}

const customer = (tag = uniqueTag()) => ({ name: `Rita ${tag}`, email: `rita-${tag}@example.com`, phone: "+49 30 1234567" });

describe("bookForCustomer", () => {
  it("a phone booking racing a customer's hold on the same slot: exactly one wins, every time", async () => {
    const { refs } = await studio();
    for (let i = 0; i < 12; i += 1) {
      const start = futureSlot(20 + i, "11:00");
      const results = await Promise.allSettled([
        bookForCustomer(db, { ...refs, start, customer: customer(), actor: admin }),
        createHold(db, { ...refs, start, actor: customerActor }),
      ]);
      expect(
        results.filter((r) => r.status === "fulfilled"),
        `round ${i}`,
      ).toHaveLength(1);
      const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(BookingConflictError);
      expect((loser.reason as BookingConflictError).code).toBe("slot_taken");
    }
  });

  it("books a single customer confirmed, with the confirmation, reminders and the admin and reason in the audit trail", async () => {
    const { artist, refs } = await studio();
    const c = customer();
    const {
      bookings: [booking],
    } = await bookForCustomer(db, { ...refs, start: futureSlot(21, "10:00"), customer: { ...c, email: c.email.toUpperCase() }, actor: admin });
    expect(booking).toMatchObject({ status: "confirmed", artistId: artist.id, customerEmail: c.email, seriesId: null });
    const events = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, booking!.id));
    expect(events).toEqual([
      expect.objectContaining({ operation: "INSERT", newStatus: "confirmed", actorKind: "admin", actorId: "admin-user-1", reason: "phone booking" }),
    ]);
    const mails = await db.select().from(notifications).where(eq(notifications.bookingId, booking!.id));
    expect(mails.filter((m) => m.kind === "booking_confirmed").map((m) => m.recipient)).toEqual([c.email]);
    expect(mails.find((m) => m.kind === "booking_confirmed")!.icsAttachment).toContain("METHOD:REQUEST");

    const walkIn = await bookForCustomer(db, {
      ...refs,
      start: futureSlot(21, "12:00"),
      customer: { name: "Walk In", phone: "0171 555" },
      reason: "walk-in",
      actor: admin,
    });
    const [event] = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, walkIn.bookings[0]!.id));
    expect(event).toMatchObject({ actorKind: "admin", reason: "walk-in" });
  });

  it("notify: false queues no customer mail and no reminder", async () => {
    const { refs } = await studio();
    const {
      bookings: [booking],
    } = await bookForCustomer(db, { ...refs, start: futureSlot(22, "10:00"), customer: customer(), notify: false, actor: admin });
    expect(await db.select().from(notifications).where(eq(notifications.bookingId, booking!.id))).toEqual([]);
  });

  it("refuses a customer with neither email nor phone, and a time that is not offered without override", async () => {
    const { refs } = await studio();
    const noContact = await bookForCustomer(db, { ...refs, start: futureSlot(23, "10:00"), customer: { name: "Nobody" }, actor: admin }).catch(
      (e: unknown) => e,
    );
    expect(noContact).toMatchObject({ code: "invalid_input" });
    const night = await bookForCustomer(db, { ...refs, start: futureSlot(23, "20:00"), customer: customer(), actor: admin }).catch((e: unknown) => e);
    expect(night).toBeInstanceOf(HoldfastError);
    expect((night as HoldfastError).code).toBe("not_bookable");
  });

  it("override allows short notice and outside hours, but never an overlap with a booking or the artist's busy time", async () => {
    const { artist, refs } = await studio({ minNoticeMinutes: 24 * 60 });
    const now = futureSlot(30, "08:00");
    const soon = futureSlot(30, "10:00");
    const refused = await bookForCustomer(db, { ...refs, start: soon, customer: customer(), actor: admin, now }).catch((e: unknown) => e);
    expect((refused as HoldfastError).code).toBe("not_bookable");
    const ok = await bookForCustomer(db, { ...refs, start: soon, customer: customer(), override: true, actor: admin, now });
    expect(ok.bookings[0]!.status).toBe("confirmed");
    const evening = await bookForCustomer(db, { ...refs, start: futureSlot(30, "19:00"), customer: customer(), override: true, actor: admin, now });
    expect(evening.bookings).toHaveLength(1);

    const overlap = await bookForCustomer(db, { ...refs, start: addMinutes(soon, 30), customer: customer(), override: true, actor: admin, now }).catch(
      (e: unknown) => e,
    );
    expect(overlap).toBeInstanceOf(BookingConflictError);
    expect((overlap as BookingConflictError).alternatives.length).toBeGreaterThan(0);
    expect((overlap as BookingConflictError).alternatives.length).toBeLessThanOrEqual(3);

    const busyStart = futureSlot(31, "14:00");
    await db.insert(busyBlocks).values({ artistId: artist.id, startsAt: busyStart, endsAt: addMinutes(busyStart, 60) });
    const busy = await bookForCustomer(db, { ...refs, start: addMinutes(busyStart, 30), customer: customer(), override: true, actor: admin, now }).catch(
      (e: unknown) => e,
    );
    expect(busy).toBeInstanceOf(BookingConflictError);

    const past = await bookForCustomer(db, { ...refs, start: addMinutes(now, -60), customer: customer(), override: true, actor: admin, now }).catch(
      (e: unknown) => e,
    );
    expect((past as HoldfastError).code).toBe("not_bookable");
    const rows = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.artistId, artist.id), inArray(bookings.status, ["confirmed"])));
    expect(rows).toHaveLength(2);
  });

  it("a series of 6 with 2 weeks taken books 4, reports the 2 with alternatives, and cancels 'this and the following'", async () => {
    const { artist, service, refs } = await studio();
    const first = futureSlot(40, "11:00");
    const starts = seriesStarts(first, "Europe/Berlin", 1, 6);
    for (const taken of [starts[1]!, starts[4]!]) {
      await insertTestBooking(db, {
        artistId: artist.id,
        serviceId: service.id,
        start: taken,
        status: "confirmed",
        customerName: "Other",
        customerEmail: "other@example.com",
      });
    }
    const c = customer();
    const result = await bookForCustomer(db, { ...refs, start: first, customer: c, repeat: { everyWeeks: 1, count: 6 }, actor: admin });
    expect(result.bookings.map((b) => b.startsAt.toISOString())).toEqual([starts[0], starts[2], starts[3], starts[5]].map((d) => d!.toISOString()));
    expect(new Set(result.bookings.map((b) => b.seriesId))).toEqual(new Set([result.seriesId]));
    expect(result.conflicts.map((x) => x.start)).toEqual([starts[1]!.toISOString(), starts[4]!.toISOString()]);
    for (const conflict of result.conflicts) {
      expect(conflict.code).toBe("slot_taken");
      expect(conflict.alternatives.length).toBeGreaterThan(0);
      expect(conflict.alternatives.length).toBeLessThanOrEqual(3);
      expect(conflict.alternatives.map((a) => a.start)).not.toContain(conflict.start);
    }
    const mails = await db
      .select()
      .from(notifications)
      .where(
        and(
          inArray(
            notifications.bookingId,
            result.bookings.map((b) => b.id),
          ),
          eq(notifications.kind, "booking_confirmed"),
        ),
      );
    expect(mails).toHaveLength(4);

    const cancelled = await cancelSeries(db, { bookingId: result.bookings[1]!.id, scope: "following", actor: admin, reason: "moving away" });
    expect(cancelled.map((b) => b.id)).toEqual(result.bookings.slice(1).map((b) => b.id));
    const [firstRow] = await db.select().from(bookings).where(eq(bookings.id, result.bookings[0]!.id));
    expect(firstRow!.status).toBe("confirmed");
    const cancelEvents = await db
      .select()
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, result.bookings[3]!.id), eq(bookingEvents.newStatus, "cancelled")));
    expect(cancelEvents).toEqual([expect.objectContaining({ actorKind: "admin", reason: "moving away" })]);
  });

  it("a series across a clock change keeps the wall-clock time in the artist's zone", async () => {
    const { refs } = await studio();
    // Fixed instants: Berlin goes to summer time on 2030-03-31 and back on 2030-10-27.
    const now = new Date("2030-03-01T09:00:00Z");
    const result = await bookForCustomer(db, {
      ...refs,
      start: new Date("2030-03-19T10:00:00+01:00"),
      customer: customer(),
      repeat: { everyWeeks: 1, count: 4 },
      actor: admin,
      now,
    });
    expect(result.conflicts).toEqual([]);
    expect(result.bookings.map((b) => b.startsAt.toISOString())).toEqual([
      "2030-03-19T09:00:00.000Z",
      "2030-03-26T09:00:00.000Z",
      "2030-04-02T08:00:00.000Z",
      "2030-04-09T08:00:00.000Z",
    ]);
    for (const b of result.bookings) expect(wallClockInZone(b.startsAt, "Europe/Berlin")).toMatchObject({ hour: 10, minute: 0 });
    const autumn = seriesStarts(new Date("2030-10-15T14:30:00+02:00"), "America/Denver", 2, 3).map((d) => wallClockInZone(d, "America/Denver"));
    expect(autumn.map((w) => `${w.month}-${w.day} ${w.hour}:${w.minute}`)).toEqual(["10-15 6:30", "10-29 6:30", "11-12 6:30"]);
  });

  it("searchCustomers finds an earlier customer by name, email or phone, once, with their latest details, most recent first", async () => {
    const { refs } = await studio();
    // Digits in the tag on purpose: a name like "Zora 482107ab" is not a phone number, so it must
    // not also pull in the customer whose phone contains 482107 (it once did, for some random tags).
    const tag = `${randomInt(100_000, 1_000_000)}ab`;
    const email = `search-${tag}@example.com`;
    await bookForCustomer(db, {
      ...refs,
      start: futureSlot(50, "10:00"),
      customer: { name: `Zora ${tag}`, email, phone: "+49 (30) 777-" + tag.replace(/\D/g, "0").slice(0, 4) },
      notify: false,
      actor: admin,
    });
    await bookForCustomer(db, {
      ...refs,
      start: futureSlot(51, "10:00"),
      customer: { name: `Zora ${tag} Smith`, email: email.toUpperCase() },
      notify: false,
      actor: admin,
    });
    await bookForCustomer(db, {
      ...refs,
      start: futureSlot(52, "10:00"),
      customer: { name: `Phone ${tag}`, phone: `+49 160 ${tag.replace(/\D/g, "1")}` },
      notify: false,
      actor: admin,
    });

    const byName = await searchCustomers(db, `zora ${tag}`);
    expect(byName).toEqual([expect.objectContaining({ name: `Zora ${tag} Smith`, email, bookings: 2 })]);
    expect(await searchCustomers(db, email.slice(0, 12).toUpperCase())).toEqual([expect.objectContaining({ email })]);
    const digits = `160${tag.replace(/\D/g, "1")}`;
    expect(await searchCustomers(db, `0${digits.slice(0, 3)} ${digits.slice(3)}`)).toEqual([expect.objectContaining({ name: `Phone ${tag}`, email: null })]);
    // Stored the international way, typed the national way (trunk 0): the caller is still found.
    expect(await searchCustomers(db, `+49 ${digits}`)).toEqual([expect.objectContaining({ name: `Phone ${tag}` })]);
    expect(await searchCustomers(db, "%")).toEqual([]);
    const both = await searchCustomers(db, tag);
    expect(both.map((c) => c.name)).toEqual([`Phone ${tag}`, `Zora ${tag} Smith`]);
  });

  it("the demo seed has a returning customer with a 4-week series, once however often it runs", async () => {
    await seedDemoStudio(db, { timezone: "Europe/Berlin", studioEmail: "studio@test.example" });
    expect(await seedReturningCustomer(db)).toBe(true);
    expect(await seedReturningCustomer(db)).toBe(false);
    const rows = await db.select().from(bookings).where(eq(bookings.customerEmail, DEMO_RETURNING_CUSTOMER.email));
    expect(rows.filter((b) => b.seriesId && b.status === "confirmed")).toHaveLength(4);
    expect(rows.filter((b) => b.status === "completed")).toHaveLength(1);
    expect(await searchCustomers(db, "lena")).toEqual([expect.objectContaining({ email: DEMO_RETURNING_CUSTOMER.email, bookings: 5 })]);
  });
});
