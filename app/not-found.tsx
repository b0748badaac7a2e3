import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="not-found">
      <h1>Page not found</h1>
      <p className="lede">There is nothing at this address. It may have moved, or the link is mistyped.</p>
      <p>
        <Link href="/">Go to the booking page</Link>
      </p>
    </main>
  );
}
