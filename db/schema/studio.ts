import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, time, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

/** One row: the studio's own settings (id is always 1). */
export const studioSettings = pgTable(
  "studio_settings",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull(),
    /** The studio's contact address: invitations' ORGANIZER, Reply-To of every customer email, the footer. */
    email: text("email").notNull(),
    timezone: text("timezone").notNull(),
    /** Postal address, one line per line: shown to customers and sent as the invitation's LOCATION. */
    address: text("address").notNull().default(""),
    phone: text("phone").notNull().default(""),
    /** A link to the studio on a map (OpenStreetMap, Google Maps …), shown beside the address. */
    mapUrl: text("map_url").notNull().default(""),
    cancellationNoticeHours: integer("cancellation_notice_hours").notNull().default(24),
    policyText: text("policy_text").notNull().default(""),
    /** What to do when an artist edits a Holdfast event in their calendar: apply it, or ask an admin. */
    calendarEditPolicy: text("calendar_edit_policy").notNull().default("review"),
    /** Whether a customer who cancels gets the deposit back: "before_notice" (outside the notice period), "always" or "never". */
    customerCancelRefund: text("customer_cancel_refund").notNull().default("before_notice"),
    /** How long an unpaid Stripe checkout keeps the slot (Stripe's own minimum is 30 minutes). */
    paymentWindowMinutes: integer("payment_window_minutes").notNull().default(30),
    /** Shown in manual mode (no Stripe key): how to pay the deposit (bank details, "at the studio"). */
    manualPaymentInstructions: text("manual_payment_instructions").notNull().default(""),
    /** Origins (https://studio.example) allowed to frame the booking page (the embed). */
    embedOrigins: text("embed_origins")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("studio_settings_single_row", sql`${t.id} = 1`),
    check("studio_settings_refund_policy", sql`${t.customerCancelRefund} in ('before_notice', 'always', 'never')`),
    check("studio_settings_payment_window", sql`${t.paymentWindowMinutes} between 30 and 1440`),
  ],
);

export const artists = pgTable("artists", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  bio: text("bio").notNull().default(""),
  email: text("email"),
  /** Whether the artist's own email also gets the studio's "a customer changed a booking" mails. */
  notifyByEmail: boolean("notify_by_email").notNull().default(true),
  timezone: text("timezone").notNull(),
  active: boolean("active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const services = pgTable(
  "services",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    durationMinutes: integer("duration_minutes").notNull(),
    bufferBeforeMinutes: integer("buffer_before_minutes").notNull().default(0),
    bufferAfterMinutes: integer("buffer_after_minutes").notNull().default(0),
    priceCents: integer("price_cents").notNull().default(0),
    currency: text("currency").notNull().default("EUR"),
    autoConfirm: boolean("auto_confirm").notNull().default(false),
    minNoticeMinutes: integer("min_notice_minutes").notNull().default(120),
    bookingWindowDays: integer("booking_window_days").notNull().default(60),
    slotStepMinutes: integer("slot_step_minutes").notNull().default(30),
    /** How long before a confirmed appointment each reminder goes out; empty means none. */
    reminderLeadMinutes: integer("reminder_lead_minutes")
      .array()
      .notNull()
      .default(sql`'{1440}'::integer[]`),
    /** Whether a customer may book a confirmed appointment again every N weeks from their manage page. */
    customerCanRepeat: boolean("customer_can_repeat").notNull().default(false),
    /** "none", "fixed" (depositValue in cents) or "percent" (depositValue 1–100 of the price). */
    depositKind: text("deposit_kind").notNull().default("none"),
    depositValue: integer("deposit_value").notNull().default(0),
    /**
     * Questions asked when booking (placement, size, style …): [{id, kind, label, required, options?}].
     * The shape is validated by its zod schema beside the intake domain code.
     */
    intakeQuestions: jsonb("intake_questions").notNull().default([]),
    /** Whether the request form asks for reference images (up to 5). */
    asksReferenceImages: boolean("asks_reference_images").notNull().default(false),
    /** A consent line the customer must tick (e.g. "I am 18 or older"); empty means none. */
    consentText: text("consent_text").notNull().default(""),
    active: boolean("active").notNull().default(true),
  },
  (t) => [
    check("services_duration_positive", sql`${t.durationMinutes} > 0`),
    check("services_buffers_non_negative", sql`${t.bufferBeforeMinutes} >= 0 and ${t.bufferAfterMinutes} >= 0`),
    check("services_step_positive", sql`${t.slotStepMinutes} > 0`),
    check(
      "services_deposit_sane",
      sql`(${t.depositKind} = 'none' and ${t.depositValue} = 0) or (${t.depositKind} = 'fixed' and ${t.depositValue} > 0) or (${t.depositKind} = 'percent' and ${t.depositValue} between 1 and 100)`,
    ),
    check(
      "services_reminders_sane",
      sql`cardinality(${t.reminderLeadMinutes}) <= 5 and 0 < all(${t.reminderLeadMinutes}) and 43200 >= all(${t.reminderLeadMinutes})`,
    ),
  ],
);

/** Which artist offers which service; price and duration may differ per artist. */
export const artistServices = pgTable(
  "artist_services",
  {
    artistId: uuid("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    priceCents: integer("price_cents"),
    durationMinutes: integer("duration_minutes"),
    active: boolean("active").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.serviceId] }), index("artist_services_service_idx").on(t.serviceId)],
);

/**
 * Weekly hours, versioned by the date they take effect. The schedule for a day is the set of rows
 * with the latest effective_from on or before it, so saving new hours adds rows and never rewrites
 * the past (existing bookings keep the hours they were made under).
 */
export const workingHours = pgTable(
  "working_hours",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    weekday: integer("weekday").notNull(),
    startTime: time("start_time").notNull(),
    endTime: time("end_time").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("working_hours_artist_effective_idx").on(t.artistId, t.effectiveFrom),
    check("working_hours_weekday_range", sql`${t.weekday} between 1 and 7`),
    check("working_hours_end_after_start", sql`${t.endTime} > ${t.startTime}`),
  ],
);

export type StudioSettings = typeof studioSettings.$inferSelect;
export type Artist = typeof artists.$inferSelect;
export type Service = typeof services.$inferSelect;
export type ArtistService = typeof artistServices.$inferSelect;
export type WorkingHoursRow = typeof workingHours.$inferSelect;
