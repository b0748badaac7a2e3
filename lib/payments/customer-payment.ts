import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings } from "@/db/schema";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { formatPrice } from "@/lib/studio/format-price";
import { latestLedgerRow } from "./ledger";
import { stripeConfigured } from "./stripe-client";

export type CustomerPaymentView = {
  state: "none" | "due" | "paid" | "refunded" | "partially_refunded" | "kept";
  status: string;
  provider: "stripe" | "manual" | null;
  amountCents: number;
  currency: string;
  paidCents: number;
  refundedCents: number;
  paidAt: string | null;
  /** While the booking waits for its Stripe payment: where to pay, and until when the time is held. */
  checkoutUrl: string | null;
  holdUntil: string | null;
  /** The manual mode's "how to pay" (bank details, at the studio). */
  instructions: string;
  refundPolicy: string;
};

/**
 * The deposit as the customer's confirmation and manage pages show it. The caller has already
 * checked the signed link (loadCustomerBookingOr404). The state comes from the database only:
 * coming back from the checkout proves nothing until Stripe's webhook has applied the payment.
 */
export async function getCustomerPaymentView(db: Executor, bookingId: string): Promise<CustomerPaymentView | null> {
  const [b] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!b || b.paymentState === "none") return null;
  const studio = await getStudioSettings(db);
  return {
    state: b.paymentState,
    status: b.status,
    provider: (b.paymentProvider as "stripe" | "manual" | null) ?? null,
    amountCents: b.depositCents,
    currency: b.currency ?? "EUR",
    paidCents: b.paidCents,
    refundedCents: b.refundedCents,
    paidAt: b.paidAt?.toISOString() ?? null,
    checkoutUrl: await openCheckoutUrl(db, b),
    holdUntil: b.status === "awaiting_payment" ? (b.holdExpiresAt?.toISOString() ?? null) : null,
    instructions: studio.manualPaymentInstructions,
    refundPolicy: refundPolicyText(studio.customerCancelRefund, studio.cancellationNoticeHours),
  };
}

/** Where a booking waiting for its Stripe payment is paid: its open checkout, from the ledger; null otherwise. */
export async function openCheckoutUrl(db: Executor, booking: { id: string; status: string }): Promise<string | null> {
  if (booking.status !== "awaiting_payment") return null;
  const opened = await latestLedgerRow(db, booking.id, "checkout_opened");
  return opened ? ((opened.detail as { url?: string }).url ?? null) : null;
}

/** The studio's refund policy in one sentence (shown before paying and on the booking). */
export function refundPolicyText(policy: string, noticeHours: number): string {
  if (policy === "always") return "If you cancel, the deposit is refunded. If the studio declines or cancels, it is refunded in full.";
  if (policy === "never") return "The deposit is not refunded if you cancel or do not show up. If the studio declines or cancels, it is refunded in full.";
  return `Cancel more than ${noticeHours} hours before the start and the deposit is refunded; later, or if you do not show up, the studio keeps it. If the studio declines or cancels, it is refunded in full.`;
}

/** The booking page's line before sending: the deposit, how it is paid (Stripe or manual), and the refund policy. */
export async function depositPolicyLine(db: Executor, deposit: { amountCents: number; currency: string }): Promise<string> {
  const studio = await getStudioSettings(db);
  const amount = formatPrice(deposit.amountCents, deposit.currency);
  const how = stripeConfigured()
    ? `Deposit: ${amount}, paid online when you send this (your time is held for ${studio.paymentWindowMinutes} minutes while you pay).`
    : `Deposit: ${amount}, due by bank transfer or at the studio.${studio.manualPaymentInstructions ? ` ${studio.manualPaymentInstructions}` : ""}`;
  return `${how} ${refundPolicyText(studio.customerCancelRefund, studio.cancellationNoticeHours)}`;
}
