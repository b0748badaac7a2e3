import { z } from "@/lib/zod";

/**
 * A customer's answers to a service's intake questions, as the form and the REST API send them:
 * `{ answers: { <question id>: value }, consent }`. Values may be strings (the form's inputs),
 * numbers or booleans (API clients); each is checked against the service's own questions by
 * `validateIntake` (lib/intake/answers.ts), which the browser runs before sending too. Only the
 * shape is checked here, so this schema can sit in the request schemas without the questions.
 */
export const intakeInputSchema = z.object({
  answers: z
    .record(z.string().max(40), z.union([z.string().max(4000), z.number(), z.boolean(), z.null()]))
    .optional()
    .default({}),
  consent: z.boolean({ error: "consent is true when the customer ticked the service's consent line" }).optional().default(false),
});
export type IntakeInput = z.input<typeof intakeInputSchema>;
