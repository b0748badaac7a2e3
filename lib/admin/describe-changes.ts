import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";

/** The fields of a booking an admin decides on; both the table rows and the API's `current` have them. */
export type BookingSnapshot = {
  status: string;
  start: string;
  end: string;
  version: number;
  customer?: { name: string | null; email: string | null; phone?: string | null } | null;
  notes?: string | null;
  reason?: string | null;
};

function when(iso: string, timezone: string) {
  return formatShortDateTimeInZone(new Date(iso), timezone);
}

/**
 * What differs between the booking an admin saw and the booking as it is now, in words:
 * "Status: pending → confirmed", "Time: Tue 3 Mar, 10:00 CET → Wed 4 Mar, 14:00 CET".
 * Pure, so the browser can say it right after a 409 without another request.
 */
export function describeBookingChanges(seen: BookingSnapshot, current: BookingSnapshot, timezone: string): string[] {
  const changes: string[] = [];
  if (seen.status !== current.status) changes.push(`Status: ${seen.status} → ${current.status}`);
  if (seen.start !== current.start || seen.end !== current.end) changes.push(`Time: ${when(seen.start, timezone)} → ${when(current.start, timezone)}`);
  const seenName = seen.customer?.name ?? "";
  const nowName = current.customer?.name ?? "";
  if (seenName !== nowName) changes.push(`Customer name: ${seenName || "—"} → ${nowName || "—"}`);
  const seenEmail = seen.customer?.email ?? "";
  const nowEmail = current.customer?.email ?? "";
  if (seenEmail !== nowEmail) changes.push(`Customer email: ${seenEmail || "—"} → ${nowEmail || "—"}`);
  if ((seen.customer?.phone ?? "") !== (current.customer?.phone ?? "")) changes.push("Customer phone changed");
  if ((seen.notes ?? "") !== (current.notes ?? "")) changes.push("Notes changed");
  if ((seen.reason ?? "") !== (current.reason ?? "") && current.reason) changes.push(`Reason given: ${current.reason}`);
  if (changes.length === 0 && seen.version !== current.version) changes.push(`Version ${seen.version} → ${current.version}`);
  return changes;
}
