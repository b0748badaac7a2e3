import { randomUUID } from "node:crypto";
import { addDays } from "date-fns";
import { formatInTimeZone, fromZonedTime } from "date-fns-tz";
import { inject } from "vitest";
import { closeDb, getDb, type Database } from "@/db/client";
import { artistServices, artists, services, studioSettings, workingHours } from "@/db/schema";

/** Points the app's database handle at this run's fresh database. */
export function useTestDatabase(): Database {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  process.env.APP_URL ??= "http://holdfast.test";
  process.env.TZ = "UTC";
  return getDb();
}

export { closeDb };

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
  const tag = randomUUID().slice(0, 8);
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
