import Link from "next/link";
import { getDb } from "@/db/client";
import { ServiceFacts } from "@/components/booking/service-facts";
import { ArtistPortfolio } from "@/components/artist-portfolio";
import { ArtistPortrait } from "@/components/artist-portrait";
import { loadArtistMedia } from "@/lib/media/artist-media";
import { listArtists } from "@/lib/studio/list-artists";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { zoneLabel } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const db = getDb();
  const [artists, studio] = await Promise.all([listArtists(db), getPublicStudioInfo(db)]);
  const media = await loadArtistMedia(
    db,
    artists.map((a) => a.id),
  );
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
              <ArtistPortrait name={artist.name} portrait={media.get(artist.id)?.portrait} />
              <div>
                <h2>
                  <Link href={`/artists/${artist.slug}`}>{artist.name}</Link>
                </h2>
                <p className="muted small">Times in {zoneLabel(artist.timezone)}</p>
              </div>
            </div>
            {artist.bio ? <p className="bio">{artist.bio}</p> : null}
            <ArtistPortfolio artistName={artist.name} images={media.get(artist.id)?.portfolio ?? []} limit={3} />
            <ul className="service-list" aria-label={`Services by ${artist.name}`}>
              {artist.services.map((s) => (
                <li key={s.id}>
                  {/* No aria-label: the link is named by what it shows, so voice control ("click Book") finds it. */}
                  <Link href={`/book/${artist.slug}/${s.slug}`} className="service-link">
                    <span className="service-name">{s.name}</span>
                    <ServiceFacts service={s} className="service-meta" />
                    <span className="service-cta">
                      Book<span aria-hidden="true"> →</span>
                    </span>
                  </Link>
                  {s.description ? <p className="service-desc">{s.description}</p> : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  );
}
