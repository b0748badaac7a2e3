import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { ArtistForm } from "@/components/admin/artist-form";
import { ArtistMediaSection } from "@/components/admin/artist-media-section";
import { ArtistServicesForm } from "@/components/admin/artist-services-form";
import { OutsideHoursList } from "@/components/admin/outside-hours-list";
import { TimeOffSection } from "@/components/admin/time-off-section";
import { WorkingHoursForm } from "@/components/admin/working-hours-form";
import { getArtistSetup } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { HoldfastError } from "@/lib/errors";
import { loadArtistMedia } from "@/lib/media/artist-media";
import { listTimeOff, serializeTimeOff } from "@/lib/studio/time-off";
import { bookingsOutsideHours } from "@/lib/studio/working-hours";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { defaultStudioZone } from "@/lib/studio/studio-settings";

export const metadata: Metadata = { title: "Artist" };
export const dynamic = "force-dynamic";

const WEEKDAYS = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export default async function ArtistSetupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/studio/artists/${id}`);
  if (id === "new") {
    return (
      <>
        <p className="small">
          <Link href="/admin/studio">← Studio setup</Link>
        </p>
        <h1>New artist</h1>
        <ArtistForm artist={{ name: "", slug: "", bio: "", email: null, timezone: defaultStudioZone(), active: true, notifyByEmail: true }} />
      </>
    );
  }
  const db = getDb();
  let setup;
  try {
    setup = await getArtistSetup(db, id);
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") notFound();
    throw err;
  }
  const { artist, services, versions } = setup;
  const [outside, mediaByArtist] = await Promise.all([bookingsOutsideHours(db, artist.id), loadArtistMedia(db, [artist.id])]);
  const media = mediaByArtist.get(artist.id) ?? { portrait: null, portfolio: [] };
  // Current and upcoming time off; what is over no longer blocks anything worth showing.
  const timeOff = (await listTimeOff(db, artist.id, { from: new Date() })).map(serializeTimeOff);
  const today = localDateInZone(new Date(), artist.timezone);
  const base = versions.find((v) => v.inForce) ?? versions[0];
  const latest = versions[0];
  return (
    <>
      <p className="small">
        <Link href="/admin/studio">← Studio setup</Link>
      </p>
      <h1>{artist.name}</h1>
      <ArtistForm
        artist={{
          id: artist.id,
          name: artist.name,
          slug: artist.slug,
          bio: artist.bio,
          email: artist.email,
          timezone: artist.timezone,
          active: artist.active,
          notifyByEmail: artist.notifyByEmail,
        }}
      />
      <ArtistMediaSection artistId={artist.id} artistName={artist.name} portrait={media.portrait} portfolio={media.portfolio} />
      <ArtistServicesForm artistId={artist.id} services={services.map((s) => ({ id: s.id, name: s.name, active: s.active }))} selected={artist.serviceIds} />
      <WorkingHoursForm artistId={artist.id} timezone={artist.timezone} today={today} initial={(latest ?? base)?.ranges ?? []} />
      <section className="panel" aria-labelledby="versions-title">
        <h2 id="versions-title">Schedule versions</h2>
        {versions.length === 0 ? (
          <p className="muted">No hours yet: customers see no free times.</p>
        ) : (
          <ul className="feed">
            {versions.map((v) => (
              <li key={v.effectiveFrom} data-severity={v.inForce ? "info" : undefined}>
                <strong>
                  From {v.effectiveFrom}
                  {v.inForce ? " (in force today)" : v.effectiveFrom > today ? " (upcoming)" : " (past)"}
                </strong>
                <div className="small">{v.ranges.map((r) => `${WEEKDAYS[r.weekday]} ${r.start}–${r.end}`).join(" · ")}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <TimeOffSection artistId={artist.id} timezone={artist.timezone} today={today} rows={timeOff} />
      <OutsideHoursList bookings={outside} />
    </>
  );
}
