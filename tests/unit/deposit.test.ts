/**
 * The deposit rules. If these fail, a customer is asked for the wrong deposit (a percentage
 * rounded the wrong way, a "none" service charging something), a refund leaves the wrong state,
 * or a customer's cancellation refunds or keeps the deposit against the studio's policy.
 */
import { describe, expect, it } from "vitest";
import { computeDepositCents, customerCancelRefundsDeposit } from "@/lib/payments/deposit";
import { stateAfterRefund } from "@/lib/payments/payment-states";

describe("computeDepositCents", () => {
  it("takes a fixed amount, a rounded percentage of the price, or nothing", () => {
    expect(computeDepositCents({ kind: "fixed", value: 5000 }, 18000)).toBe(5000);
    expect(computeDepositCents({ kind: "percent", value: 20 }, 90000)).toBe(18000);
    expect(computeDepositCents({ kind: "percent", value: 33 }, 1001)).toBe(330);
    expect(computeDepositCents({ kind: "percent", value: 50 }, 999)).toBe(500);
    expect(computeDepositCents({ kind: "none", value: 0 }, 90000)).toBe(0);
    expect(computeDepositCents({ kind: "percent", value: 20 }, 0)).toBe(0);
  });
});

describe("customerCancelRefundsDeposit", () => {
  it("refunds outside the notice period and keeps inside it under before_notice; always and never say it", () => {
    expect(customerCancelRefundsDeposit("before_notice", false)).toBe(true);
    expect(customerCancelRefundsDeposit("before_notice", true)).toBe(false);
    expect(customerCancelRefundsDeposit("always", true)).toBe(true);
    expect(customerCancelRefundsDeposit("never", false)).toBe(false);
  });
});

describe("stateAfterRefund", () => {
  it("is paid, partly refunded or refunded by how much went back", () => {
    expect(stateAfterRefund(5000, 0)).toBe("paid");
    expect(stateAfterRefund(5000, 1)).toBe("partially_refunded");
    expect(stateAfterRefund(5000, 5000)).toBe("refunded");
  });
});
