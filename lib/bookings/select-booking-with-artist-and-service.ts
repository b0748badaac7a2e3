import { eq } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { artists, bookings, services } from "@/db/schema";

// What every booking view (customer page and list, admin table, detail and calendar sync) shows of the artist and service.
const artistColumns = { id: artists.id, slug: artists.slug, name: artists.name, timezone: artists.timezone };
const serviceColumns = { id: services.id, slug: services.slug, name: services.name };

/**
 * Bookings with their artist and service as `{ booking, artist, service }`; the caller adds its
 * `where`, order and limit. `bookingColumns` narrows the booking to the columns a view needs
 * (default: the whole row).
 */
export function selectBookingsWithArtistAndService<B extends Record<string, PgColumn> | typeof bookings = typeof bookings>(db: Executor, bookingColumns?: B) {
  return db
    .select({ booking: (bookingColumns ?? bookings) as B, artist: artistColumns, service: serviceColumns })
    .from(bookings)
    .innerJoin(artists, eq(artists.id, bookings.artistId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .$dynamic();
}
