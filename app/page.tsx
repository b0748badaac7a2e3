import Link from "next/link";
import { getDb } from "@/db/client";
import { listArtists } from "@/lib/studio/list-artists";
import { zoneLabel } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

function price(cents: number, currency: string) {
  if (cents === 0) return "Free";
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}

export default async function HomePage() {
  const artists = await listArtists(getDb());
  return (
    <main id="main">
      <h1>Book a session</h1>
      <p className="lede">Pick an artist and a service, choose a free time, and send your request. You get an email at every step.</p>
      <ul className="card-grid" aria-label="Artists">
        {artists.map((artist) => (
          <li key={artist.id} className="card">
            <h2>
              <Link href={`/artists/${artist.slug}`}>{artist.name}</Link>
            </h2>
            <p className="muted">{artist.bio}</p>
            <p className="muted">Times in {zoneLabel(artist.timezone)}</p>
            <ul className="service-list">
              {artist.services.map((s) => (
                <li key={s.id}>
                  <span>
                    {s.name} · {s.durationMinutes} min
                  </span>
                  <span>{price(s.priceCents, s.currency)}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  );
}
