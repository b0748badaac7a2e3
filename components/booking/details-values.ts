import type { BookingFormField, BookingFormInput } from "@/lib/bookings/booking-form";
import type { IntakeInput } from "@/lib/intake/answers";

/**
 * The booking form's values and their shape for the server, apart from the form itself: the
 * booking flow needs them from the first render, while the form (and the zod schemas it checks
 * with in the browser) loads only once the customer holds a time.
 */
export type DetailsValues = {
  name: string;
  email: string;
  phone: string;
  notes: string;
  consent: boolean;
  /** Answers to the service's intake questions, as typed (keyed by question id). */
  intake: Record<string, string>;
  /** The service's own consent line (e.g. "I am 18 or older"), separate from the studio's policy. */
  intakeConsent: boolean;
};
export const emptyDetails: DetailsValues = { name: "", email: "", phone: "", notes: "", consent: false, intake: {}, intakeConsent: false };
export type FieldErrors = Partial<Record<BookingFormField | string, string[]>>;

/** The form's values in the shape of the shared schema (and of the server action's input). */
export function toFormInput(v: DetailsValues): BookingFormInput & { intake: IntakeInput } {
  return {
    customer: { name: v.name, email: v.email, phone: v.phone || null },
    notes: v.notes || null,
    consent: v.consent as true,
    intake: { answers: v.intake ?? {}, consent: v.intakeConsent ?? false },
  };
}
