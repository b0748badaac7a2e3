import type { CustomerPaymentView } from "@/lib/payments/customer-payment";
import { formatPrice } from "@/lib/studio/format-price";
import { formatDateTimeInZone } from "@/lib/time/format-in-zone";

type Props = { payment: CustomerPaymentView | null; zone: string; returnedFromCheckout: boolean };

/**
 * The deposit on the customer's confirmation and manage pages. "Payment being confirmed" is shown
 * after the return from Stripe until the webhook has applied the payment (the page refreshes
 * itself); the booking is never confirmed on the browser's word.
 */
export function DepositNotice({ payment, zone, returnedFromCheckout }: Props) {
  if (!payment) return null;
  const amount = formatPrice(payment.amountCents, payment.currency);
  let line: React.ReactNode;
  if (payment.status === "awaiting_payment") {
    line = returnedFromCheckout ? (
      <>
        <meta httpEquiv="refresh" content="3" />
        <strong>Payment being confirmed.</strong> We are waiting for Stripe to confirm your deposit of {amount}; this page updates by itself.
      </>
    ) : (
      <>
        <strong>Deposit due: {amount}.</strong> Your time is held
        {payment.holdUntil ? ` until ${formatDateTimeInZone(new Date(payment.holdUntil), zone)}` : ""} while you pay.{" "}
        {payment.checkoutUrl ? (
          <a className="button primary" href={payment.checkoutUrl}>
            Pay the deposit
          </a>
        ) : null}
      </>
    );
  } else if (payment.state === "due" && payment.status === "expired") {
    line = <>The time to pay the deposit ran out and the slot was released. You can book again.</>;
  } else if (payment.state === "due") {
    line = (
      <>
        <strong>Deposit due: {amount}</strong> — pay by bank transfer or at the studio.{payment.instructions ? ` ${payment.instructions}` : ""}
      </>
    );
  } else if (payment.state === "paid") {
    line = (
      <>
        <strong>Deposit paid: {formatPrice(payment.paidCents, payment.currency)}</strong>
        {payment.paidAt ? ` on ${formatDateTimeInZone(new Date(payment.paidAt), zone)}` : ""}.
      </>
    );
  } else if (payment.state === "refunded" || payment.state === "partially_refunded") {
    line = (
      <>
        <strong>Deposit refunded: {formatPrice(payment.refundedCents, payment.currency)}</strong> of {formatPrice(payment.paidCents, payment.currency)} paid.
      </>
    );
  } else {
    line = (
      <>
        <strong>Deposit kept: {formatPrice(payment.paidCents - payment.refundedCents, payment.currency)}</strong> — kept by the studio under its policy.
      </>
    );
  }
  return (
    <section aria-labelledby="deposit-title" className="card deposit" data-testid="deposit-notice">
      <h2 id="deposit-title">Deposit</h2>
      <p role="status">{line}</p>
      <p className="small muted">{payment.refundPolicy}</p>
    </section>
  );
}
