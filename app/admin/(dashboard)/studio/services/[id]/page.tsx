import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { IntakeQuestionsEditor } from "@/components/admin/intake-questions-editor";
import { ServiceForm } from "@/components/admin/service-form";
import { getService } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { HoldfastError } from "@/lib/errors";
import { loadIntakeFormConfig } from "@/lib/intake/load-intake-form";
import { DEFAULT_REMINDER_LEAD_MINUTES } from "@/lib/notifications/plan-reminders";

export const metadata: Metadata = { title: "Service" };
export const dynamic = "force-dynamic";

export default async function ServiceSetupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/studio/services/${id}`);
  let service = null;
  let intake = null;
  if (id !== "new") {
    try {
      service = await getService(getDb(), id);
      intake = await loadIntakeFormConfig(getDb(), service.id);
    } catch (err) {
      if (err instanceof HoldfastError && err.code === "not_found") notFound();
      throw err;
    }
  }
  return (
    <>
      <p className="small">
        <Link href="/admin/studio">← Studio setup</Link>
      </p>
      <h1>{service ? service.name : "New service"}</h1>
      <ServiceForm
        service={
          service ?? {
            durationMinutes: 60,
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 0,
            priceCents: 0,
            currency: "EUR",
            autoConfirm: false,
            minNoticeMinutes: 120,
            bookingWindowDays: 60,
            slotStepMinutes: 30,
            reminderLeadMinutes: [...DEFAULT_REMINDER_LEAD_MINUTES],
            active: true,
          }
        }
      />
      {service && intake ? (
        <IntakeQuestionsEditor
          serviceId={service.id}
          questions={intake.questions}
          asksReferenceImages={intake.asksReferenceImages}
          consentText={intake.consentText}
        />
      ) : (
        <p className="small muted">Save the service first; then you can choose the questions its requests ask.</p>
      )}
    </>
  );
}
