CREATE TYPE "public"."payment_state" AS ENUM('none', 'due', 'paid', 'refunded', 'partially_refunded', 'kept');--> statement-breakpoint
ALTER TYPE "public"."booking_status" ADD VALUE IF NOT EXISTS 'awaiting_payment' BEFORE 'pending';--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_non_negative" CHECK ("payments"."amount_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"booking_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "deposit_kind" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "deposit_value" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "intake_questions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "asks_reference_images" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "consent_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "customer_cancel_refund" text DEFAULT 'before_notice' NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "payment_window_minutes" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "manual_payment_instructions" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "embed_origins" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "price_cents" integer;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "deposit_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "payment_state" "payment_state" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "payment_provider" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "payment_ref" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "paid_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "refunded_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "intake_answers" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "consent_given_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "caldav_written_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "caldav_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_booking_idx" ON "payments" USING btree ("booking_id","created_at");--> statement-breakpoint
CREATE INDEX "bookings_payment_ref_idx" ON "bookings" USING btree ("payment_ref") WHERE "bookings"."payment_ref" is not null;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_deposit_sane" CHECK (("services"."deposit_kind" = 'none' and "services"."deposit_value" = 0) or ("services"."deposit_kind" = 'fixed' and "services"."deposit_value" > 0) or ("services"."deposit_kind" = 'percent' and "services"."deposit_value" between 1 and 100));--> statement-breakpoint
ALTER TABLE "studio_settings" ADD CONSTRAINT "studio_settings_refund_policy" CHECK ("studio_settings"."customer_cancel_refund" in ('before_notice', 'always', 'never'));--> statement-breakpoint
ALTER TABLE "studio_settings" ADD CONSTRAINT "studio_settings_payment_window" CHECK ("studio_settings"."payment_window_minutes" between 30 and 1440);--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_money_non_negative" CHECK ("bookings"."deposit_cents" >= 0 and "bookings"."paid_cents" >= 0 and "bookings"."refunded_cents" >= 0);--> statement-breakpoint

-- Hand-written. A booking whose customer is in the Stripe checkout blocks its slot like a hold:
-- the exclusion constraint covers awaiting_payment, and it must carry the expiry after which the
-- slot is free again. (db/migrate.ts adds the enum value outside the migration transaction on an
-- existing database, because Postgres refuses a value added in the same transaction that uses it.)
ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
--> statement-breakpoint
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
  EXCLUDE USING gist (
    artist_id WITH =,
    holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) WITH &&
  ) WHERE (status IN ('hold', 'awaiting_payment', 'pending', 'confirmed'));
--> statement-breakpoint
ALTER TABLE bookings ADD CONSTRAINT bookings_awaiting_payment_has_expiry CHECK (status <> 'awaiting_payment' OR hold_expires_at IS NOT NULL);
