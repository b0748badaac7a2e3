import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { BookingFlow } from "@/components/booking/booking-flow";
import { ServiceFacts } from "@/components/booking/service-facts";
import { loadPickerMonth } from "@/lib/availability/load-picker-month";
import { HoldfastError } from "@/lib/errors";
import { loadIntakeFormConfig } from "@/lib/intake/load-intake-form";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { depositPolicyLine } from "@/lib/payments/customer-payment";
import { mondayOf } from "@/lib/time/calendar-dates";
import { localDateInZone } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

const clampWeek = (monday: string, min: string, max: string) => (monday < min ? min : monday > max ? max : monday);

type Params = { artist: string; service: string };
type Search = { week?: string | string[]; month?: string | string[] };

/** One read per request, shared by the metadata and the page. */
const load = cache(async (artistRef: string, serviceRef: string, week: string | null, month: string | null) => {
  const db = getDb();
  try {
    const [picker, studio] = await Promise.all([loadPickerMonth(db, { artist: artistRef, service: serviceRef, week, month }), getPublicStudioInfo(db)]);
    return { picker, studio };
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") notFound();
    throw err;
  }
});

const weekParam = (search: Search) => (typeof search.week === "string" ? search.week : null);
const monthParam = (search: Search) => (typeof search.month === "string" ? search.month : null);

export async function generateMetadata({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }): Promise<Metadata> {
  const p = await params;
  const search = await searchParams;
  const { picker } = await load(p.artist, p.service, weekParam(search), monthParam(search));
  return { title: `Book ${picker.bookable.service.name} with ${picker.bookable.artist.name}` };
}

export default async function BookServicePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const p = await params;
  const search = await searchParams;
  const { picker, studio } = await load(p.artist, p.service, weekParam(search), monthParam(search));
  const { artist, service } = picker.bookable;
  const intake = await loadIntakeFormConfig(getDb(), service.id);
  // The Week view opens on the requested week, else on the week of the first free time the server found.
  const firstStart = picker.slots[0]?.start;
  const initialWeek = picker.week ?? mondayOf(firstStart ? localDateInZone(new Date(firstStart), artist.timezone) : `${picker.month}-01`);
  // The deposit line: ServiceFacts prints one as soon as the service carries it.
  const facts = <ServiceFacts service={service} />;
  // Seen before sending: the deposit, how it is paid, and when it comes back (lib/payments).
  const depositPolicy = service.deposit ? await depositPolicyLine(getDb(), service.deposit) : null;
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
      <ServiceFacts service={service} className="service-facts lede" />
      {service.description ? <p className="service-description">{service.description}</p> : null}
      <BookingFlow
        intake={intake}
        artist={{ slug: artist.slug, name: artist.name, timezone: artist.timezone }}
        service={{ slug: service.slug, name: service.name, durationMinutes: service.durationMinutes, autoConfirm: service.autoConfirm }}
        studioName={studio.name}
        studioZoneLabel={picker.zoneLabel}
        policyText={depositPolicy ? `${depositPolicy}${studio.policyText ? ` ${studio.policyText}` : ""}` : studio.policyText}
        cancellationNoticeHours={studio.cancellationNoticeHours}
        initialMonth={picker.month}
        monthSlots={picker.slots}
        minMonth={picker.minMonth}
        maxMonth={picker.maxMonth}
        initialWeek={clampWeek(initialWeek, picker.minWeek, picker.maxWeek)}
        minWeek={picker.minWeek}
        maxWeek={picker.maxWeek}
        initialView={picker.week ? "week" : "month"}
        hours={picker.bookable.hours}
        rules={picker.bookable.rules}
        timeOff={picker.timeOff}
        now={picker.now}
        serviceFacts={facts}
      />
    </main>
  );
}
