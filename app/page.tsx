import Link from "next/link";
import { getDb } from "@/db/client";
import { duration } from "@/components/booking/format";
import { formatPrice } from "@/lib/studio/format-price";
import { InitialsAvatar } from "@/components/ui/initials-avatar";
import { listArtists } from "@/lib/studio/list-artists";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { zoneLabel } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const db = getDb();
  const [artists, studio] = await Promise.all([listArtists(db), getPublicStudioInfo(db)]);
  return (
    <main id="main">
      <h1>{studio.name}</h1>
      <p className="lede">
        Pick an artist and a service, choose a free time, and send your request. You get an email at every step, and a private link to change or cancel.
      </p>
      {artists.length === 0 ? <p className="notice">No artists are taking bookings right now. Please check back soon.</p> : null}
      <ul className="card-grid" aria-label="Artists">
        {artists.map((artist) => (
          <li key={artist.id} className="card artist-card">
            <div className="artist-head">
              <InitialsAvatar name={artist.name} />
              <div>
                <h2>
                  <Link href={`/artists/${artist.slug}`}>{artist.name}</Link>
                </h2>
                <p className="muted small">Times in {zoneLabel(artist.timezone)}</p>
              </div>
            </div>
            {artist.bio ? <p className="bio">{artist.bio}</p> : null}
            <ul className="service-list" aria-label={`Services by ${artist.name}`}>
              {artist.services.map((s) => (
                <li key={s.id}>
                  <Link
                    href={`/book/${artist.slug}/${s.slug}`}
                    className="service-link"
                    aria-label={`Book ${s.name} with ${artist.name}: ${duration(s.durationMinutes)}, ${formatPrice(s.priceCents, s.currency)}`}
                  >
                    <span className="service-name">{s.name}</span>
                    <span className="service-meta">
                      {duration(s.durationMinutes)} · {formatPrice(s.priceCents, s.currency)}
                    </span>
                    <span className="service-cta" aria-hidden="true">
                      Book →
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  );
}
