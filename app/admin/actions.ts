"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { markAlertsRead } from "@/lib/admin/summary";
import { requireAdmin } from "@/lib/auth/session";
import { runAction, type ActionResult } from "@/lib/http/server-action";
import { saveCalendarEditPolicy, type CalendarEditPolicy, type CalendarEditPolicyInput } from "@/lib/studio/calendar-policy";
import { saveArtist, saveService, setArtistServices } from "@/lib/studio/save-studio";
import type { ArtistInput, ServiceInput, WorkingHoursInput } from "@/lib/studio/schemas";
import { saveWorkingHours, type OutsideHoursBooking } from "@/lib/studio/working-hours";

// Admin server actions. Each one checks the session and the admin role itself (the proxy in front
// of /admin is only the first lock) and hands back data or an ActionError, never a thrown error.
// tests/integration/admin-authz.test.ts and tests/e2e/admin-authz.spec.ts find every export here.

export async function saveArtistAction(input: ArtistInput): Promise<ActionResult<{ id: string; slug: string }>> {
  return runAction(async () => {
    await requireAdmin();
    const artist = await saveArtist(getDb(), input);
    revalidatePath("/admin/studio", "layout");
    return { id: artist.id, slug: artist.slug };
  });
}

export async function saveServiceAction(input: ServiceInput): Promise<ActionResult<{ id: string; slug: string }>> {
  return runAction(async () => {
    await requireAdmin();
    const service = await saveService(getDb(), input);
    revalidatePath("/admin/studio", "layout");
    return { id: service.id, slug: service.slug };
  });
}

export async function setArtistServicesAction(input: { artistId: string; serviceIds: string[] }): Promise<ActionResult<{ serviceIds: string[] }>> {
  return runAction(async () => {
    await requireAdmin();
    const links = await setArtistServices(getDb(), input);
    revalidatePath("/admin/studio", "layout");
    return { serviceIds: links.map((l) => l.serviceId) };
  });
}

export async function saveWorkingHoursAction(input: WorkingHoursInput): Promise<ActionResult<{ effectiveFrom: string; outsideHours: OutsideHoursBooking[] }>> {
  return runAction(async () => {
    await requireAdmin();
    const saved = await saveWorkingHours(getDb(), input);
    revalidatePath("/admin/studio", "layout");
    revalidatePath("/admin/calendar");
    return { effectiveFrom: saved.effectiveFrom, outsideHours: saved.outsideHours };
  });
}

export async function markAlertsReadAction(ids?: string[]): Promise<ActionResult<{ marked: number }>> {
  return runAction(async () => {
    await requireAdmin();
    const marked = await markAlertsRead(getDb(), Array.isArray(ids) ? ids.filter((id) => typeof id === "string").slice(0, 500) : undefined);
    revalidatePath("/admin");
    return { marked };
  });
}

export async function saveCalendarEditPolicyAction(input: CalendarEditPolicyInput): Promise<ActionResult<{ policy: CalendarEditPolicy }>> {
  return runAction(async () => {
    await requireAdmin();
    const policy = await saveCalendarEditPolicy(getDb(), input);
    revalidatePath("/admin/calendars");
    return { policy };
  });
}
