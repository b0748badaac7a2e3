import { addMinutes } from "date-fns";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { bookings, notifications } from "@/db/schema";
import { decideBooking, decideMany } from "@/lib/admin/decide";
import { approveBooking, cancelBooking } from "@/lib/bookings/transitions";
import { HoldfastError } from "@/lib/errors";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

const admin = { kind: "admin" as const, id: "00000000-0000-4000-8000-0000000000a1", ip: "198.51.100.10", userAgent: "vitest-admin" };
const otherAdmin = { kind: "admin" as const, id: "00000000-0000-4000-8000-0000000000a2", ip: "198.51.100.11", userAgent: "vitest-other-admin" };

let db: Database;
beforeAll(() => {
  db = useTestDatabase();
});
afterAll(async () => {
  await closeDb();
});

/** `count` pending requests for one artist, an hour apart, as the public flow would leave them. */
async function pendingRequests(count: number, daysAhead: number) {
  const { artist, service } = await createTestArtist(db);
  const first = futureSlot(daysAhead, "00:00");
  const rows = Array.from({ length: count }, (_, i) => {
    const id = crypto.randomUUID();
    const start = addMinutes(first, i * 60);
    return {
      id,
      artistId: artist.id,
      serviceId: service.id,
      startsAt: start,
      endsAt: addMinutes(start, 45),
      status: "pending" as const,
      customerName: `Bulk Customer ${i}`,
      customerEmail: `bulk-${i}-${id.slice(0, 6)}@example.com`,
      caldavUid: `${id}@holdfast`,
      submittedAt: new Date(),
    };
  });
  await db.insert(bookings).values(rows);
  return { artist, service, ids: rows.map((r) => r.id) };
}

describe("bulk decisions", () => {
  it("approves 47 of 50 when 3 were changed meanwhile, reports those 3 as stale and changes nothing about them", async () => {
    const { ids } = await pendingRequests(50, 40);
    const seen = await db.select({ id: bookings.id, version: bookings.version }).from(bookings).where(inArray(bookings.id, ids));
    expect(seen).toHaveLength(50);
    const versionSeen = new Map(seen.map((r) => [r.id, r.version]));

    // Meanwhile, another admin approves one, cancels one, and someone edits the notes of a third.
    const [approvedMeanwhile, cancelledMeanwhile, editedMeanwhile] = [ids[3]!, ids[17]!, ids[42]!];
    await approveBooking(db, { bookingId: approvedMeanwhile, version: versionSeen.get(approvedMeanwhile)!, actor: otherAdmin });
    await cancelBooking(db, { bookingId: cancelledMeanwhile, version: versionSeen.get(cancelledMeanwhile)!, actor: otherAdmin, reason: "customer called" });
    await db.update(bookings).set({ notes: "prefers the afternoon" }).where(eq(bookings.id, editedMeanwhile));
    const [beforeEdited] = await db.select().from(bookings).where(eq(bookings.id, editedMeanwhile));

    const outcome = await decideMany(db, { action: "approve", items: ids.map((id) => ({ id, version: versionSeen.get(id)! })), actor: admin });

    expect(outcome.succeeded).toBe(47);
    expect(outcome.failed).toBe(3);
    expect(outcome.results.map((r) => r.id)).toEqual(ids); // reported per booking, in the order sent
    const failed = outcome.results.filter((r) => !r.ok);
    expect(failed.map((r) => r.id).sort()).toEqual([approvedMeanwhile, cancelledMeanwhile, editedMeanwhile].sort());
    for (const f of failed) {
      if (f.ok) continue;
      expect(f.error.code).toBe("stale_version");
      expect(f.error.current).toEqual(expect.objectContaining({ id: f.id, version: expect.any(Number) }));
      expect(f.error.lastChange).toEqual(expect.objectContaining({ actorKind: expect.any(String), at: expect.any(String) }));
    }

    const after = await db.select().from(bookings).where(inArray(bookings.id, ids));
    const byId = new Map(after.map((b) => [b.id, b]));
    const confirmedByBulk = ids.filter((id) => ![approvedMeanwhile, cancelledMeanwhile, editedMeanwhile].includes(id));
    for (const id of confirmedByBulk) expect(byId.get(id)!.status).toBe("confirmed");
    // The three stale ones stay exactly as the other party left them.
    expect(byId.get(approvedMeanwhile)!.status).toBe("confirmed");
    expect(byId.get(cancelledMeanwhile)!.status).toBe("cancelled");
    expect(byId.get(editedMeanwhile)!).toEqual(beforeEdited);

    // Each approval was its own transaction with its own audit row by this admin, and queued its email.
    const audit = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from booking_events where booking_id = any(${sql.param(confirmedByBulk)}::uuid[]) and new_status = 'confirmed' and actor_id = ${admin.id} and ip = ${admin.ip}`,
    );
    expect(audit.rows[0]!.n).toBe(47);
    const emails = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(inArray(notifications.bookingId, confirmedByBulk), eq(notifications.kind, "booking_confirmed")));
    expect(emails).toHaveLength(47);
  });

  it("reports a booking that cannot take the action (already decided, or missing) per item and carries on", async () => {
    const { ids } = await pendingRequests(3, 44);
    await db.update(bookings).set({ status: "rejected" }).where(eq(bookings.id, ids[1]!));
    const [rejected] = await db.select().from(bookings).where(eq(bookings.id, ids[1]!));
    const missing = crypto.randomUUID();
    const outcome = await decideMany(db, {
      action: "reject",
      reason: "fully booked that week",
      items: [
        { id: ids[0]!, version: 1 },
        { id: ids[1]!, version: rejected!.version },
        { id: missing, version: 1 },
        { id: ids[2]!, version: 1 },
      ],
      actor: admin,
    });
    expect(outcome.results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "invalid_transition", "not_found", "ok"]);
    const [first] = await db.select().from(bookings).where(eq(bookings.id, ids[0]!));
    expect(first!.status).toBe("rejected");
    expect(first!.decisionReason).toBe("fully booked that week");
  });

  it("a single stale decision says who changed the booking and overwrites nothing", async () => {
    const { ids } = await pendingRequests(1, 46);
    await approveBooking(db, { bookingId: ids[0]!, version: 1, actor: otherAdmin });
    const error = await decideBooking(db, { action: "reject", bookingId: ids[0]!, version: 1, reason: "too late", actor: admin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoldfastError);
    expect((error as HoldfastError).code).toBe("stale_version");
    expect((error as HoldfastError).details).toEqual(
      expect.objectContaining({
        current: expect.objectContaining({ status: "confirmed", version: 2 }),
        lastChange: expect.objectContaining({ actorKind: "admin", toStatus: "confirmed" }),
      }),
    );
    const [row] = await db.select().from(bookings).where(eq(bookings.id, ids[0]!));
    expect(row!.status).toBe("confirmed");
    expect(row!.decisionReason).toBeNull();
  });
});
