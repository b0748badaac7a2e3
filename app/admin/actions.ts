"use server";

import { revalidatePath } from "next/cache";
import { z } from "@/lib/zod";
import { markAlertsRead } from "@/lib/admin/summary";
import { defineAction } from "@/lib/http/define-action";
import { calendarEditPolicySchema, saveCalendarEditPolicy } from "@/lib/studio/calendar-policy";
import { saveArtist, saveService, saveStudioContact, setArtistServices } from "@/lib/studio/save-studio";
import { artistInputSchema, artistServicesInputSchema, serviceInputSchema, studioContactInputSchema, workingHoursInputSchema } from "@/lib/studio/schemas";
import { studioSettingsInputSchema, updateStudioSettings } from "@/lib/studio/update-studio-settings";
import { saveWorkingHours } from "@/lib/studio/working-hours";
import { saveServiceIntake, serviceIntakeInputSchema } from "@/lib/intake/save-service-intake";
import { addArtistImage, deleteArtistImage, saveArtistMediaDetails } from "@/lib/media/artist-media";
import { artistImageIdSchema, artistImageUploadSchema, artistMediaDetailsSchema } from "@/lib/media/schemas";

// Admin server actions. defineAction checks the session and the admin role before anything else
// (the proxy in front of /admin is only the first lock), parses the input, and hands back data or
// an ActionError, never a thrown error.
// tests/integration/admin-authz.test.ts and tests/e2e/admin-authz.spec.ts find every export here.

export const saveArtistAction = defineAction({ auth: "admin", input: artistInputSchema }, async ({ db, input }) => {
  const artist = await saveArtist(db, input);
  revalidatePath("/admin/studio", "layout");
  return { id: artist.id, slug: artist.slug };
});

export const saveServiceAction = defineAction({ auth: "admin", input: serviceInputSchema }, async ({ db, input }) => {
  const service = await saveService(db, input);
  revalidatePath("/admin/studio", "layout");
  return { id: service.id, slug: service.slug };
});

export const setArtistServicesAction = defineAction({ auth: "admin", input: artistServicesInputSchema }, async ({ db, input }) => {
  const links = await setArtistServices(db, input);
  revalidatePath("/admin/studio", "layout");
  return { serviceIds: links.map((l) => l.serviceId) };
});

export const saveStudioContactAction = defineAction({ auth: "admin", input: studioContactInputSchema }, async ({ db, input }) => {
  const contact = await saveStudioContact(db, input);
  revalidatePath("/", "layout"); // the contact footer of every customer page
  return contact;
});

export const saveStudioSettingsAction = defineAction({ auth: "admin", input: studioSettingsInputSchema }, async ({ db, input }) => {
  const settings = await updateStudioSettings(db, input);
  revalidatePath("/", "layout"); // the name and contact footer of every customer page, the policy on the booking form
  return settings;
});

export const saveWorkingHoursAction = defineAction({ auth: "admin", input: workingHoursInputSchema }, async ({ db, input }) => {
  const saved = await saveWorkingHours(db, input);
  revalidatePath("/admin/studio", "layout");
  revalidatePath("/admin/calendar");
  return { effectiveFrom: saved.effectiveFrom, outsideHours: saved.outsideHours };
});

// No ids means every unread alert; an empty list means none (markAlertsRead), never "all" by accident.
const alertIdsSchema = z.array(z.uuid("Not an alert id")).max(500, "Mark at most 500 alerts at once").optional();

export const markAlertsReadAction = defineAction({ auth: "admin", input: alertIdsSchema }, async ({ db, input }) => {
  const marked = await markAlertsRead(db, input);
  revalidatePath("/admin");
  return { marked };
});

export const saveCalendarEditPolicyAction = defineAction({ auth: "admin", input: calendarEditPolicySchema }, async ({ db, input }) => {
  const policy = await saveCalendarEditPolicy(db, input);
  revalidatePath("/admin/calendars");
  return { policy };
});

// Artists' portraits and portfolios (lib/media): the upload is a FormData, decoded and re-encoded before anything is stored.
export const uploadArtistImageAction = defineAction({ auth: "admin", input: artistImageUploadSchema }, async ({ db, input }) => {
  const image = await addArtistImage(db, {
    artistId: input.artistId,
    role: input.role,
    altText: input.altText,
    bytes: Buffer.from(await input.file.arrayBuffer()),
  });
  revalidatePath("/", "layout");
  return { id: image.id, role: image.role };
});

export const saveArtistMediaAction = defineAction({ auth: "admin", input: artistMediaDetailsSchema }, async ({ db, input }) => {
  const result = await saveArtistMediaDetails(db, input);
  revalidatePath("/", "layout");
  return result;
});

export const deleteArtistImageAction = defineAction({ auth: "admin", input: artistImageIdSchema }, async ({ db, input }) => {
  const result = await deleteArtistImage(db, input);
  revalidatePath("/", "layout");
  return result;
});

/** A service's intake questions, reference-image request and consent line (lib/intake). */
export const saveServiceIntakeAction = defineAction({ auth: "admin", input: serviceIntakeInputSchema }, async ({ db, input }) => {
  const result = await saveServiceIntake(db, input);
  revalidatePath("/admin/studio", "layout");
  return result;
});
