"use server";

import { revalidatePath } from "next/cache";
import { z } from "@/lib/zod";
import { loadPickerWeek } from "@/lib/availability/load-picker-week";
import { bookForCustomer, repeatBooking } from "@/lib/bookings/book-for-customer";
import { bookForCustomerSchema, repeatSchema, searchCustomersQuerySchema, serializeBookForCustomer } from "@/lib/bookings/book-for-customer-schema";
import { cancelSeries } from "@/lib/bookings/cancel-series";
import { adminDecisionSchema, bookingIdSchema } from "@/lib/bookings/schemas";
import { searchCustomers } from "@/lib/bookings/search-customers";
import { defineAction } from "@/lib/http/define-action";

// The admin's "New booking" screen. Same rules as app/admin/actions.ts: defineAction checks the
// session and role first; tests/integration/admin-authz.test.ts and tests/e2e/admin-authz.spec.ts
// find every export here too.

export const bookForCustomerAction = defineAction({ auth: "admin", input: bookForCustomerSchema }, async ({ db, input, actor }) => {
  const result = await bookForCustomer(db, { ...input, actor });
  revalidatePath("/admin/bookings");
  revalidatePath("/admin/calendar");
  // Always the series shape, so the screen has one way to list what was booked.
  const { artist, service } = result.bookable;
  const answer = serializeBookForCustomer(result, true);
  return { ...answer, seriesId: result.seriesId, artist: artist.slug, service: service.slug } as Extract<typeof answer, { bookings: unknown }> & {
    seriesId: string | null;
    artist: string;
    service: string;
  };
});

export const searchCustomersAction = defineAction({ auth: "admin", input: searchCustomersQuerySchema }, async ({ db, input }) => ({
  customers: await searchCustomers(db, input.q),
}));

const pickerWeekSchema = z.object({
  artist: z.string().trim().min(1).max(100),
  service: z.string().trim().min(1).max(100),
  week: z.iso.date().optional().nullable(),
});

/** The free times of a week, exactly as the customer's picker shows them. */
export const loadFreeTimesAction = defineAction({ auth: "admin", input: pickerWeekSchema }, async ({ db, input }) => {
  const week = await loadPickerWeek(db, input);
  return {
    week: week.week,
    minWeek: week.minWeek,
    maxWeek: week.maxWeek,
    zoneLabel: week.zoneLabel,
    timezone: week.bookable.artist.timezone,
    slots: week.slots,
  };
});

const repeatBookingSchema = repeatSchema.extend({ bookingId: bookingIdSchema, notify: z.boolean().optional(), override: z.boolean().optional() });

function revalidateSeries(ids: string[]) {
  revalidatePath("/admin/bookings");
  revalidatePath("/admin/calendar");
  for (const id of ids) revalidatePath(`/admin/bookings/${id}`);
}

/** "Repeat this booking": `count` more occurrences after a confirmed booking, in its series. */
export const repeatBookingAction = defineAction({ auth: "admin", input: repeatBookingSchema }, async ({ db, input, actor }) => {
  const { bookingId, everyWeeks, count, notify, override } = input;
  const result = await repeatBooking(db, { bookingId, repeat: { everyWeeks, count }, notify, override, actor });
  revalidateSeries([bookingId]);
  const answer = serializeBookForCustomer(result, true) as Extract<ReturnType<typeof serializeBookForCustomer>, { bookings: unknown }>;
  return { ...answer, seriesId: result.seriesId };
});

const addToSeriesSchema = z.object({
  bookingId: bookingIdSchema,
  start: bookForCustomerSchema.shape.start,
  notify: z.boolean().optional(),
  override: z.boolean().optional(),
});

/** One alternative picked for a taken week, booked into the same series as `bookingId`. */
export const addToSeriesAction = defineAction({ auth: "admin", input: addToSeriesSchema }, async ({ db, input, actor }) => {
  const result = await repeatBooking(db, {
    bookingId: input.bookingId,
    repeat: null,
    start: input.start,
    notify: input.notify,
    override: input.override,
    actor,
  });
  revalidateSeries([input.bookingId]);
  const answer = serializeBookForCustomer(result, true) as Extract<ReturnType<typeof serializeBookForCustomer>, { bookings: unknown }>;
  return { ...answer, seriesId: result.seriesId };
});

const cancelSeriesSchema = z.object({
  bookingId: bookingIdSchema,
  version: z.number().int().positive().optional(),
  scope: z.enum(["this", "following"], { error: "Choose this one or this and the following" }),
  reason: adminDecisionSchema.shape.reason,
});

/** Cancel a booking of a series: "this one" or "this and the following" (all or none, see cancelSeries). */
export const cancelSeriesAction = defineAction({ auth: "admin", input: cancelSeriesSchema }, async ({ db, input, actor }) => {
  const cancelled = await cancelSeries(db, { ...input, actor });
  revalidateSeries(cancelled.map((b) => b.id));
  return { cancelled: cancelled.map((b) => ({ id: b.id, start: b.startsAt.toISOString(), status: b.status })) };
});
