import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { artistServices, artists, services, studioSettings } from "@/db/schema";
import { pgConstraintName, pgErrorCode } from "@/lib/bookings/booking-conflict-error";
import { HoldfastError, notFound } from "@/lib/errors";
import { parseOrThrow } from "./parse";
import {
  artistInputSchema,
  artistServicesInputSchema,
  serviceInputSchema,
  studioContactInputSchema,
  type ArtistInput,
  type ServiceInput,
  type StudioContact,
  type StudioContactInput,
} from "./schemas";
import { studioSettingsDefaults } from "./studio-settings";

function slugTaken(err: unknown, what: string): never {
  if (pgErrorCode(err) === "23505" && (pgConstraintName(err) ?? "").includes("slug")) {
    throw new HoldfastError("invalid_input", `Another ${what} already uses this slug`, { fields: { slug: [`Another ${what} already uses this slug`] } });
  }
  throw err;
}

/**
 * Creates or updates an artist. Changing the time zone never moves a booking (they are instants);
 * the artist's weekly hours are read in the new zone from then on.
 */
export async function saveArtist(db: Database, input: ArtistInput) {
  const data = parseOrThrow(artistInputSchema, input);
  const values = {
    name: data.name,
    slug: data.slug,
    bio: data.bio,
    email: data.email ?? null,
    timezone: data.timezone,
    active: data.active,
    notifyByEmail: data.notifyByEmail,
  };
  try {
    if (data.id) {
      const [row] = await db.update(artists).set(values).where(eq(artists.id, data.id)).returning();
      if (!row) throw notFound("That artist");
      return row;
    }
    const [row] = await db.insert(artists).values(values).returning();
    return row!;
  } catch (err) {
    return slugTaken(err, "artist");
  }
}

/**
 * Creates or updates a service. Existing bookings keep the duration and buffers they were made
 * with (bookings store their own), so editing a service never moves or overlaps them. The same
 * holds for the deposit: a booking snapshots its depositCents, so a changed deposit applies to new
 * bookings only. The schema gives the deposit in stored units (cents or a percentage), or leaves
 * both columns out to keep them.
 */
export async function saveService(db: Database, input: ServiceInput) {
  const data = parseOrThrow(serviceInputSchema, input);
  const { id, ...values } = data;
  try {
    if (id) {
      const [row] = await db.update(services).set(values).where(eq(services.id, id)).returning();
      if (!row) throw notFound("That service");
      return row;
    }
    const [row] = await db.insert(services).values(values).returning();
    return row!;
  } catch (err) {
    return slugTaken(err, "service");
  }
}

/**
 * The studio's contact details. A studio that never saved its settings (no row yet) gets one, with
 * the same name and zone every reader already assumed for it (studioSettingsDefaults).
 */
export async function saveStudioContact(db: Executor, input: StudioContactInput): Promise<StudioContact> {
  const contact = parseOrThrow(studioContactInputSchema, input);
  const defaults = studioSettingsDefaults();
  const [row] = await db
    .insert(studioSettings)
    .values({ id: 1, name: defaults.name, timezone: defaults.timezone, ...contact })
    .onConflictDoUpdate({ target: studioSettings.id, set: { ...contact, updatedAt: sql`now()` } })
    .returning({ email: studioSettings.email, address: studioSettings.address, phone: studioSettings.phone, mapUrl: studioSettings.mapUrl });
  return row!;
}

/**
 * Which services an artist offers. Links that are dropped are switched off, not deleted, so
 * per-artist price and duration overrides survive being switched on again.
 */
export async function setArtistServices(db: Database, input: { artistId: string; serviceIds: string[] }) {
  const data = parseOrThrow(artistServicesInputSchema, input);
  return db.transaction(async (tx) => {
    const [artist] = await tx.select({ id: artists.id }).from(artists).where(eq(artists.id, data.artistId));
    if (!artist) throw notFound("That artist");
    if (data.serviceIds.length) {
      await tx
        .insert(artistServices)
        .values(data.serviceIds.map((serviceId) => ({ artistId: data.artistId, serviceId, active: true })))
        .onConflictDoUpdate({ target: [artistServices.artistId, artistServices.serviceId], set: { active: true } });
    }
    await tx
      .update(artistServices)
      .set({ active: false })
      .where(and(eq(artistServices.artistId, data.artistId), data.serviceIds.length ? notInArray(artistServices.serviceId, data.serviceIds) : sql`true`));
    return tx
      .select()
      .from(artistServices)
      .where(and(eq(artistServices.artistId, data.artistId), eq(artistServices.active, true)));
  });
}
