import type { Metadata } from "next";
import Link from "next/link";
import { BookingSummary } from "@/components/booking/booking-summary";
import { DepositNotice } from "@/components/booking/deposit-notice";
import { loadCustomerBookingOr404, privatePageMetadata, tokenParam } from "@/app/bookings/load-customer-booking";
import { getDb } from "@/db/client";
import { getCustomerPaymentView } from "@/lib/payments/customer-payment";
import { getPublicStudioInfo } from "@/lib/studio/public-studio-info";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Booking sent", ...privatePageMetadata };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ token?: string | string[]; checkout?: string | string[] }> };

export default async function ConfirmationPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = await searchParams;
  const token = tokenParam(search);
  const booking = await loadCustomerBookingOr404(id, token);
  const studio = await getPublicStudioInfo(getDb());
  const managePath = `/bookings/${booking.id}?token=${encodeURIComponent(token!)}`;
  const icsPath = `/bookings/${booking.id}/calendar?token=${encodeURIComponent(token!)}`;
  const confirmed = booking.status === "confirmed";
  const pending = booking.status === "pending";

  return (
    <main id="main" className="confirmation">
      <div className={`hero ${confirmed ? "ok" : "pending"}`}>
        <p className="eyebrow">{confirmed ? "Booked" : pending ? "Request sent" : "Your booking"}</p>
        <h1>{confirmed ? "You're booked in" : pending ? "Request sent — the studio will confirm it" : "Your booking"}</h1>
        <p>
          {confirmed
            ? `Your ${booking.service?.name.toLowerCase()} with ${booking.artist?.name} is confirmed.`
            : pending
              ? `${studio.name} has your request. It is not confirmed yet.`
              : "Here are the details of your booking."}
        </p>
      </div>

      <BookingSummary booking={booking} studioZone={studio.timezone} />
      <DepositNotice
        payment={await getCustomerPaymentView(getDb(), booking.id)}
        zone={booking.timezone ?? studio.timezone}
        returnedFromCheckout={search.checkout === "returned"}
      />

      <section aria-labelledby="next-title">
        <h2 id="next-title">What happens next</h2>
        {pending ? (
          <ol className="steps">
            <li>The studio looks at your request, usually within a day.</li>
            <li>You get an email as soon as it is confirmed — or if they need to suggest another time.</li>
            <li>Until then your time is kept for you. You can still change or cancel it with your private link.</li>
          </ol>
        ) : confirmed ? (
          <ol className="steps">
            <li>We have emailed you the details{booking.customer ? ` at ${booking.customer.email}` : ""}.</li>
            <li>Add it to your calendar so you do not miss it.</li>
            <li>
              Need to change plans? Reschedule or cancel with your private link
              {studio.cancellationNoticeHours > 0 ? ` up to ${studio.cancellationNoticeHours} hours before the start` : ""}.
            </li>
          </ol>
        ) : (
          <p>Open your private link to see the history of this booking.</p>
        )}
      </section>

      <div className="actions">
        <a className="button primary" href={icsPath} download>
          Add to calendar (.ics)
        </a>
        <Link className="button secondary" href={managePath}>
          View, change or cancel
        </Link>
      </div>

      <section aria-labelledby="link-title" className="card private-link">
        <h2 id="link-title">Your private link</h2>
        <p>
          Keep this link: it lets you view, reschedule or cancel this booking without an account.
          {booking.customer ? (
            <>
              {" "}
              We have also emailed it to <strong>{booking.customer.email}</strong>.
            </>
          ) : null}
        </p>
        <p className="manage-url">
          <a href={managePath} data-testid="manage-link">
            {booking.manageUrl}
          </a>
        </p>
      </section>
    </main>
  );
}
