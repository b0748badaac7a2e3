import { asc, eq, and } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artistServices, artists, services } from "@/db/schema";

export type ArtistWithServices = {
  id: string;
  slug: string;
  name: string;
  bio: string;
  timezone: string;
  services: {
    id: string;
    slug: string;
    name: string;
    description: string;
    durationMinutes: number;
    priceCents: number;
    currency: string;
    autoConfirm: boolean;
  }[];
};

/** Active artists and the active services each offers (with per-artist price and duration). */
export async function listArtists(db: Executor): Promise<ArtistWithServices[]> {
  const rows = await db
    .select({ artist: artists, service: services, durationOverride: artistServices.durationMinutes, priceOverride: artistServices.priceCents })
    .from(artists)
    .leftJoin(artistServices, and(eq(artistServices.artistId, artists.id), eq(artistServices.active, true)))
    .leftJoin(services, and(eq(services.id, artistServices.serviceId), eq(services.active, true)))
    .where(eq(artists.active, true))
    .orderBy(asc(artists.name), asc(services.name));

  const byId = new Map<string, ArtistWithServices>();
  for (const row of rows) {
    let artist = byId.get(row.artist.id);
    if (!artist) {
      artist = { id: row.artist.id, slug: row.artist.slug, name: row.artist.name, bio: row.artist.bio, timezone: row.artist.timezone, services: [] };
      byId.set(artist.id, artist);
    }
    if (row.service) {
      artist.services.push({
        id: row.service.id,
        slug: row.service.slug,
        name: row.service.name,
        description: row.service.description,
        durationMinutes: row.durationOverride ?? row.service.durationMinutes,
        priceCents: row.priceOverride ?? row.service.priceCents,
        currency: row.service.currency,
        autoConfirm: row.service.autoConfirm,
      });
    }
  }
  return [...byId.values()];
}
