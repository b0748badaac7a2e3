"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { loadPickerWeek } from "@/lib/availability/load-picker-week";
import { bookForCustomer } from "@/lib/bookings/book-for-customer";
import { bookForCustomerSchema, searchCustomersQuerySchema, serializeBookForCustomer } from "@/lib/bookings/book-for-customer-schema";
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
