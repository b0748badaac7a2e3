import type { CustomerBookingView } from "@/lib/bookings/get-customer-booking";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";

function describe(entry: CustomerBookingView["history"][number]) {
  if (entry.rescheduledFrom) return "Moved to a new time";
  switch (entry.status) {
    case "pending":
      return "Request sent";
    case "confirmed":
      return entry.by === "you" ? "Booked and confirmed" : "Confirmed by the studio";
    case "cancelled":
      return "Cancelled";
    case "rejected":
      return "Declined by the studio";
    case "completed":
      return "Completed";
    default:
      return entry.status ?? "Changed";
  }
}

/** The booking's status history, oldest first, times in the studio's zone. */
export function StatusHistory({ history, zone }: { history: CustomerBookingView["history"]; zone: string }) {
  if (history.length === 0) return <p className="muted">No changes yet.</p>;
  return (
    <ol className="history" data-testid="status-history">
      {history.map((entry, i) => (
        <li key={`${entry.at}-${i}`}>
          <p className="history-what">
            <strong>{describe(entry)}</strong> <span className="muted">by {entry.by}</span>
          </p>
          <p className="history-when muted small">
            <time dateTime={entry.at}>{formatShortDateTimeInZone(new Date(entry.at), zone)}</time>
          </p>
          {entry.rescheduledFrom ? <p className="small">It was {formatShortDateTimeInZone(new Date(entry.rescheduledFrom), zone)} before.</p> : null}
          {entry.reason ? <p className="small pre-wrap">Reason: {entry.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}
