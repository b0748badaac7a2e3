import Link from "next/link";
import type { OutsideHoursBooking } from "@/lib/studio/working-hours";
import { StatusPill } from "./status-pill";
import { When } from "./when";

/** Bookings that fall outside working hours: listed for an admin to review, never moved or deleted. */
export function OutsideHoursList({
  bookings,
  showArtist = false,
  title = "Bookings outside working hours",
  testId = "outside-hours",
}: {
  bookings: OutsideHoursBooking[];
  showArtist?: boolean;
  title?: string;
  testId?: string;
}) {
  return (
    <section className="panel" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {bookings.length === 0 ? (
        <p className="muted">None: every upcoming request and booking is within working hours.</p>
      ) : (
        <>
          <p className="small">
            {bookings.length} upcoming booking{bookings.length === 1 ? "" : "s"} fall{bookings.length === 1 ? "s" : ""} outside the hours now in force. Nothing
            was changed: decide for each one whether to keep it, reschedule it or cancel it.
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  {showArtist && <th scope="col">Artist</th>}
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Hours that day</th>
                </tr>
              </thead>
              <tbody>
                {bookings.map((b) => (
                  <tr key={b.id} data-booking-id={b.id}>
                    <td>
                      <When start={b.start} end={b.end} timezone={b.timezone} />
                    </td>
                    {showArtist && <td>{b.artistName}</td>}
                    <td>
                      <Link href={`/admin/bookings/${b.id}`}>{b.customerName ?? b.customerEmail ?? "(no name)"}</Link>
                      <div className="small muted">{b.serviceName}</div>
                    </td>
                    <td>
                      <StatusPill status={b.status} />
                    </td>
                    <td className="small">{b.hoursThatDay.length ? b.hoursThatDay.join(", ") : "day off"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
