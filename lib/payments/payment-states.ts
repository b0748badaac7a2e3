/**
 * Where a booking's deposit stands, and the moves between states. The database enforces the
 * consistency of each row (the payment_consistency CHECK in migration 0015); this module names the
 * states for people and says which ones the admin list can filter by.
 *
 *   none                 no deposit (deposit_cents = 0)
 *   due                  a deposit is owed: in the Stripe checkout (status awaiting_payment), or in
 *                        the manual mode until an admin marks it paid
 *   paid                 paid in full, nothing refunded
 *   partially_refunded   part of it went back (an admin's partial refund)
 *   refunded             all of it went back (policy on reject/cancel, or an admin)
 *   kept                 the studio keeps what was paid (no-show, late cancellation by policy)
 */
import type { PaymentState } from "@/db/schema";

export const PAYMENT_STATES = ["none", "due", "paid", "refunded", "partially_refunded", "kept"] as const satisfies readonly PaymentState[];

export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  none: "No deposit",
  due: "Deposit due",
  paid: "Deposit paid",
  partially_refunded: "Partly refunded",
  refunded: "Refunded",
  kept: "Deposit kept",
};

/** States in which money was received and some of it is still held by the studio (refundable or keepable). */
export function holdsMoney(state: PaymentState): boolean {
  return state === "paid" || state === "partially_refunded";
}

/** The state after `refundedCents` of `paidCents` went back. */
export function stateAfterRefund(paidCents: number, refundedCents: number): PaymentState {
  return refundedCents >= paidCents ? "refunded" : refundedCents > 0 ? "partially_refunded" : "paid";
}

export type PaymentProvider = "stripe" | "manual";

/** Rows of the payments ledger (the CHECK payments_kind_known lists the same). */
export type PaymentLedgerKind = "checkout_opened" | "checkout_expired" | "paid" | "refund_queued" | "refunded" | "kept";

/** The admin list's payment filter: which states each choice shows. */
export const PAYMENT_FILTER_STATES: Record<"due" | "paid" | "refunded" | "kept", PaymentState[]> = {
  due: ["due"],
  paid: ["paid", "partially_refunded"],
  refunded: ["refunded", "partially_refunded"],
  kept: ["kept"],
};
