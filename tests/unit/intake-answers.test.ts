import { describe, expect, it } from "vitest";
import { hasIntake, storedIntakeAnswers, validateIntake, type IntakeRules } from "@/lib/intake/answers";
import { INTAKE_PRESETS, intakeQuestionListSchema, parseStoredQuestions } from "@/lib/intake/questions";

// The tattoo intake a studio would set up from the editor's presets (placement and size required).
const questions = intakeQuestionListSchema.parse(INTAKE_PRESETS.filter((p) => p.name !== "Health").map((p) => p.question));
const rules: IntakeRules = { questions, consentText: "I confirm I am 18 or older.", currency: "EUR", asksReferenceImages: true };
const complete = { placement: "Left forearm", size_cm: "8", colour: "Black and grey" };

function fieldsOf(answers: Record<string, string | number | boolean | null>, consent = true) {
  const check = validateIntake(rules, { answers, consent });
  if (check.ok) throw new Error("the answers were accepted");
  return check.fields;
}

describe("intake answers (lib/intake/answers.ts)", () => {
  it("refuses a request that leaves a required question empty, naming the question, so the artist is never sent a tattoo without a placement", () => {
    const fields = fieldsOf({ size_cm: "8", colour: "Colour", placement: "   " });
    expect(fields["intake.answers.placement"]).toEqual(["Please answer: Where on the body?"]);
    expect(Object.keys(fields)).toEqual(["intake.answers.placement"]);
    expect(fieldsOf({ placement: "Calf", size_cm: "8" })["intake.answers.colour"]).toEqual(["Choose an answer: Colour or black and grey?"]);
  });

  it("refuses a size outside the question's range or one that is not a number, with the unit in the message", () => {
    expect(fieldsOf({ ...complete, size_cm: "0" })["intake.answers.size_cm"]).toEqual(["The smallest is 1 cm"]);
    expect(fieldsOf({ ...complete, size_cm: "250" })["intake.answers.size_cm"]).toEqual(["The largest is 200 cm"]);
    expect(fieldsOf({ ...complete, size_cm: "about ten" })["intake.answers.size_cm"]).toEqual(["Write a number, like 12"]);
    expect(fieldsOf({ ...complete, budget: "-5" })["intake.answers.budget"]).toEqual(["The smallest is 0"]);
  });

  it("refuses a choice that is not one of the question's options (a tampered form or API call)", () => {
    expect(fieldsOf({ ...complete, colour: "Neon" })["intake.answers.colour"]).toEqual(["Choose one of: Colour, Black and grey"]);
    expect(fieldsOf({ ...complete, style: "Fine Line " })["intake.answers.style"]?.[0]).toMatch(/^Choose one of: Fine line, Blackwork/);
    expect(fieldsOf({ ...complete, first_tattoo: "maybe" })["intake.answers.first_tattoo"]).toEqual(["Answer yes or no"]);
  });

  it("refuses the request when the consent line is not ticked, and a control character in a text answer", () => {
    expect(fieldsOf(complete, false)["intake.consent"]).toEqual(["Please tick “I confirm I am 18 or older.” to continue"]);
    expect(fieldsOf({ ...complete, placement: "Arm\u0007" })["intake.answers.placement"]).toBeDefined();
  });

  it("stores the answers normalised, in the service's order, with their labels and printable values", () => {
    const check = validateIntake(rules, {
      answers: { first_tattoo: true, colour: "Colour", budget: "250,50", size_cm: 12.5, placement: "  Left forearm, inner side ", idea: "", extra: "ignored" },
      consent: true,
    });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.consentGiven).toBe(true);
    expect(check.stored!.answers.map((a) => [a.id, a.value, a.display])).toEqual([
      ["placement", "Left forearm, inner side", "Left forearm, inner side"],
      ["size_cm", 12.5, "12.5 cm"],
      ["colour", "Colour", "Colour"],
      ["budget", 250.5, expect.stringMatching(/250\.50/)],
      ["first_tattoo", true, "Yes"],
    ]);
    expect(check.stored!.answers[0]!.label).toBe("Where on the body?");
    // What is stored reads back the same (the booking detail and the artist's link show it).
    expect(storedIntakeAnswers(check.stored)).toEqual(check.stored!.answers);
  });

  it("asks nothing and stores nothing for a service without an intake, and reads broken stored questions as none", () => {
    const none: IntakeRules = { questions: [], consentText: "", currency: "EUR" };
    expect(hasIntake(none)).toBe(false);
    expect(validateIntake(none, undefined)).toEqual({ ok: true, stored: null, consentGiven: false });
    expect(parseStoredQuestions([{ id: "Bad Id", kind: "text", label: "x" }])).toEqual([]);
    expect(storedIntakeAnswers({ nope: 1 })).toEqual([]);
  });
});
