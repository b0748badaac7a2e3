import { z } from "@/lib/zod";
import { customerDetailsSchema, submitRequestSchema } from "./schemas";

/**
 * The booking form as the customer fills it in: the same customer schema the public API uses,
 * plus the notes and the consent to the studio's policy. The browser validates with this schema
 * before sending, and the server action validates the same schema again: one set of rules and
 * one set of messages.
 */
export const bookingFormSchema = z.object({
  customer: customerDetailsSchema,
  notes: submitRequestSchema.shape.notes,
  consent: z.literal(true, { error: "Please confirm you accept the studio's policy" }),
});

export type BookingFormInput = z.input<typeof bookingFormSchema>;
export type BookingFormValues = z.output<typeof bookingFormSchema>;

/** Field names (dotted paths) in the order the form shows them, for focusing the first error. */
export const bookingFormFields = ["customer.name", "customer.email", "customer.phone", "notes", "consent"] as const;
export type BookingFormField = (typeof bookingFormFields)[number];
