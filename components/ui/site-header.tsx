import Link from "next/link";

/** The public header: the studio mark and the two places a customer goes. */
export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Holdfast
        </Link>
        <nav aria-label="Main" className="site-nav">
          <ul>
            <li>
              <Link href="/">Book</Link>
            </li>
            <li>
              <Link href="/my-bookings">My bookings</Link>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}
