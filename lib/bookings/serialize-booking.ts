import type { Booking } from "@/db/schema";

/** The booking as its customer (and the public API) sees it: no internal tokens or sync fields. */
export function serializeBooking(
  b: Booking,
  extra: {
    timezone?: string;
    manageUrl?: string;
    artist?: { id: string; slug: string; name: string };
    service?: { id: string; slug: string; name: string };
  } = {},
) {
  return {
    id: b.id,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    timezone: extra.timezone,
    artist: extra.artist,
    service: extra.service,
    version: b.version,
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
    customer: b.customerEmail ? { name: b.customerName, email: b.customerEmail, phone: b.customerPhone } : null,
    customerTimezone: b.customerTimezone,
    notes: b.notes,
    reason: b.decisionReason,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    ...(extra.manageUrl ? { manageUrl: extra.manageUrl } : {}),
  };
}

export type PublicBooking = ReturnType<typeof serializeBooking>;
