/**
 * Calendar conflicts are decided once, atomically. Two admins answering the same conflict at the
 * same moment must not both act on the booking (a customer would get "cancelled" and "moved"
 * mails for one appointment), and a conflict must never exist without the admins' feed entry
 * that announces it (an artist's edit nobody hears about).
 */
import { addMinutes } from "date-fns";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAlerts, bookingEvents, bookings, calendarConflicts, notifications } from "@/db/schema";
import { openConflict } from "@/lib/caldav/apply-artist-edits";
import { resolveConflict, type ConflictResolution } from "@/lib/caldav/resolve-conflict";
import { HoldfastError } from "@/lib/errors";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase } from "../support/test-db";

const adminA = { kind: "admin" as const, id: "admin-a", ip: "198.51.100.10", userAgent: "vitest-a" };
const adminB = { kind: "admin" as const, id: "admin-b", ip: "198.51.100.11", userAgent: "vitest-b" };

const db = setupTestDatabase();

async function pendingBookingWithConflict(kind: "event_deleted" | "event_moved", details: Record<string, unknown> = {}) {
  const { artist, service } = await createTestArtist(db);
  const start = futureSlot(12);
  const id = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start, customerName: "Ana Example", customerEmail: "ana@example.com" });
  const [conflict] = await db
    .insert(calendarConflicts)
    .values({ bookingId: id, kind, details, dedupeKey: `${kind}:${id}` })
    .returning();
  return { bookingId: id, conflictId: conflict!.id, start };
}

describe("resolving a calendar conflict", () => {
  it("lets exactly one of two admins acting at once decide, and the booking matches that decision (never cancelled under a 'keep' answer)", async () => {
    for (let round = 0; round < 5; round++) {
      const { bookingId, conflictId } = await pendingBookingWithConflict("event_deleted");
      const attempts: [ConflictResolution, typeof adminA][] = [
        ["keep_booking", adminA],
        ["cancel_booking", adminB],
      ];
      const results = await Promise.allSettled(attempts.map(([resolution, actor]) => resolveConflict(db, conflictId, resolution, actor)));

      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(HoldfastError);
      expect((lost[0]!.reason as HoldfastError).code).toBe("invalid_transition");

      const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.id, conflictId));
      const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
      const rejections = (await db.select().from(notifications).where(eq(notifications.bookingId, bookingId))).filter((m) => m.kind === "booking_rejected");
      const statusChanges = await db
        .select()
        .from(bookingEvents)
        .where(
          and(
            eq(bookingEvents.bookingId, bookingId),
            eq(bookingEvents.operation, "UPDATE"),
            sql`${bookingEvents.oldStatus} is distinct from ${bookingEvents.newStatus}`,
          ),
        );
      if (conflict!.resolution === "keep_booking") {
        expect(booking!.status).toBe("pending");
        expect(rejections).toHaveLength(0);
        expect(statusChanges).toHaveLength(0);
      } else {
        expect(conflict!.resolution).toBe("cancel_booking");
        expect(booking!.status).toBe("rejected");
        expect(rejections).toHaveLength(1);
        expect(statusChanges).toHaveLength(1);
      }
    }
  });

  it("leaves the conflict open when the booking change it asks for is refused, so the admin can choose again", async () => {
    // Accepting a move into the past is refused by the reschedule rules.
    const past = new Date(Date.now() - 3 * 86_400_000);
    const { bookingId, conflictId } = await pendingBookingWithConflict("event_moved", { start: past.toISOString(), end: addMinutes(past, 60).toISOString() });
    await expect(resolveConflict(db, conflictId, "accept_calendar", adminA)).rejects.toBeInstanceOf(HoldfastError);
    const [conflict] = await db.select().from(calendarConflicts).where(eq(calendarConflicts.id, conflictId));
    expect(conflict!.status).toBe("open");
    const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
    expect(booking!.status).toBe("pending");
  });
});

describe("opening a calendar conflict", () => {
  it("writes the conflict and its feed entry together: when the feed entry cannot be written, no silent conflict is left", async () => {
    const { artist, service } = await createTestArtist(db);
    const id = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(14) });
    const marker = `fail-alert-${id}`;
    await db.execute(
      sql.raw(`
      create or replace function holdfast_test_fail_alert() returns trigger language plpgsql as $$
      begin
        if new.message like '%${marker}%' then raise exception 'alert refused by test'; end if;
        return new;
      end $$`),
    );
    await db.execute(sql`create trigger holdfast_test_fail_alert before insert on admin_alerts for each row execute function holdfast_test_fail_alert()`);
    try {
      await expect(
        openConflict(db, { bookingId: id, calendarId: null, kind: "event_deleted", details: {}, dedupeKey: `event_deleted:${id}`, message: `gone ${marker}` }),
      ).rejects.toThrow();
      expect(await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, id))).toHaveLength(0);

      expect(
        await openConflict(db, { bookingId: id, calendarId: null, kind: "event_deleted", details: {}, dedupeKey: `event_deleted:${id}`, message: "gone" }),
      ).toBe(true);
      expect(await db.select().from(calendarConflicts).where(eq(calendarConflicts.bookingId, id))).toHaveLength(1);
      expect(await db.select().from(adminAlerts).where(eq(adminAlerts.bookingId, id))).toHaveLength(1);
    } finally {
      await db.execute(sql`drop trigger if exists holdfast_test_fail_alert on admin_alerts`);
      await db.execute(sql`drop function if exists holdfast_test_fail_alert()`);
    }
  });
});
