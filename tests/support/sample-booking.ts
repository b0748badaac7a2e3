import type { Booking } from "@/db/schema";

export const SAMPLE_BOOKING_ID = "6f1c2a5e-1111-4222-8333-944455556666";

/** The booking the iCalendar unit tests build events from: a pending two-hour request with full contact details. */
export const sampleBooking = {
  id: SAMPLE_BOOKING_ID,
  status: "pending" as Booking["status"],
  startsAt: new Date("2026-12-03T09:00:00Z"),
  endsAt: new Date("2026-12-03T11:00:00Z"),
  version: 2,
  caldavUid: `${SAMPLE_BOOKING_ID}@holdfast`,
  customerName: "Ana Example",
  customerEmail: "ana@example.com",
  customerPhone: "+49 30 1234567",
  notes: "Small rose, left wrist",
};
