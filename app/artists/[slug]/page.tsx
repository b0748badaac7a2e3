import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { ServiceFacts } from "@/components/booking/service-facts";
import { ArtistPortfolio } from "@/components/artist-portfolio";
import { ArtistPortrait } from "@/components/artist-portrait";
import { loadArtistMedia } from "@/lib/media/artist-media";
import { listArtists } from "@/lib/studio/list-artists";
import { zoneLabel } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

const findArtist = cache(async (slug: string) => (await listArtists(getDb())).find((a) => a.slug === slug) ?? null);

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const artist = await findArtist((await params).slug);
  return { title: artist ? artist.name : "Artist not found" };
}

export default async function ArtistPage({ params }: { params: Promise<{ slug: string }> }) {
  const artist = await findArtist((await params).slug);
  if (!artist) notFound();
  const media = (await loadArtistMedia(getDb(), [artist.id])).get(artist.id);
  return (
    <main id="main">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">
          <span aria-hidden="true">←</span> All artists
        </Link>
      </nav>
      <div className="artist-head large">
        <ArtistPortrait name={artist.name} portrait={media?.portrait} size="lg" />
        <div>
          <h1>{artist.name}</h1>
          <p className="muted small">Times in {zoneLabel(artist.timezone)}</p>
        </div>
      </div>
      {artist.bio ? <p className="lede">{artist.bio}</p> : null}
      <ArtistPortfolio artistName={artist.name} images={media?.portfolio ?? []} />
      <h2>Services</h2>
      {artist.services.length === 0 ? <p className="notice">{artist.name} is not taking bookings right now.</p> : null}
      <ul className="service-cards">
        {artist.services.map((s) => (
          <li key={s.id} className="card service-card">
            <h3>{s.name}</h3>
            <ServiceFacts service={s} className="service-meta" />
            {s.description ? <p>{s.description}</p> : null}
            {/* The name starts with the visible words, so voice control ("click Choose a time") works; the service makes it unique. */}
            <Link className="button primary" href={`/book/${artist.slug}/${s.slug}`}>
              Choose a time<span className="sr-only"> for {s.name}</span>
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
