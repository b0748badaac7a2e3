import { asc, eq, and, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artistServices, artists, services } from "@/db/schema";
import { computeDepositCents } from "@/lib/payments/deposit";

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
    deposit: { amountCents: number; currency: string } | null;
    /** Kinds of resource (room, station) booked with the artist; empty when none. */
    needs: { kind: string }[];
  }[];
};

/** Active artists and the active services each offers (with per-artist price and duration). */
export async function listArtists(db: Executor): Promise<ArtistWithServices[]> {
  const rows = await db
    .select({
      artist: artists,
      service: services,
      durationOverride: artistServices.durationMinutes,
      priceOverride: artistServices.priceCents,
      needs: sql<{ kind: string }[]>`(select coalesce(json_agg(json_build_object('kind', n.kind) order by n.kind), '[]'::json)
        from service_resource_needs n where n.service_id = ${services.id})`,
    })
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
        deposit: depositOf(row.service, row.priceOverride ?? row.service.priceCents),
        needs: row.needs,
      });
    }
  }
  return [...byId.values()];
}

function depositOf(service: { depositKind: string; depositValue: number; currency: string }, priceCents: number) {
  const amountCents = computeDepositCents({ kind: service.depositKind, value: service.depositValue }, priceCents);
  return amountCents > 0 ? { amountCents, currency: service.currency } : null;
}
