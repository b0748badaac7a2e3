import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artistServices, artists, services, type Artist, type Service } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { listWorkingHoursVersions, type HoursVersion } from "@/lib/studio/working-hours";
import { getStudioSettings } from "@/lib/studio/studio-settings";

export type StudioSetup = {
  /** The contact details as stored (the form edits these strings; customers see getPublicStudioInfo's links). */
  contact: { email: string; address: string; phone: string; mapUrl: string };
  artists: (Artist & { serviceIds: string[] })[];
  services: Service[];
};

/** The studio's contact details, every artist (active or not) with the services they offer, and every service. */
export async function getStudioSetup(db: Executor): Promise<StudioSetup> {
  const [settings, artistRows, serviceRows, links] = await Promise.all([
    getStudioSettings(db),
    db.select().from(artists).orderBy(asc(artists.name)),
    db.select().from(services).orderBy(asc(services.name)),
    db.select().from(artistServices).where(eq(artistServices.active, true)),
  ]);
  return {
    contact: { email: settings.email, address: settings.address, phone: settings.phone, mapUrl: settings.mapUrl },
    artists: artistRows.map((a) => ({ ...a, serviceIds: links.filter((l) => l.artistId === a.id).map((l) => l.serviceId) })),
    services: serviceRows,
  };
}

/** One artist with their services and schedule versions, for the artist's setup page. */
export async function getArtistSetup(
  db: Executor,
  artistId: string,
): Promise<{ artist: Artist & { serviceIds: string[] }; services: Service[]; versions: HoursVersion[] }> {
  if (!/^[0-9a-f-]{36}$/i.test(artistId)) throw notFound("That artist");
  const [artist] = await db.select().from(artists).where(eq(artists.id, artistId));
  if (!artist) throw notFound("That artist");
  const [serviceRows, links, versions] = await Promise.all([
    db.select().from(services).orderBy(asc(services.name)),
    db.select().from(artistServices).where(eq(artistServices.artistId, artistId)),
    listWorkingHoursVersions(db, artistId),
  ]);
  return { artist: { ...artist, serviceIds: links.filter((l) => l.active).map((l) => l.serviceId) }, services: serviceRows, versions };
}

export async function getService(db: Executor, serviceId: string): Promise<Service> {
  if (!/^[0-9a-f-]{36}$/i.test(serviceId)) throw notFound("That service");
  const [service] = await db.select().from(services).where(eq(services.id, serviceId));
  if (!service) throw notFound("That service");
  return service;
}

/** The studio's own zone (for times that belong to no artist, like log entries). */
export async function studioTimezone(db: Executor): Promise<string> {
  return (await getStudioSettings(db)).timezone;
}
