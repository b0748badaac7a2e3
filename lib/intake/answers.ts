import { z } from "@/lib/zod";
import { multiLineString, singleLineString } from "@/lib/bookings/schemas";
import { formatPrice } from "@/lib/studio/format-price";
import { intakeInputSchema, type IntakeInput } from "./intake-input";
import type { IntakeQuestion } from "./questions";

export { intakeInputSchema, type IntakeInput };

/** What the booking keeps (bookings.intake_answers): each answered question with its label and a printable value, in the service's order. */
export type StoredIntakeAnswer = { id: string; label: string; kind: IntakeQuestion["kind"]; value: string | number | boolean; display: string };
export type StoredIntake = { answers: StoredIntakeAnswer[] };

export type IntakeRules = { questions: IntakeQuestion[]; consentText: string; currency: string; asksReferenceImages?: boolean };

/** Whether a service asks anything at all (questions or a consent line). */
export function hasIntake(rules: Pick<IntakeRules, "questions" | "consentText">): boolean {
  return rules.questions.length > 0 || rules.consentText.trim() !== "";
}

function asText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

const NUMBER_RE = /^-?\d{1,9}([.,]\d{1,2})?$/;

/** The schema of one answer (as text, empty meaning unanswered), turning it into the stored value. */
function answerSchema(q: IntakeQuestion, currency: string) {
  const missing = q.kind === "select" || q.kind === "choice" || q.kind === "yes_no" ? `Choose an answer: ${q.label}` : `Please answer: ${q.label}`;
  const text =
    q.kind === "long_text"
      ? multiLineString("Remove the control characters").trim().max(2000, "Keep it under 2000 characters")
      : singleLineString("Write it on one line").trim().max(200, "Keep it under 200 characters");
  return text.transform((raw, ctx): Omit<StoredIntakeAnswer, "id" | "label" | "kind"> | null => {
    if (raw === "") {
      if (q.required) ctx.addIssue({ code: "custom", message: missing });
      return null;
    }
    switch (q.kind) {
      case "text":
      case "long_text":
        return { value: raw, display: raw };
      case "select":
      case "choice":
        if (!q.options.includes(raw)) {
          ctx.addIssue({ code: "custom", message: `Choose one of: ${q.options.join(", ")}` });
          return null;
        }
        return { value: raw, display: raw };
      case "yes_no": {
        const yes = ["yes", "true"].includes(raw.toLowerCase());
        if (!yes && !["no", "false"].includes(raw.toLowerCase())) {
          ctx.addIssue({ code: "custom", message: "Answer yes or no" });
          return null;
        }
        return { value: yes, display: yes ? "Yes" : "No" };
      }
      case "number":
      case "money": {
        if (!NUMBER_RE.test(raw)) {
          ctx.addIssue({ code: "custom", message: q.kind === "money" ? "Write an amount, like 250" : "Write a number, like 12" });
          return null;
        }
        const n = Number(raw.replace(",", "."));
        const min = q.kind === "money" ? 0 : q.min;
        const max = q.kind === "money" ? 1_000_000 : q.max;
        if (min !== undefined && n < min)
          ctx.addIssue({ code: "custom", message: `The smallest is ${min}${q.kind === "number" && q.unit ? ` ${q.unit}` : ""}` });
        else if (max !== undefined && n > max)
          ctx.addIssue({ code: "custom", message: `The largest is ${max}${q.kind === "number" && q.unit ? ` ${q.unit}` : ""}` });
        else if (q.kind === "money") return { value: n, display: formatPrice(Math.round(n * 100), currency) };
        else return { value: n, display: q.unit ? `${n} ${q.unit}` : String(n) };
        return null;
      }
    }
  });
}

export type IntakeCheck = { ok: true; stored: StoredIntake | null; consentGiven: boolean } | { ok: false; fields: Record<string, string[]> };

/**
 * Checks a customer's answers against the service's questions and consent line. Field errors are
 * keyed `intake.answers.<question id>` and `intake.consent` (the form's field names), in the one
 * error shape. Used by the browser before sending and by submitRequest inside its transaction.
 */
export function validateIntake(rules: IntakeRules, input: IntakeInput | null | undefined): IntakeCheck {
  const parsed = intakeInputSchema.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, fields: { intake: parsed.error.issues.map((i) => i.message) } };
  const { answers, consent } = parsed.data;
  const fields: Record<string, string[]> = {};
  const stored: StoredIntakeAnswer[] = [];
  for (const q of rules.questions) {
    const result = answerSchema(q, rules.currency).safeParse(asText(answers[q.id]));
    if (!result.success) fields[`intake.answers.${q.id}`] = result.error.issues.map((i) => i.message);
    else if (result.data) stored.push({ id: q.id, label: q.label, kind: q.kind, ...result.data });
  }
  const consentText = rules.consentText.trim();
  if (consentText && consent !== true) fields["intake.consent"] = [`Please tick “${consentText}” to continue`];
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  // Stored (even empty) whenever the service asks something, so the booking is known to have an intake to show.
  const asks = rules.questions.length > 0 || rules.asksReferenceImages === true;
  return { ok: true, stored: asks ? { answers: stored } : null, consentGiven: consentText !== "" && consent === true };
}

const storedSchema = z.object({
  answers: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.string(),
      value: z.union([z.string(), z.number(), z.boolean()]),
      display: z.string(),
    }),
  ),
});

/** A booking's stored answers (bookings.intake_answers), or [] when it has none or they do not parse. */
export function storedIntakeAnswers(value: unknown): StoredIntakeAnswer[] {
  const parsed = storedSchema.safeParse(value);
  return parsed.success ? (parsed.data.answers as StoredIntakeAnswer[]) : [];
}
