import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { Booking } from "@/db/schema";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { loadDepositTerms } from "./ledger";
import { stripeConfigured } from "./stripe-client";

/**
 * The price and deposit a request snapshots, and for a deposit service with Stripe configured the
 * `awaiting_payment` status: the booking keeps blocking its slot (the exclusion constraint covers
 * it) for the studio's payment window while the customer is in the checkout. Without Stripe the
 * request goes ahead as usual with the deposit `due` in the manual mode.
 */
export async function depositOnRequest(tx: Executor, hold: Pick<Booking, "artistId" | "serviceId">) {
  const terms = await loadDepositTerms(tx, hold.artistId, hold.serviceId);
  const snapshot = { priceCents: terms.priceCents, currency: terms.currency, depositCents: terms.depositCents };
  if (terms.depositCents === 0) return { columns: { ...snapshot, paymentState: "none" as const, paymentProvider: null }, awaitingPayment: false };
  if (!stripeConfigured()) return { columns: { ...snapshot, paymentState: "due" as const, paymentProvider: "manual" }, awaitingPayment: false };
  const windowMinutes = (await getStudioSettings(tx)).paymentWindowMinutes;
  return {
    columns: {
      ...snapshot,
      paymentState: "due" as const,
      paymentProvider: "stripe",
      status: "awaiting_payment" as const,
      holdExpiresAt: sql`now() + make_interval(mins => ${windowMinutes}::int)`,
      confirmedAt: null,
    },
    awaitingPayment: true,
  };
}
