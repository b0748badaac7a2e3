/**
 * The availability cache (lib/availability/slot-cache.ts) on a real Postgres with the version
 * triggers of migration 0019: every change that takes or frees time (a booking,
 * a hold, a busy block, time off, a resource's use) is seen by the very next read, also by a
 * second app instance (a second pool), and a stale answer can still only end in a 409.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
import { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import type { Database } from "@/db/client";
import { artistServices, artists, busyBlocks, resources, workingHours } from "@/db/schema";
import { getAvailability } from "@/lib/availability/get-availability";
import { resetSlotCache } from "@/lib/availability/slot-cache";
import { createHold } from "@/lib/bookings/create-hold";
import { BookingConflictError } from "@/lib/bookings/booking-conflict-error";
import { createResource, setServiceNeeds } from "@/lib/resources/resource-commands";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { eq } from "drizzle-orm";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const TZ = "Europe/Berlin";
const db = setupTestDatabase();
let otherPool: Pool;
let otherInstance: Database;

beforeAll(async () => {
  resetSlotCache();
  otherPool = new Pool({ connectionString: (db.$client as Pool).options.connectionString, max: 2 });
  otherInstance = drizzle(otherPool, { schema }) as unknown as Database;
});
afterAll(async () => {
  await otherPool?.end();
});

const day = (daysAhead: number) => localDateInZone(futureSlot(daysAhead, "12:00", TZ), TZ);
const starts = async (executor: Database, artist: string, service: string, date: string) =>
  (await getAvailability(executor, { artist, service, fromDate: date, toDate: date })).slots.map((s) => s.start.toISOString());

describe("availability cache", () => {
  it("a booking, a busy block and their removal are seen by the next read in this and another app instance", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: TZ });
    const date = day(20);
    const ten = futureSlot(20, "10:00", TZ).toISOString();
    const fourteen = futureSlot(20, "14:00", TZ);
    expect(await starts(db, artist.slug, service.slug, date)).toContain(ten);
    expect(await starts(otherInstance, artist.slug, service.slug, date)).toContain(ten);

    const bookingId = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: new Date(ten), status: "confirmed" });
    expect(await starts(db, artist.slug, service.slug, date)).not.toContain(ten);
    expect(await starts(otherInstance, artist.slug, service.slug, date)).not.toContain(ten);

    await db.insert(busyBlocks).values({ artistId: artist.id, startsAt: fourteen, endsAt: new Date(fourteen.getTime() + 3_600_000), sourceUid: "cache-test" });
    expect(await starts(otherInstance, artist.slug, service.slug, date)).not.toContain(fourteen.toISOString());

    await db.execute(sql`update bookings set status = 'cancelled' where id = ${bookingId}`);
    await db.execute(sql`delete from busy_blocks where artist_id = ${artist.id}`);
    expect(await starts(db, artist.slug, service.slug, date)).toEqual(expect.arrayContaining([ten, fourteen.toISOString()]));
    expect(await starts(otherInstance, artist.slug, service.slug, date)).toEqual(expect.arrayContaining([ten, fourteen.toISOString()]));
  });

  it("a hold placed through one instance disappears from the other's next answer, and a second customer holding that time gets a 409", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: TZ });
    const date = day(22);
    const eleven = futureSlot(22, "11:00", TZ);
    expect(await starts(otherInstance, artist.slug, service.slug, date)).toContain(eleven.toISOString());
    await createHold(db, { artist: artist.slug, service: service.slug, start: eleven, actor: { kind: "customer" } });
    expect(await starts(otherInstance, artist.slug, service.slug, date)).not.toContain(eleven.toISOString());
    await expect(createHold(otherInstance, { artist: artist.slug, service: service.slug, start: eleven, actor: { kind: "customer" } })).rejects.toBeInstanceOf(
      BookingConflictError,
    );
  });

  it("a customer's details edited on a booking keep the artist's cached answers; a status change drops them", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: TZ });
    const bookingId = await insertTestBooking(db, { artistId: artist.id, serviceId: service.id, start: futureSlot(26, "10:00", TZ), status: "pending" });
    const version = async () =>
      (await db.execute<{ version: string }>(sql`select version::text from availability_versions where scope = ${`artist:${artist.id}`}`)).rows[0]?.version;
    const before = await version();
    expect(before).toBeDefined();
    await db.execute(sql`update bookings set customer_name = 'Renamed', notes = 'new notes' where id = ${bookingId}`);
    expect(await version()).toBe(before);
    await db.execute(sql`update bookings set status = 'cancelled' where id = ${bookingId}`);
    expect(await version()).not.toBe(before);
  });

  it("the notice period moves with the clock even while the cached starts stay valid", async () => {
    const { artist, service } = await createTestArtist(db, { timezone: TZ, minNoticeMinutes: 24 * 60 });
    const date = day(30);
    const nine = futureSlot(30, "09:00", TZ);
    const first = await getAvailability(db, { artist: artist.slug, service: service.slug, fromDate: date, toDate: date, now: addDaysTo(nine, -2) });
    expect(first.slots.map((s) => s.start.toISOString())).toContain(nine.toISOString());
    // Half a day before 09:00 the 24-hour notice excludes it, from the same cached starts.
    const later = await getAvailability(db, {
      artist: artist.slug,
      service: service.slug,
      fromDate: date,
      toDate: date,
      now: new Date(nine.getTime() - 12 * 3_600_000),
    });
    expect(later.slots).toHaveLength(0);
  });
});

describe("availability cache with rooms", () => {
  it("the practice's only room taken by one therapist's customer disappears from the other therapist's next answer, and comes back when the room is freed", async () => {
    const first = await createTestArtist(db, { timezone: TZ, durationMinutes: 60, slotStepMinutes: 60 });
    const tag = uniqueTag();
    const [second] = await db
      .insert(artists)
      .values({ slug: `therapist-${tag}`, name: `Therapist ${tag}`, timezone: TZ })
      .returning();
    await db.insert(artistServices).values({ artistId: second!.id, serviceId: first.service.id });
    await db
      .insert(workingHours)
      .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ artistId: second!.id, effectiveFrom: "2020-01-01", weekday, startTime: "09:00", endTime: "17:00" })));
    const kind = `room-${uniqueTag()}`;
    const room = await createResource(db, { name: "The only room", kind, cleanupMinutes: 0 });
    await setServiceNeeds(db, first.service.id, { needs: [{ kind, resourceIds: [] }] });
    const date = day(24);
    const eleven = futureSlot(24, "11:00", TZ);
    expect(await starts(otherInstance, second!.slug, first.service.slug, date)).toContain(eleven.toISOString());

    await createHold(db, { artist: first.artist.slug, service: first.service.slug, start: eleven, actor: { kind: "customer" } });
    expect(await starts(otherInstance, second!.slug, first.service.slug, date)).not.toContain(eleven.toISOString());

    // A second room of the kind opens the time again for the other therapist.
    await createResource(db, { name: "A second room", kind, cleanupMinutes: 0 });
    expect(await starts(otherInstance, second!.slug, first.service.slug, date)).toContain(eleven.toISOString());
    // And closing both rooms closes every time.
    await db.update(resources).set({ active: false }).where(eq(resources.kind, kind));
    expect(await starts(otherInstance, second!.slug, first.service.slug, date)).toEqual([]);
    expect(room.id).toBeTruthy();
  });
});

function addDaysTo(instant: Date, days: number) {
  return new Date(instant.getTime() + days * 86_400_000);
}
