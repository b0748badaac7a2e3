"use server";

import { revalidatePath } from "next/cache";
import { z } from "@/lib/zod";
import { defineAction } from "@/lib/http/define-action";
import { addTimeOff, removeTimeOff, serializeBookingInside, serializeTimeOff, timeOffInputSchema } from "@/lib/studio/time-off";

// Admin server actions for an artist's time off (the artist's studio page). defineAction checks
// the session and the admin role before the input is parsed.
// tests/integration/admin-authz.test.ts and tests/e2e/admin-authz.spec.ts find every export here.

const addTimeOffInputSchema = timeOffInputSchema.and(z.object({ artistId: z.uuid("Not an artist id") }));

export const addTimeOffAction = defineAction({ auth: "admin", input: addTimeOffInputSchema }, async ({ db, input, actor }) => {
  const result = await addTimeOff(db, { artistId: input.artistId, start: input.start, end: input.end, reason: input.reason, actor });
  revalidatePath(`/admin/studio/artists/${input.artistId}`);
  revalidatePath("/admin/calendar");
  return { timeOff: serializeTimeOff(result.timeOff), bookingsInside: result.bookingsInside.map(serializeBookingInside) };
});

export const removeTimeOffAction = defineAction({ auth: "admin", input: z.object({ id: z.uuid("Not a time off id") }) }, async ({ db, input, actor }) => {
  const removed = await removeTimeOff(db, input.id, actor);
  revalidatePath(`/admin/studio/artists/${removed.artistId}`);
  revalidatePath("/admin/calendar");
  return { removed: removed.id };
});
