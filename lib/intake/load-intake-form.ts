import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { services } from "@/db/schema";
import { NO_INTAKE, type IntakeFormConfig } from "./form-config";
import { parseStoredQuestions } from "./questions";

/** A service's intake as its request form shows it (and its editor edits it). */
export async function loadIntakeFormConfig(db: Executor, serviceId: string): Promise<IntakeFormConfig> {
  const [row] = await db
    .select({ questions: services.intakeQuestions, consentText: services.consentText, asks: services.asksReferenceImages, currency: services.currency })
    .from(services)
    .where(eq(services.id, serviceId));
  if (!row) return NO_INTAKE;
  return { questions: parseStoredQuestions(row.questions), consentText: row.consentText, asksReferenceImages: row.asks, currency: row.currency };
}
