import Link from "next/link";

export default function BookingNotFound() {
  return (
    <main id="main" className="not-found">
      <h1>We could not find that booking</h1>
      <p className="lede">The link may be incomplete, or it was changed. Open it again from your booking email — it has the whole link.</p>
      <ul className="link-list">
        <li>
          <Link href="/my-bookings">Sign in to see all your bookings</Link>
        </li>
        <li>
          <Link href="/">Book a new session</Link>
        </li>
      </ul>
    </main>
  );
}
