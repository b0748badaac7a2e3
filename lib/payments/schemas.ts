import { z } from "@/lib/zod";

/** POST /api/admin/bookings/:id/payment (and the admin panel's action). */
export const paymentActionSchema = z.strictObject({
  version: z.number().int().positive(),
  action: z.enum(["mark_paid", "refund", "mark_no_show"]),
  amountCents: z
    .number()
    .int()
    .positive()
    .max(100_000_000)
    .optional()
    .meta({ description: "Refund: how much (default: all still held). Mark paid: what was received (default: the deposit)." }),
  note: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, "must be one line")
    .optional()
    .meta({ description: "Why (kept in the ledger); for a manual payment, its reference." }),
});

export type PaymentActionInput = z.infer<typeof paymentActionSchema>;

/** The admin list's filter (the dashboard's "deposit due", "paid", "refunded", "kept"). */
export const paymentFilterSchema = z.enum(["due", "paid", "refunded", "kept"]);
export type PaymentFilter = z.infer<typeof paymentFilterSchema>;
