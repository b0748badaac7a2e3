import { describe, expect, it } from "vitest";
import { renderNotification, type NotificationContext, type NotificationDeposit } from "@/lib/notifications/templates";
import { notificationDeposit } from "@/lib/notifications/enqueue-notifications";
import { notificationContext } from "../support/notification-context";

function ctx(deposit: Partial<NotificationDeposit> | null, overrides: Partial<NotificationContext> = {}): NotificationContext {
  return notificationContext({
    deposit: deposit && {
      state: "paid",
      amountCents: 5000,
      paidCents: 5000,
      refundedCents: 0,
      currency: "EUR",
      provider: "stripe",
      manualInstructions: "",
      keptBecause: null,
      ...deposit,
    },
    ...overrides,
  });
}

describe("the request and confirmation mails say what was paid or is due", () => {
  it("a paid deposit shows 'Deposit paid: €50' in the request mail, text and HTML", () => {
    const r = renderNotification("request_received", ctx({}));
    expect(r.text).toContain("Deposit paid: €50");
    expect(r.html).toContain("Deposit paid");
    expect(r.html).toContain("€50");
  });

  it("a manual deposit still due shows the amount and the studio's payment instructions", () => {
    const r = renderNotification(
      "booking_confirmed",
      ctx({ state: "due", paidCents: 0, provider: "manual", manualInstructions: "IBAN DE02 1203 0000 0000 2020 51, reference your name" }),
    );
    expect(r.text).toContain("Deposit due: €50 — IBAN DE02 1203 0000 0000 2020 51, reference your name");
  });

  it("a manual deposit due without instructions still says how it can be paid", () => {
    expect(renderNotification("request_received", ctx({ state: "due", paidCents: 0, provider: "manual" })).text).toContain(
      "Deposit due: €50 — by bank transfer or at the studio",
    );
  });

  it("the studio's new-request mail shows the deposit too", () => {
    expect(renderNotification("studio_new_request", ctx({})).text).toContain("Deposit paid: €50");
  });

  it("a booking without a deposit mentions none", () => {
    for (const kind of ["request_received", "booking_confirmed", "booking_rejected", "booking_cancelled"] as const) {
      expect(renderNotification(kind, ctx(null)).text).not.toMatch(/deposit/i);
    }
  });
});

describe("the rejection and cancellation mails say what happens to the deposit", () => {
  it("a declined request with a paid deposit says it will be refunded", () => {
    const r = renderNotification("booking_rejected", ctx({ state: "refunded", refundedCents: 5000 }));
    expect(r.text).toContain("Your deposit of €50 will be refunded");
    expect(r.html).toContain("Your deposit of €50 will be refunded");
  });

  it("a studio cancellation with a manual deposit says it will be refunded (no card mentioned)", () => {
    const r = renderNotification("booking_cancelled", ctx({ state: "refunded", refundedCents: 5000, provider: "manual" }, { cancelledBy: "studio" }));
    expect(r.text).toContain("Your deposit of €50 will be refunded.");
  });

  it("a late customer cancellation says the deposit is kept and why", () => {
    const r = renderNotification(
      "booking_cancelled",
      ctx({ state: "kept", keptBecause: "cancelled less than 48 hours before the start, or not shown up" }, { cancelledBy: "customer" }),
    );
    expect(r.text).toContain("Your deposit of €50 is kept per the studio's policy (cancelled less than 48 hours before the start, or not shown up).");
  });

  it("only what is still held is called kept after a partial refund", () => {
    expect(renderNotification("booking_cancelled", ctx({ state: "kept", refundedCents: 2000 })).text).toContain("Your deposit of €30 is kept");
  });

  it("a declined request whose manual deposit was never paid says there is nothing to pay", () => {
    expect(renderNotification("booking_rejected", ctx({ state: "due", paidCents: 0, provider: "manual" })).text).toContain(
      "No deposit was paid, so there is nothing to pay or refund.",
    );
  });
});

describe("a completed refund is mailed", () => {
  it("says how much went back, to the card for Stripe", () => {
    const r = renderNotification("deposit_refunded", ctx({ state: "partially_refunded", refundedCents: 2000 }, { refundedCents: 2000 }));
    expect(r.subject).toBe("Deposit refunded: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET");
    expect(r.text).toContain("Holdfast Studio has refunded €20 of your deposit to the card you paid with");
    expect(r.text).toContain("Refunded: €20");
    expect(r.text).toContain("Deposit paid: €50 (€20 refunded)");
  });
});

describe("a no-show is mailed", () => {
  // Else the customer learns that the studio kept their money only from a bank statement.
  it("says the appointment was missed, what is kept and why", () => {
    const r = renderNotification("deposit_kept", ctx({ state: "kept", keptBecause: "cancelled less than 48 hours before the start, or not shown up" }));
    expect(r.subject).toBe("Missed appointment: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET");
    expect(r.text).toContain("Holdfast Studio marked your appointment as missed.");
    expect(r.text).toContain("Your deposit of €50 is kept per the studio's policy (cancelled less than 48 hours before the start, or not shown up).");
    expect(r.text).toContain("Deposit kept: €50");
  });
});

describe("the mail's deposit comes from the booking row and the studio's policy", () => {
  const studio = { manualPaymentInstructions: "Pay at the desk", customerCancelRefund: "before_notice", cancellationNoticeHours: 48 };
  const row = { paymentState: "kept" as const, depositCents: 5000, paidCents: 5000, refundedCents: 0, currency: "EUR", paymentProvider: "stripe" };

  it("names the notice period as the reason a deposit is kept", () => {
    expect(notificationDeposit(row, studio)?.keptBecause).toBe("cancelled less than 48 hours before the start, or not shown up");
  });

  it("names a never-refund policy as the reason", () => {
    expect(notificationDeposit(row, { ...studio, customerCancelRefund: "never" })?.keptBecause).toBe(
      "the deposit is not refunded when you cancel or do not show up",
    );
  });

  it("gives no deposit for a booking without one", () => {
    expect(notificationDeposit({ ...row, paymentState: "none", depositCents: 0, paidCents: 0 }, studio)).toBeNull();
  });
});
