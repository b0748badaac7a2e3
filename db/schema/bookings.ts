import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { artists, services } from "./studio";

export const bookingStatus = pgEnum("booking_status", ["hold", "awaiting_payment", "pending", "confirmed", "rejected", "cancelled", "expired", "completed"]);

/**
 * Where a booking's deposit stands. Tied to the booking's status by the payment_consistency CHECK
 * (hand-written in migration 0015): the database refuses, for instance, a confirmed Stripe deposit
 * booking with nothing paid, or a refund larger than what was paid.
 */
export const paymentState = pgEnum("payment_state", ["none", "due", "paid", "refunded", "partially_refunded", "kept"]);

/**
 * A booking from its first hold to its end. The no-double-booking exclusion constraint and the
 * audit trigger live in the hand-written migration (drizzle cannot express them).
 */
export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => artists.id),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** Buffers as they were when booked, so a later service change cannot open an overlap. */
    bufferBeforeMinutes: integer("buffer_before_minutes").notNull().default(0),
    bufferAfterMinutes: integer("buffer_after_minutes").notNull().default(0),
    status: bookingStatus("status").notNull(),
    holdExpiresAt: timestamp("hold_expires_at", { withTimezone: true }),
    holdTokenHash: text("hold_token_hash"),
    version: integer("version").notNull().default(1),
    customerName: text("customer_name"),
    customerEmail: text("customer_email"),
    customerPhone: text("customer_phone"),
    customerTimezone: text("customer_timezone"),
    notes: text("notes"),
    idempotencyKey: text("idempotency_key"),
    decisionReason: text("decision_reason"),
    /**
     * Per-booking secret mixed into the customer's manage-link token; an admin rotates it to
     * revoke every link sent so far.
     */
    manageSecret: text("manage_secret")
      .notNull()
      .default(sql`replace(gen_random_uuid()::text, '-', '')`),
    /** Price and deposit as they were when booked (integer cents), so a later price change cannot rewrite a booking. */
    priceCents: integer("price_cents"),
    currency: text("currency"),
    depositCents: integer("deposit_cents").notNull().default(0),
    paymentState: paymentState("payment_state").notNull().default("none"),
    /** "stripe" (Checkout) or "manual" (bank transfer / at the studio, marked paid by an admin); null without a deposit. */
    paymentProvider: text("payment_provider"),
    /** The provider's reference: the Stripe Checkout Session id, or an admin's note for a manual payment. */
    paymentRef: text("payment_ref"),
    paidCents: integer("paid_cents").notNull().default(0),
    refundedCents: integer("refunded_cents").notNull().default(0),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** Answers to the service's intake questions (placement, size, style …), keyed by question id. */
    intakeAnswers: jsonb("intake_answers"),
    /** When the customer ticked the service's consent line (e.g. "I am 18 or older"). */
    consentGivenAt: timestamp("consent_given_at", { withTimezone: true }),
    /** Bookings made in one "repeat every N weeks" step share this id; cancelling can take the rest of the series. */
    seriesId: uuid("series_id"),
    caldavUid: text("caldav_uid").notNull(),
    caldavHref: text("caldav_href"),
    caldavEtag: text("caldav_etag"),
    /** When the calendar push last wrote this booking's current state (the journey's "written" step). */
    caldavWrittenAt: timestamp("caldav_written_at", { withTimezone: true }),
    /** When a pull last saw the written event in the artist's calendar (the proof the artist can see it). */
    caldavSeenAt: timestamp("caldav_seen_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("bookings_caldav_uid_key").on(t.caldavUid),
    uniqueIndex("bookings_idempotency_key_key").on(t.idempotencyKey),
    index("bookings_status_starts_idx").on(t.status, t.startsAt),
    index("bookings_artist_starts_idx").on(t.artistId, t.startsAt),
    index("bookings_customer_email_idx").on(sql`lower(${t.customerEmail})`),
    index("bookings_series_idx")
      .on(t.seriesId, t.startsAt)
      .where(sql`${t.seriesId} is not null`),
    index("bookings_expiring_holds_idx")
      .on(t.holdExpiresAt)
      .where(sql`${t.status} = 'hold'`),
    check("bookings_ends_after_starts", sql`${t.endsAt} > ${t.startsAt}`),
    check("bookings_buffers_non_negative", sql`${t.bufferBeforeMinutes} >= 0 and ${t.bufferAfterMinutes} >= 0`),
    check("bookings_hold_has_expiry", sql`${t.status} <> 'hold' or ${t.holdExpiresAt} is not null`),
    check("bookings_money_non_negative", sql`${t.depositCents} >= 0 and ${t.paidCents} >= 0 and ${t.refundedCents} >= 0`),
    index("bookings_payment_ref_idx")
      .on(t.paymentRef)
      .where(sql`${t.paymentRef} is not null`),
  ],
);

/** Written only by the audit trigger: one row per insert/update/delete of a booking. */
export const bookingEvents = pgTable(
  "booking_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    bookingId: uuid("booking_id").notNull(),
    operation: text("operation").notNull(),
    oldStatus: bookingStatus("old_status"),
    newStatus: bookingStatus("new_status"),
    oldRow: jsonb("old_row"),
    newRow: jsonb("new_row"),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    reason: text("reason"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("booking_events_booking_idx").on(t.bookingId, t.id)],
);

/**
 * An artist's time off entered in Holdfast (a holiday, a convention). It blocks slots through its
 * busy_blocks row (time_off_id), so availability and the hold function need no second rule, and
 * it is written into the artist's write calendar as a busy event.
 */
export const timeOff = pgTable(
  "time_off",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    reason: text("reason").notNull().default(""),
    createdBy: text("created_by"),
    caldavUid: text("caldav_uid").notNull(),
    caldavHref: text("caldav_href"),
    caldavEtag: text("caldav_etag"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("time_off_artist_starts_idx").on(t.artistId, t.startsAt),
    uniqueIndex("time_off_caldav_uid_key").on(t.caldavUid),
    check("time_off_ends_after_starts", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** Time the artist is busy outside Holdfast (mirrored from their calendars, or their time off). */
export const busyBlocks = pgTable(
  "busy_blocks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    calendarId: uuid("calendar_id"),
    /** Set for the block of an artist's time off (never touched by a calendar pull). */
    timeOffId: uuid("time_off_id").references(() => timeOff.id, { onDelete: "cascade" }),
    sourceHref: text("source_href"),
    sourceUid: text("source_uid"),
    recurrenceId: text("recurrence_id"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("busy_blocks_calendar_href_idx").on(t.calendarId, t.sourceHref), check("busy_blocks_ends_after_starts", sql`${t.endsAt} > ${t.startsAt}`)],
);

/**
 * The payment ledger: one row per thing that happened to a booking's money (checkout opened, paid,
 * refund requested / done / failed, kept on a no-show, marked paid by an admin). Never updated.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    provider: text("provider").notNull(),
    providerRef: text("provider_ref"),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    detail: jsonb("detail").notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("payments_booking_idx").on(t.bookingId, t.createdAt), check("payments_amount_non_negative", sql`${t.amountCents} >= 0`)],
);

/** Stripe events already applied, by event id: a repeated or concurrent delivery is a no-op. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  bookingId: uuid("booking_id"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Booking = typeof bookings.$inferSelect;
export type NewBooking = typeof bookings.$inferInsert;
export type BookingStatus = (typeof bookingStatus.enumValues)[number];
export type PaymentState = (typeof paymentState.enumValues)[number];
export type Payment = typeof payments.$inferSelect;
export type BookingEvent = typeof bookingEvents.$inferSelect;
export type BusyBlock = typeof busyBlocks.$inferSelect;
export type TimeOff = typeof timeOff.$inferSelect;
