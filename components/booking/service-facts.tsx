import { formatPrice } from "@/lib/studio/format-price";
import { duration } from "./format";

export type ServiceFactsInput = {
  durationMinutes: number;
  priceCents: number;
  currency: string;
  autoConfirm: boolean;
  /**
   * The deposit taken when booking, once the studio asks for one (the deposits work adds it to the
   * service). Null or absent: no deposit line.
   */
  deposit?: { amountCents: number; currency: string } | null;
};

/**
 * "1 h · €90 · €30 deposit · Confirmed instantly": what a customer weighs before booking, written
 * the same way on the home page, the artist page and the booking page.
 */
export function ServiceFacts({ service, className = "service-facts" }: { service: ServiceFactsInput; className?: string }) {
  const parts = [
    { key: "duration", text: duration(service.durationMinutes) },
    { key: "price", text: formatPrice(service.priceCents, service.currency) },
    ...(service.deposit && service.deposit.amountCents > 0
      ? [{ key: "deposit", text: `${formatPrice(service.deposit.amountCents, service.deposit.currency)} deposit` }]
      : []),
    { key: "confirm", text: confirmationText(service.autoConfirm) },
  ];
  return (
    <p className={className}>
      {parts.map((p, i) => (
        <span key={p.key} className={`fact-${p.key}${p.key === "confirm" ? (service.autoConfirm ? " instant" : " request") : ""}`}>
          {i > 0 ? <span aria-hidden="true"> · </span> : null}
          {i > 0 ? <span className="sr-only">, </span> : null}
          {p.text}
        </span>
      ))}
    </p>
  );
}

/** "Confirmed instantly" or "The studio confirms your request". */
export function confirmationText(autoConfirm: boolean): string {
  return autoConfirm ? "Confirmed instantly" : "The studio confirms your request";
}
