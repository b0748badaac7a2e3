import type { IntakeQuestion } from "./questions";

/** What the customer's request form needs to ask a service's intake (client-safe: no database). */
export type IntakeFormConfig = {
  questions: IntakeQuestion[];
  consentText: string;
  asksReferenceImages: boolean;
  /** The service's currency, for budget questions. */
  currency: string;
};

export const NO_INTAKE: IntakeFormConfig = { questions: [], consentText: "", asksReferenceImages: false, currency: "EUR" };
