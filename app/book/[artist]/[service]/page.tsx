import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { BookingFlow } from "@/components/booking/booking-flow";
import { duration } from "@/components/booking/format";
import { formatPrice } from "@/lib/studio/format-price";
import { loadPickerWeek } from "@/lib/availability/load-picker-week";
import { HoldfastError } from "@/lib/errors";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";

export const dynamic = "force-dynamic";

type Params = { artist: string; service: string };
type Search = { week?: string | string[] };

/** One read per request, shared by the metadata and the page. */
const load = cache(async (artistRef: string, serviceRef: string, week: string | null) => {
  const db = getDb();
  try {
    const [picker, studio] = await Promise.all([loadPickerWeek(db, { artist: artistRef, service: serviceRef, week }), getPublicStudioInfo(db)]);
    return { picker, studio };
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") notFound();
    throw err;
  }
});

const weekParam = (search: Search) => (typeof search.week === "string" ? search.week : null);

export async function generateMetadata({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }): Promise<Metadata> {
  const p = await params;
  const { picker } = await load(p.artist, p.service, weekParam(await searchParams));
  return { title: `Book ${picker.bookable.service.name} with ${picker.bookable.artist.name}` };
}

export default async function BookServicePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const p = await params;
  const { picker, studio } = await load(p.artist, p.service, weekParam(await searchParams));
  const { artist, service } = picker.bookable;
  return (
    <main id="main" className="book-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={`/artists/${artist.slug}`}>
          <span aria-hidden="true">←</span> {artist.name}
        </Link>
      </nav>
      <h1>
        {service.name} <span className="with">with {artist.name}</span>
      </h1>
      <p className="lede">
        {duration(service.durationMinutes)} · {formatPrice(service.priceCents, service.currency)} ·{" "}
        {service.autoConfirm ? "confirmed instantly" : "the studio confirms your request"}
      </p>
      <BookingFlow
        artist={{ slug: artist.slug, name: artist.name, timezone: artist.timezone }}
        service={{ slug: service.slug, name: service.name, durationMinutes: service.durationMinutes, autoConfirm: service.autoConfirm }}
        studioName={studio.name}
        studioZoneLabel={picker.zoneLabel}
        policyText={studio.policyText}
        cancellationNoticeHours={studio.cancellationNoticeHours}
        initialWeek={picker.week}
        initialSlots={picker.slots}
        minWeek={picker.minWeek}
        maxWeek={picker.maxWeek}
      />
    </main>
  );
}
