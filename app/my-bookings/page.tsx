import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { customerZoneIfDifferent } from "@/components/booking/booking-summary";
import { CustomerSignOutButton } from "@/components/booking/customer-sign-out-button";
import { StatusBadge } from "@/components/ui/status-badge";
import { getSessionUser } from "@/lib/auth/session";
import { listCustomerBookings, type CustomerBookingListItem } from "@/lib/bookings/list-customer-bookings";
import { bookingPagePath } from "@/lib/studio/booking-page-path";
import { formatTimeRangeInZone } from "@/lib/time/format-in-zone";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "My bookings", robots: { index: false, follow: false } };

function BookingList({ items, empty }: { items: CustomerBookingListItem[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="booking-list">
      {items.map((b) => {
        const zone = b.timezone ?? "UTC";
        const theirs = customerZoneIfDifferent(b.start, zone, b.customerTimezone);
        return (
          <li key={b.id} className="card booking-item">
            <div className="booking-item-head">
              <h3>
                {b.service?.name} with {b.artist?.name}
              </h3>
              <StatusBadge status={b.status} />
            </div>
            <p>{formatTimeRangeInZone(new Date(b.start), new Date(b.end), zone)}</p>
            {theirs ? <p className="small muted">Your time: {formatTimeRangeInZone(new Date(b.start), new Date(b.end), theirs)}</p> : null}
            <p>
              <Link href={b.managePath} className="button secondary">
                View{b.status === "pending" || b.status === "confirmed" ? ", reschedule or cancel" : ""}
              </Link>
              {(b.status === "cancelled" || b.status === "rejected") && b.artist && b.service ? (
                <>
                  {" "}
                  <Link href={bookingPagePath(b.artist, b.service)} className="button secondary">
                    Request another time
                  </Link>
                </>
              ) : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

/** Upcoming (soonest first) are live bookings that have not ended; everything else is history (newest first). */
function splitByTime(bookings: CustomerBookingListItem[]) {
  const now = Date.now();
  const isUpcoming = (b: CustomerBookingListItem) => Date.parse(b.end) >= now && (b.status === "pending" || b.status === "confirmed");
  return { upcoming: bookings.filter(isUpcoming).reverse(), past: bookings.filter((b) => !isUpcoming(b)) };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function MyBookingsPage({ searchParams }: { searchParams: Search }) {
  const user = await getSessionUser();
  if (!user) {
    const signedOut = !!(await searchParams).signedOut;
    return (
      <main id="main">
        <h1>My bookings</h1>
        {signedOut ? (
          <p className="notice ok" role="status">
            You are signed out.
          </p>
        ) : null}
        <p className="lede">Sign in with the email address you booked with. We send you a link — no password needed.</p>
        <p>
          <Link className="button primary" href="/signin?callbackUrl=%2Fmy-bookings">
            Email me a sign-in link
          </Link>
        </p>
        <p className="muted small">Each booking email also has a private link to that booking, which works without signing in.</p>
      </main>
    );
  }
  const bookings = await listCustomerBookings(getDb(), user.email);
  const { upcoming, past } = splitByTime(bookings);
  return (
    <main id="main">
      <h1>My bookings</h1>
      <div className="signed-in-bar">
        <p className="lede">
          Signed in as <strong className="signed-in-email">{user.email}</strong>.
        </p>
        <CustomerSignOutButton />
      </div>
      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Upcoming</h2>
        <BookingList items={upcoming} empty="No upcoming bookings." />
        <p>
          <Link href="/">Book a new session</Link>
        </p>
      </section>
      <section aria-labelledby="past-title">
        <h2 id="past-title">Past and cancelled</h2>
        <BookingList items={past} empty="Nothing here yet." />
      </section>
    </main>
  );
}
