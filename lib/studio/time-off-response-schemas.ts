/** What the admin time-off routes answer (serializeTimeOff, serializeBookingInside in lib/studio/time-off.ts). */
import { z } from "@/lib/zod";
import { bookingStatusSchema } from "@/lib/bookings/response-schemas";

export const timeOffSchema = z.strictObject({
  id: z.uuid(),
  artistId: z.uuid(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  reason: z.string(),
  /** "admin:<user id>" of whoever entered it. */
  createdBy: z.string().nullable(),
  /** Whether the busy event has been written into the artist's calendar yet. */
  inCalendar: z.boolean(),
  createdAt: z.iso.datetime(),
});

/** A pending or confirmed booking inside the new time off, for the admin to move or cancel (never moved silently). */
export const bookingInsideSchema = z.strictObject({
  id: z.uuid(),
  status: bookingStatusSchema,
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  customerName: z.string().nullable(),
});

export const timeOffCreatedResponseSchema = z.strictObject({ timeOff: timeOffSchema, bookingsInside: z.array(bookingInsideSchema) });
export const timeOffListResponseSchema = z.strictObject({ timeOff: z.array(timeOffSchema) });
export const timeOffRemovedResponseSchema = z.strictObject({ removed: z.uuid() });
