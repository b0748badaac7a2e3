"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAdminApi } from "./api";
import { formatInstant } from "./format";
import { PAYMENT_STATE_LABELS } from "@/lib/payments/payment-states";
import type { SerializedLedgerRow, SerializedPayment } from "@/lib/payments/ledger";
import { formatPrice } from "@/lib/studio/format-price";

type Props = {
  booking: { id: string; status: string; version: number; start: string; timezone: string };
  payment: SerializedPayment;
  ledger: SerializedLedgerRow[];
};

/** Read at render time; kept out of the component body so render stays pure (a no-show needs the start passed). */
function hasStarted(iso: string) {
  return Date.parse(iso) <= Date.now();
}

const LEDGER_LABELS: Record<SerializedLedgerRow["kind"], string> = {
  checkout_opened: "Checkout opened",
  checkout_expired: "Checkout expired unpaid",
  paid: "Paid",
  refund_queued: "Refund queued",
  refunded: "Refunded",
  kept: "Kept",
};

/**
 * The deposit on the booking's detail page: its state and ledger, and the admin's actions on it
 * (mark a manual deposit paid, refund all or part, mark a no-show) through
 * POST /api/admin/bookings/:id/payment, with the version the page was loaded at.
 */
export function BookingPaymentPanel({ booking, payment, ledger }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [refundEuros, setRefundEuros] = useState("");
  if (payment.state === "none") return null;
  const currency = payment.currency ?? "EUR";
  const held = payment.paidCents - payment.refundedCents;
  const canHold = payment.state === "paid" || payment.state === "partially_refunded";
  const started = hasStarted(booking.start);
  const refundsQueued = ledger.filter((r) => r.kind === "refund_queued").length;
  const refundsDone = ledger.filter((r) => r.kind === "refunded" && r.provider === "stripe" && r.providerRef).length;

  const act = (action: "mark_paid" | "refund" | "mark_no_show", amountCents?: number) =>
    startTransition(async () => {
      setError(null);
      const result = await callAdminApi(`/api/admin/bookings/${booking.id}/payment`, { body: { version: booking.version, action, amountCents } });
      if (!result.ok) return setError(result.error.message);
      setRefundEuros("");
      router.refresh();
    });

  const partial = () => {
    const cents = Math.round(Number(refundEuros.replace(",", ".")) * 100);
    if (!Number.isFinite(cents) || cents <= 0) return setError("Enter the amount to refund");
    act("refund", cents);
  };

  return (
    <section className="panel" aria-labelledby="b-payment" data-testid="booking-payment">
      <h2 id="b-payment">Deposit</h2>
      <dl className="fields">
        <dt>State</dt>
        <dd data-testid="payment-state">{PAYMENT_STATE_LABELS[payment.state]}</dd>
        <dt>Deposit</dt>
        <dd>
          {formatPrice(payment.amountCents, currency)} · {payment.provider === "stripe" ? "Stripe Checkout" : "manual (bank transfer / at the studio)"}
        </dd>
        {payment.paidCents > 0 && (
          <>
            <dt>Paid</dt>
            <dd>
              {formatPrice(payment.paidCents, currency)}
              {payment.paidAt && <> on {formatInstant(payment.paidAt, booking.timezone)}</>}
            </dd>
          </>
        )}
        {payment.refundedCents > 0 && (
          <>
            <dt>Refunded</dt>
            <dd>
              {formatPrice(payment.refundedCents, currency)}
              {refundsQueued > refundsDone && (
                <span className="muted">
                  {" "}
                  (sent to Stripe: {refundsDone} of {refundsQueued}; retried until it goes through)
                </span>
              )}
            </dd>
          </>
        )}
        {payment.providerRef && (
          <>
            <dt>Reference</dt>
            <dd className="mono">{payment.providerRef}</dd>
          </>
        )}
      </dl>
      <div className="actions">
        {payment.provider === "manual" && payment.state === "due" && ["pending", "confirmed", "completed"].includes(booking.status) && (
          <button type="button" onClick={() => act("mark_paid")} disabled={pending}>
            Mark deposit paid
          </button>
        )}
        {canHold && (
          <>
            <button type="button" onClick={() => act("refund")} disabled={pending}>
              Refund {formatPrice(held, currency)}
            </button>
            <label>
              Partial refund ({currency}){" "}
              <input inputMode="decimal" value={refundEuros} onChange={(e) => setRefundEuros(e.target.value)} size={8} aria-label="Partial refund amount" />
            </label>
            <button type="button" onClick={partial} disabled={pending || refundEuros === ""}>
              Refund part
            </button>
            {started && ["confirmed", "completed"].includes(booking.status) && (
              <button type="button" onClick={() => act("mark_no_show")} disabled={pending}>
                No-show: keep the deposit
              </button>
            )}
          </>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {ledger.length > 0 && (
        <ol className="small" aria-label="Payment ledger">
          {ledger.map((row) => (
            <li key={row.id}>
              {formatInstant(row.at, booking.timezone)} · {LEDGER_LABELS[row.kind]}
              {row.amountCents > 0 && <> {formatPrice(row.amountCents, row.currency)}</>} · {row.actorKind}
              {row.reason && <> · {row.reason}</>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
