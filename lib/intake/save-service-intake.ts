import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { services } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { z } from "@/lib/zod";
import { serviceIntakeSchema, type ServiceIntake } from "./questions";

export const serviceIntakeInputSchema = serviceIntakeSchema.extend({ serviceId: z.uuid({ error: "Save the service first" }) });

/** Saves what a service asks with every request. Requests already sent keep the answers (and question labels) they were sent with. */
export async function saveServiceIntake(db: Executor, input: ServiceIntake & { serviceId: string }) {
  const [row] = await db
    .update(services)
    .set({ intakeQuestions: input.questions, asksReferenceImages: input.asksReferenceImages, consentText: input.consentText })
    .where(eq(services.id, input.serviceId))
    .returning({ id: services.id });
  if (!row) throw new HoldfastError("not_found", "That service was not found");
  return { id: row.id, questions: input.questions.length };
}
