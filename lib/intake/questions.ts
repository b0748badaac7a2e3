import { z } from "@/lib/zod";
import { multiLineString, singleLineString } from "@/lib/bookings/schemas";

/**
 * The questions a service asks with every request (services.intake_questions), chosen by the
 * studio: a tattoo studio asks placement, size, style, colour, budget and "first tattoo?"; a
 * massage studio a short health intake. A few generic kinds cover them all; the editor offers
 * the usual tattoo questions as ready-made presets of these kinds.
 */
export const INTAKE_QUESTION_KINDS = ["text", "long_text", "select", "choice", "number", "money", "yes_no"] as const;
export type IntakeQuestionKind = (typeof INTAKE_QUESTION_KINDS)[number];

export const INTAKE_KIND_LABELS: Record<IntakeQuestionKind, string> = {
  text: "Short text",
  long_text: "Free text",
  select: "List (pick one)",
  choice: "Buttons (pick one)",
  number: "Number",
  money: "Amount of money",
  yes_no: "Yes / no",
};

export const MAX_INTAKE_QUESTIONS = 15;
export const MAX_REFERENCE_IMAGES = 5;

const label = singleLineString("Write the question on one line", { error: "Write the question" })
  .trim()
  .min(1, "Write the question")
  .max(120, "Keep the question under 120 characters");
const option = singleLineString("Write each option on one line").trim().min(1, "An option cannot be empty").max(60, "Keep options under 60 characters");

const base = {
  /** Stable key of the answer (answers are stored under it): lower-case letters, digits and "_". */
  id: z.string({ error: "Missing question id" }).regex(/^[a-z][a-z0-9_]{0,39}$/, "A question id is lower-case letters, digits and _"),
  label,
  hint: multiLineString("Remove the control characters").trim().max(300, "Keep the hint under 300 characters").optional().default(""),
  required: z.boolean().default(false),
};

const options = z
  .array(option)
  .min(2, "Give at least two options")
  .max(20, "Keep it to 20 options")
  .refine((list) => new Set(list.map((o) => o.toLowerCase())).size === list.length, "Each option must be different");

export const intakeQuestionSchema = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.literal("text") }),
  z.object({ ...base, kind: z.literal("long_text") }),
  z.object({ ...base, kind: z.literal("select"), options }),
  z.object({ ...base, kind: z.literal("choice"), options }),
  z.object({
    ...base,
    kind: z.literal("number"),
    unit: singleLineString("Write the unit on one line").trim().max(12, "Keep the unit short (cm, kg …)").optional().default(""),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  }),
  z.object({ ...base, kind: z.literal("money") }),
  z.object({ ...base, kind: z.literal("yes_no") }),
]);

export type IntakeQuestion = z.output<typeof intakeQuestionSchema>;
export type IntakeQuestionInput = z.input<typeof intakeQuestionSchema>;

export const intakeQuestionListSchema = z
  .array(intakeQuestionSchema)
  .max(MAX_INTAKE_QUESTIONS, `Ask at most ${MAX_INTAKE_QUESTIONS} questions`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: "Two questions have the same id" });
      seen.add(q.id);
      if (q.kind === "number" && q.min !== undefined && q.max !== undefined && q.min > q.max) {
        ctx.addIssue({ code: "custom", path: [i, "max"], message: "The largest value is below the smallest" });
      }
    });
  });

/** What the studio sets per service: the questions, whether reference images are asked for, and a consent line. */
export const serviceIntakeSchema = z.object({
  questions: intakeQuestionListSchema,
  asksReferenceImages: z.boolean(),
  consentText: singleLineString("Write the consent line on one line").trim().max(200, "Keep the consent line under 200 characters"),
});
export type ServiceIntake = z.output<typeof serviceIntakeSchema>;

/**
 * The questions stored on a service, read defensively: the column is jsonb, so a row written by
 * an older release (or by hand) that no longer parses asks nothing rather than breaking the page.
 */
export function parseStoredQuestions(value: unknown): IntakeQuestion[] {
  const parsed = intakeQuestionListSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The usual tattoo questions (and a health one), offered by the editor as starting points. */
export const INTAKE_PRESETS: { name: string; question: IntakeQuestionInput }[] = [
  { name: "Placement", question: { id: "placement", kind: "text", label: "Where on the body?", hint: "e.g. left forearm, inner side", required: true } },
  { name: "Size in cm", question: { id: "size_cm", kind: "number", label: "Approximate size", unit: "cm", min: 1, max: 200, required: true } },
  {
    name: "Style",
    question: {
      id: "style",
      kind: "select",
      label: "Style",
      options: ["Fine line", "Blackwork", "Traditional", "Neo-traditional", "Realism", "Lettering", "Not sure yet"],
      required: false,
    },
  },
  {
    name: "Colour or black & grey",
    question: { id: "colour", kind: "choice", label: "Colour or black and grey?", options: ["Colour", "Black and grey"], required: true },
  },
  {
    name: "Budget",
    question: { id: "budget", kind: "money", label: "Your budget", hint: "Helps the artist suggest a size and detail that fit", required: false },
  },
  { name: "First tattoo?", question: { id: "first_tattoo", kind: "yes_no", label: "Is this your first tattoo?", required: false } },
  { name: "Free text", question: { id: "idea", kind: "long_text", label: "Describe your idea", required: false } },
  {
    name: "Health",
    question: {
      id: "health",
      kind: "long_text",
      label: "Injuries, conditions or allergies we should know about",
      hint: "Leave empty if none",
      required: false,
    },
  },
];
