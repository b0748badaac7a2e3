import { randomUUID } from "node:crypto";
import { addDays } from "date-fns";
import { formatInTimeZone, fromZonedTime } from "date-fns-tz";
import { afterAll, inject } from "vitest";
import { closeDb, getDb, type Database } from "@/db/client";
import { artistServices, artists, bookings, services, studioSettings, workingHours } from "@/db/schema";

// One body for both entry points: eslint's React-hooks rule refuses a `use…` call from setupTestDatabase.
function connectTestDatabase(): Database {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  process.env.APP_URL ??= "http://holdfast.test";
  process.env.TZ = "UTC";
  return getDb();
}

/** Points the app's database handle at this run's fresh database. */
export function useTestDatabase(): Database {
  return connectTestDatabase();
}

export { closeDb };

/** The test file's database, from its collection on; the pool is closed after the file's last test. */
export function setupTestDatabase(): Database {
  const db = connectTestDatabase();
  afterAll(async () => {
    await closeDb();
  });
  return db;
}

/** A short random tag that keeps a test's emails, slugs and keys apart from every other test's. */
export const uniqueTag = () => randomUUID().slice(0, 8);

export type TestStudioOptions = {
  timezone?: string;
  durationMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  autoConfirm?: boolean;
  minNoticeMinutes?: number;
  slotStepMinutes?: number;
  /** weekday 1–7 → [start, end]; default Monday–Sunday 09:00–17:00 */
  hours?: { weekday: number; start: string; end: string }[];
  effectiveFrom?: string;
};

/** A fresh artist offering one fresh service, so tests never share slots with each other. */
export async function createTestArtist(db: Database, opts: TestStudioOptions = {}) {
  await db.insert(studioSettings).values({ id: 1, name: "Test Studio", email: "studio@test.example", timezone: "Europe/Berlin" }).onConflictDoNothing();
  const tag = uniqueTag();
  const [artist] = await db
    .insert(artists)
    .values({ slug: `artist-${tag}`, name: `Artist ${tag}`, timezone: opts.timezone ?? "Europe/Berlin" })
    .returning();
  const [service] = await db
    .insert(services)
    .values({
      slug: `service-${tag}`,
      name: `Service ${tag}`,
      durationMinutes: opts.durationMinutes ?? 60,
      bufferBeforeMinutes: opts.bufferBeforeMinutes ?? 0,
      bufferAfterMinutes: opts.bufferAfterMinutes ?? 0,
      autoConfirm: opts.autoConfirm ?? false,
      minNoticeMinutes: opts.minNoticeMinutes ?? 0,
      slotStepMinutes: opts.slotStepMinutes ?? 30,
      bookingWindowDays: 3650,
    })
    .returning();
  await db.insert(artistServices).values({ artistId: artist!.id, serviceId: service!.id });
  const hours = opts.hours ?? [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "17:00" }));
  await db
    .insert(workingHours)
    .values(
      hours.map((h) => ({ artistId: artist!.id, effectiveFrom: opts.effectiveFrom ?? "2020-01-01", weekday: h.weekday, startTime: h.start, endTime: h.end })),
    );
  return { artist: artist!, service: service! };
}

/**
 * A slot `daysAhead` days after today *in the given zone*, at `time` local time there, as a UTC
 * instant. The date is the zone's own date (not UTC's), and the local time is converted with the
 * zone's rules for that exact moment, so it holds just before midnight in any zone and on DST
 * change days. Use daysAhead >= 1: daysAhead 0 depends on the time of day the test runs.
 */
export function futureSlot(daysAhead: number, time = "10:00", timezone = "Europe/Berlin", now: Date = new Date()) {
  const today = formatInTimeZone(now, timezone, "yyyy-MM-dd");
  const date = addDays(new Date(`${today}T12:00:00Z`), daysAhead)
    .toISOString()
    .slice(0, 10);
  return fromZonedTime(`${date}T${time}:00`, timezone);
}

type BookingRow = typeof bookings.$inferInsert;

/**
 * A booking row written straight into the table (no hold, no mails, no calendar push), for tests
 * of what reads or decides on an existing booking: pending and an hour long unless `row` says otherwise.
 */
export async function insertTestBooking(
  db: Database,
  row: { artistId: string; serviceId: string; start: Date } & Omit<Partial<BookingRow>, "startsAt" | "caldavUid">,
): Promise<string> {
  const { start, id = randomUUID(), ...rest } = row;
  await db.insert(bookings).values({
    id,
    startsAt: start,
    endsAt: new Date(start.getTime() + 3_600_000),
    status: "pending",
    caldavUid: `${id}@holdfast`,
    ...rest,
  });
  return id;
}
