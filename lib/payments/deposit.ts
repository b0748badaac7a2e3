/** The deposit a service asks for, computed from its rule and the artist's price (integer cents). */
export type DepositRule = { kind: string; value: number };

export function computeDepositCents(rule: DepositRule, priceCents: number): number {
  if (rule.kind === "fixed") return Math.max(0, Math.trunc(rule.value));
  if (rule.kind === "percent") return Math.max(0, Math.round((priceCents * Math.min(100, Math.max(0, rule.value))) / 100));
  return 0;
}

/**
 * The part of a paid deposit a customer's cancellation gives back, by the studio's policy:
 * "before_notice" refunds outside the notice period and keeps it inside, "always" and "never" say it.
 */
export function customerCancelRefundsDeposit(policy: string, insideNotice: boolean): boolean {
  if (policy === "always") return true;
  if (policy === "never") return false;
  return !insideNotice;
}
