import type { Metadata } from "next";
import Link from "next/link";
import { BookingSummary } from "@/components/booking/booking-summary";
import { DepositNotice } from "@/components/booking/deposit-notice";
import { loadCustomerBookingOr404, privatePageMetadata, tokenParam } from "@/app/bookings/load-customer-booking";
import { loadPickerWeek } from "@/lib/availability/load-picker-week";
import { ManageActions } from "@/components/booking/manage-actions";
import { SeriesActions } from "@/components/booking/series-actions";
import { StatusHistory } from "@/components/booking/status-history";
import { getDb } from "@/db/client";
import { getCustomerPaymentView } from "@/lib/payments/customer-payment";
import { CUSTOMER_REPEAT_MAX_COUNT, getCustomerSeriesView } from "@/lib/bookings/customer-booking-commands";
import { bookingPagePath } from "@/lib/studio/booking-page-path";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";
import { localDateInZone } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Your booking", ...privatePageMetadata };

/** Read at request time; kept out of the component body so render stays pure. */
function isInFuture(iso: string) {
  return Date.parse(iso) > Date.now();
}

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ token?: string | string[]; checkout?: string | string[] }> };

const STATUS_LINE: Record<string, string> = {
  awaiting_payment: "Your time is held while the deposit is paid.",
  pending: "Your request is waiting for the studio to confirm it.",
  confirmed: "Your booking is confirmed.",
  cancelled: "This booking is cancelled.",
  rejected: "The studio could not take this booking.",
  completed: "This session has taken place.",
};

export default async function ManageBookingPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = await searchParams;
  const token = tokenParam(search);
  const booking = await loadCustomerBookingOr404(id, token);
  const db = getDb();
  const studio = await getPublicStudioInfo(db);
  const zone = booking.timezone ?? studio.timezone;
  const upcoming = isInFuture(booking.start);
  const changeable = upcoming && (booking.status === "pending" || booking.status === "confirmed") && !!booking.artist && !!booking.service;
  const picker = changeable
    ? await loadPickerWeek(db, { artist: booking.artist!.id, service: booking.service!.id, around: localDateInZone(new Date(booking.start), zone) }).catch(
        () => null,
      )
    : null;
  const seriesView = await getCustomerSeriesView(db, { bookingId: booking.id, token: token! });
  const icsPath = `/bookings/${booking.id}/calendar?token=${encodeURIComponent(token!)}`;

  return (
    <main id="main" className="manage">
      <h1>Your booking</h1>
      <p className="lede" role="status" data-testid="booking-status-line">
        {STATUS_LINE[booking.status] ?? ""}
      </p>
      <BookingSummary booking={booking} studioZone={studio.timezone} />
      <DepositNotice
        payment={await getCustomerPaymentView(getDb(), booking.id)}
        zone={booking.timezone ?? studio.timezone}
        returnedFromCheckout={search.checkout === "returned"}
      />
      {booking.status !== "cancelled" && booking.status !== "rejected" ? (
        <p>
          <a className="button secondary" href={icsPath} download>
            Add to calendar (.ics)
          </a>
        </p>
      ) : null}

      {changeable && picker ? (
        <ManageActions
          bookingId={booking.id}
          token={token!}
          status={booking.status}
          start={booking.start}
          end={booking.end}
          artist={{ slug: booking.artist!.slug, name: booking.artist!.name, timezone: zone }}
          service={{ slug: booking.service!.slug, name: booking.service!.name }}
          studioZoneLabel={picker.zoneLabel}
          noticeHours={studio.cancellationNoticeHours}
          contact={studio.contact}
          picker={{ week: picker.week, slots: picker.slots, minWeek: picker.minWeek, maxWeek: picker.maxWeek }}
        />
      ) : booking.status === "cancelled" || booking.status === "rejected" ? (
        <p>
          {booking.artist && booking.service ? (
            <Link className="button secondary" href={bookingPagePath(booking.artist, booking.service)}>
              Request another time
            </Link>
          ) : (
            <Link href="/">Book a new time</Link>
          )}
        </p>
      ) : null}

      <SeriesActions
        bookingId={booking.id}
        token={token!}
        canRepeat={seriesView.canRepeat && booking.status === "confirmed" && !!booking.artist && !!booking.service}
        canCancel={changeable}
        timezone={zone}
        noticeHours={studio.cancellationNoticeHours}
        maxCount={CUSTOMER_REPEAT_MAX_COUNT}
        series={seriesView.series}
      />

      {studio.policyText ? (
        <section aria-labelledby="policy-title" className="policy">
          <h2 id="policy-title">Studio policy</h2>
          <p>{studio.policyText}</p>
        </section>
      ) : null}

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <StatusHistory history={booking.history} zone={zone} />
      </section>
    </main>
  );
}
