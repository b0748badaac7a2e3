import { randomUUID } from "node:crypto";
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
  const [artist] = await db.insert(artists).values({ slug: `artist-${tag}`, name: `Artist ${tag}`, timezone: opts.timezone ?? "Europe/Berlin" }).returning();
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
  await db.insert(workingHours).values(hours.map((h) => ({ artistId: artist!.id, effectiveFrom: opts.effectiveFrom ?? "2020-01-01", weekday: h.weekday, startTime: h.start, endTime: h.end })));
  return { artist: artist!, service: service! };
}

/** A weekday morning comfortably in the future, at 10:00 in the given zone, as a UTC instant. */
export function futureSlot(daysAhead: number, time = "10:00", timezone = "Europe/Berlin") {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  const date = day.toISOString().slice(0, 10);
  const local = new Date(`${date}T${time}:00Z`);
  // Offset of the zone on that date, via Intl (tests only need whole-hour zones).
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" }).formatToParts(local);
  const offset = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(offset);
  const minutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
  return new Date(local.getTime() - minutes * 60_000);
}
