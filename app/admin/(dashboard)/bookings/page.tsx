import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { BookingsTable } from "@/components/admin/bookings-table";
import { listAdminBookings, listBookingsQuerySchema, type ListBookingsQuery } from "@/lib/admin/list-bookings";
import { getStudioSetup } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { HoldfastError } from "@/lib/errors";

export const metadata: Metadata = { title: "Bookings" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** Filters behind "More filters" (the search and status stay in view). */
const MORE_FILTERS = ["payment", "artist", "from", "to", "pageSize"];

const STATUS_OPTIONS = [
  { value: "", label: "All (without holds)" },
  { value: "active", label: "Pending + confirmed" },
  { value: "pending", label: "Pending" },
  { value: "confirmed", label: "Confirmed" },
  { value: "completed", label: "Completed" },
  { value: "rejected", label: "Rejected" },
  { value: "cancelled", label: "Cancelled" },
  { value: "all", label: "Everything, with holds" },
];

export default async function BookingsPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && v !== "") query[k] = v;
  await requireAdminPage(`/admin/bookings${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ""}`);
  const db = getDb();

  let error: HoldfastError | null = null;
  let result: Awaited<ReturnType<typeof listAdminBookings>> = { bookings: [], total: 0, page: 1, pageSize: 25, pageCount: 0, timezone: "UTC" };
  try {
    result = await listAdminBookings(db, query as ListBookingsQuery);
  } catch (err) {
    if (!(err instanceof HoldfastError)) throw err;
    error = err;
  }
  const setup = await getStudioSetup(db);
  const sort = listBookingsQuerySchema.shape.sort.safeParse(query.sort).data ?? "desc";
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const s = next.toString();
    return `/admin/bookings${s ? `?${s}` : ""}`;
  };
  const from = (result.page - 1) * result.pageSize + 1;
  const to = Math.min(result.total, result.page * result.pageSize);

  return (
    <>
      <div className="page-head">
        <h1>Bookings</h1>{" "}
        <Link href="/admin/bookings/new" className="btn primary small">
          New booking
        </Link>
        <p className="muted small">
          Times are on each artist&apos;s clock; dates in the filter are read in {query.artist ? "that artist's" : "the studio's"} zone ({result.timezone}).
        </p>
      </div>
      <form className="filters panel" method="get" action="/admin/bookings" role="search" aria-label="Filter bookings">
        <div className="a-field">
          <label htmlFor="f-q">Customer name or email</label>
          <input id="f-q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="e.g. ana@ or Meyer" />
        </div>
        <div className="a-field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={query.status ?? ""}>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        {/* The rarer filters fold away, so on a phone the table starts on the first screen; open while one of them is set. */}
        <details className="more-filters" open={MORE_FILTERS.some((k) => query[k]) || undefined}>
          <summary>More filters</summary>
          <div className="more-filters-fields">
            <div className="a-field">
              <label htmlFor="f-payment">Deposit</label>
              <select id="f-payment" name="payment" defaultValue={query.payment ?? ""}>
                <option value="">Any</option>
                <option value="due">Deposit due</option>
                <option value="paid">Paid</option>
                <option value="refunded">Refunded</option>
                <option value="kept">Kept</option>
              </select>
            </div>
            <div className="a-field">
              <label htmlFor="f-artist">Artist</label>
              <select id="f-artist" name="artist" defaultValue={query.artist ?? ""}>
                <option value="">All artists</option>
                {setup.artists.map((a) => (
                  <option key={a.id} value={a.slug}>
                    {a.name}
                    {a.active ? "" : " (inactive)"}
                  </option>
                ))}
              </select>
            </div>
            <div className="a-field">
              <label htmlFor="f-from">From</label>
              <input id="f-from" name="from" type="date" defaultValue={query.from ?? ""} />
            </div>
            <div className="a-field">
              <label htmlFor="f-to">To (inclusive)</label>
              <input id="f-to" name="to" type="date" defaultValue={query.to ?? ""} />
            </div>
            <div className="a-field">
              <label htmlFor="f-size">Per page</label>
              <select id="f-size" name="pageSize" defaultValue={query.pageSize ?? "25"}>
                {["25", "50", "100", "200"].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </details>
        {query.sort && <input type="hidden" name="sort" value={query.sort} />}
        <div className="btn-row">
          <button type="submit" className="btn primary">
            Filter
          </button>
          <Link href="/admin/bookings" className="btn">
            Reset
          </Link>
        </div>
      </form>

      {error && (
        <div className="notice error" role="alert">
          <p>{error.message}</p>
          {error.fields && (
            <ul>
              {Object.entries(error.fields).map(([k, v]) => (
                <li key={k}>
                  {k}: {v.join(", ")}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <p className="small" role="status" data-testid="result-count">
        {result.total === 0 ? "No bookings match these filters." : `${from}–${to} of ${result.total.toLocaleString("en-GB")} bookings`}
      </p>
      <BookingsTable
        rows={result.bookings}
        sort={sort}
        sortHref={href({ sort: sort === "asc" ? "desc" : "asc", page: null })}
        caption="Bookings matching the filters"
      />

      {result.pageCount > 1 && (
        <nav className="pager" aria-label="Pages">
          {result.page > 1 ? (
            <Link className="btn" href={href({ page: String(result.page - 1) })} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <span className="small">
            Page {result.page} of {result.pageCount.toLocaleString("en-GB")}
          </span>
          {result.page < result.pageCount ? (
            <Link className="btn" href={href({ page: String(result.page + 1) })} rel="next">
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}
