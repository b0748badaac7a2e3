/**
 * The one way a price is printed, on the public pages and in the admin alike, so a customer and
 * the studio never read two different amounts for the same service. Pure and browser-safe.
 */
import { numberFormat } from "@/lib/time/intl-cache";

/**
 * "€90", "€90.50", "US$1,234.56", or "Free" for 0.
 *
 * `cents` is the stored amount: hundredths of the service's `currency` whatever its ISO minor unit
 * (the service form stores "90.50" as 9050 for every currency), so it is always divided by 100; a
 * yen price of 9000 is 900000 and prints "JP¥9,000". Whole amounts drop the ".00" and the rest show
 * exactly two decimals, so no stored hundredth is rounded away. en-GB like every other text in the
 * app; it names the dollar ("US$") because a bare "$" could be any of a dozen currencies.
 */
export function formatPrice(cents: number, currency: string): string {
  if (cents === 0) return "Free";
  const digits = cents % 100 === 0 ? 0 : 2;
  return numberFormat("en-GB", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(cents / 100);
}
