import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { artistServices, payments, services, type Booking, type Payment } from "@/db/schema";
import type { Actor } from "@/lib/bookings/audit-context";
import { computeDepositCents } from "./deposit";
import type { PaymentLedgerKind, PaymentProvider } from "./payment-states";

/** Adds one row to the payments ledger (never updated: the trigger refuses it). */
export async function recordPayment(
  tx: Executor,
  booking: Pick<Booking, "id" | "currency">,
  row: { kind: PaymentLedgerKind; amountCents: number; provider: PaymentProvider; providerRef?: string | null; actor: Actor; detail?: Record<string, unknown> },
): Promise<Payment | undefined> {
  const [inserted] = await tx
    .insert(payments)
    .values({
      bookingId: booking.id,
      kind: row.kind,
      amountCents: row.amountCents,
      currency: booking.currency ?? "EUR",
      provider: row.provider,
      providerRef: row.providerRef ?? null,
      actorKind: row.actor.kind,
      actorId: row.actor.id ?? null,
      detail: row.detail ?? {},
    })
    // A Stripe payment or refund already recorded (payments_stripe_once) is not recorded twice.
    .onConflictDoNothing()
    .returning();
  return inserted;
}

export async function latestLedgerRow(tx: Executor, bookingId: string, kind: PaymentLedgerKind): Promise<Payment | undefined> {
  const [row] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), eq(payments.kind, kind)))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(1);
  return row;
}

export async function ledgerOf(tx: Executor, bookingId: string): Promise<Payment[]> {
  return tx.select().from(payments).where(eq(payments.bookingId, bookingId)).orderBy(payments.createdAt, payments.id);
}

/** The price and deposit a booking of this artist and service takes now (snapshotted on the booking when it is requested). */
export async function loadDepositTerms(tx: Executor, artistId: string, serviceId: string) {
  const [row] = await tx
    .select({
      priceCents: sql<number>`coalesce(${artistServices.priceCents}, ${services.priceCents})`,
      currency: services.currency,
      depositKind: services.depositKind,
      depositValue: services.depositValue,
      autoConfirm: services.autoConfirm,
    })
    .from(services)
    .leftJoin(artistServices, and(eq(artistServices.serviceId, services.id), eq(artistServices.artistId, artistId)))
    .where(eq(services.id, serviceId));
  if (!row) throw new Error(`service ${serviceId} is missing`);
  const priceCents = Number(row.priceCents);
  return {
    priceCents,
    currency: row.currency,
    depositCents: computeDepositCents({ kind: row.depositKind, value: row.depositValue }, priceCents),
    autoConfirm: row.autoConfirm,
  };
}

/** The `payment` object of GET /api/admin/bookings/:id (and the admin panel). */
export function serializePayment(b: Booking) {
  return {
    state: b.paymentState,
    amountCents: b.depositCents,
    currency: b.currency,
    paidCents: b.paidCents,
    paidAt: b.paidAt?.toISOString() ?? null,
    refundedCents: b.refundedCents,
    provider: (b.paymentProvider as PaymentProvider | null) ?? null,
    providerRef: b.paymentRef,
  };
}

export type SerializedPayment = ReturnType<typeof serializePayment>;

/** One ledger row as the admin detail shows it (the checkout URL in `detail` stays inside). */
export function serializeLedgerRow(p: Payment) {
  const detail = (p.detail ?? {}) as { reason?: string; status?: string };
  return {
    id: p.id,
    at: p.createdAt.toISOString(),
    kind: p.kind as PaymentLedgerKind,
    amountCents: p.amountCents,
    currency: p.currency,
    provider: p.provider as PaymentProvider,
    providerRef: p.providerRef,
    actorKind: p.actorKind,
    actorId: p.actorId,
    reason: detail.reason ?? null,
  };
}

export type SerializedLedgerRow = ReturnType<typeof serializeLedgerRow>;
