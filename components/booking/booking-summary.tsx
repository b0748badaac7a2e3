import type { CustomerBookingView } from "@/lib/bookings/get-customer-booking";
import { formatTimeRangeInZone, isValidTimeZone, localDateInZone } from "@/lib/time/format-in-zone";
import { StatusBadge } from "@/components/ui/status-badge";
import { clockTime } from "./format";

/** The customer's own zone, when it shows the appointment at a different clock time than the studio's. */
export function customerZoneIfDifferent(start: string, studioZone: string, customerZone: string | null | undefined) {
  if (!customerZone || customerZone === studioZone || !isValidTimeZone(customerZone)) return null;
  const d = new Date(start);
  const same = clockTime(start, customerZone) === clockTime(start, studioZone) && localDateInZone(d, customerZone) === localDateInZone(d, studioZone);
  return same ? null : customerZone;
}

/** What, when (in the studio's zone and the customer's), status, and what the customer sent. */
export function BookingSummary({ booking, studioZone }: { booking: CustomerBookingView; studioZone: string }) {
  const zone = booking.timezone ?? studioZone;
  const start = new Date(booking.start);
  const end = new Date(booking.end);
  const theirs = customerZoneIfDifferent(booking.start, zone, booking.customerTimezone);
  return (
    <dl className="summary">
      <div>
        <dt>What</dt>
        <dd>
          {booking.service?.name} with {booking.artist?.name}
        </dd>
      </div>
      {booking.resources?.length ? (
        <div>
          <dt>Where</dt>
          <dd data-testid="booking-room">{booking.resources.map((r) => r.name).join(", ")}</dd>
        </div>
      ) : null}
      <div>
        <dt>When</dt>
        <dd data-testid="studio-time">{formatTimeRangeInZone(start, end, zone)}</dd>
      </div>
      {theirs ? (
        <div>
          <dt>Your time</dt>
          <dd data-testid="customer-time">{formatTimeRangeInZone(start, end, theirs)}</dd>
        </div>
      ) : null}
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={booking.status} />
        </dd>
      </div>
      {booking.customer ? (
        <div>
          <dt>Booked by</dt>
          <dd>
            <span className="line">{booking.customer.name}</span>
            <span className="line">{booking.customer.email}</span>
            {booking.customer.phone ? <span className="line">{booking.customer.phone}</span> : null}
          </dd>
        </div>
      ) : null}
      {booking.notes ? (
        <div>
          <dt>Your notes</dt>
          <dd className="pre-wrap">{booking.notes}</dd>
        </div>
      ) : null}
      {booking.reason && (booking.status === "rejected" || booking.status === "cancelled") ? (
        <div>
          <dt>Reason</dt>
          <dd className="pre-wrap">{booking.reason}</dd>
        </div>
      ) : null}
    </dl>
  );
}
