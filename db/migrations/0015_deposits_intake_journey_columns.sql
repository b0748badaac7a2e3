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
--> statement-breakpoint

-- Hand-written (issue 12). The database keeps a booking's money consistent with its status, so no
-- code path (a bug, a script, a half-applied webhook) can leave a confirmed Stripe booking with
-- nothing paid or a refund larger than the payment. Read with lib/payments/payment-states.ts.
ALTER TABLE bookings ADD CONSTRAINT payment_consistency CHECK (
  -- a payment state exists exactly when the booking has a deposit, and then it names how it is paid
  ((deposit_cents = 0) = (payment_state = 'none'))
  AND (payment_state <> 'none' OR (payment_provider IS NULL AND paid_cents = 0 AND refunded_cents = 0 AND paid_at IS NULL))
  AND (deposit_cents = 0 OR (coalesce(payment_provider, '') IN ('stripe', 'manual') AND currency IS NOT NULL))
  -- money: never more refunded than paid; something is paid exactly in the paid-like states
  AND refunded_cents <= paid_cents
  AND ((paid_cents > 0) = (payment_state IN ('paid', 'partially_refunded', 'refunded', 'kept')))
  AND ((paid_at IS NOT NULL) = (paid_cents > 0))
  AND (payment_state <> 'paid' OR refunded_cents = 0)
  AND (payment_state <> 'partially_refunded' OR (refunded_cents > 0 AND refunded_cents < paid_cents))
  AND (payment_state <> 'refunded' OR refunded_cents = paid_cents)
  AND (payment_state <> 'kept' OR refunded_cents < paid_cents)
  -- status: a hold has no deposit yet; a booking in the checkout is a Stripe deposit still due;
  -- a live Stripe deposit booking has been paid (only the manual mode may be live and still due)
  AND (status <> 'hold' OR payment_state = 'none')
  AND (status <> 'awaiting_payment' OR (coalesce(payment_provider, '') = 'stripe' AND payment_state = 'due'))
  AND (status NOT IN ('pending', 'confirmed', 'completed') OR payment_provider IS DISTINCT FROM 'stripe' OR payment_state <> 'due')
);
--> statement-breakpoint
-- One Checkout Session pays for one booking (the webhook finds the booking by it).
CREATE UNIQUE INDEX bookings_stripe_session_key ON bookings (payment_ref) WHERE payment_provider = 'stripe' AND payment_ref IS NOT NULL;
--> statement-breakpoint
ALTER TABLE payments ADD CONSTRAINT payments_kind_known CHECK (kind IN ('checkout_opened', 'checkout_expired', 'paid', 'refund_queued', 'refunded', 'kept'));
--> statement-breakpoint
ALTER TABLE payments ADD CONSTRAINT payments_provider_known CHECK (provider IN ('stripe', 'manual'));
--> statement-breakpoint
-- A Stripe payment or refund is recorded once, whichever event or job reports it first.
CREATE UNIQUE INDEX payments_stripe_once ON payments (kind, provider_ref) WHERE provider = 'stripe' AND provider_ref IS NOT NULL AND kind IN ('paid', 'refunded');
--> statement-breakpoint
-- The ledger is the audit trail of the money (each row names its actor): rows are added, never changed.
CREATE OR REPLACE FUNCTION holdfast_payments_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'payments ledger rows are never updated (add a new row instead)' USING ERRCODE = 'integrity_constraint_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER payments_append_only BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION holdfast_payments_append_only();
--> statement-breakpoint
-- The tick finds expired checkouts by this.
CREATE INDEX bookings_expiring_checkouts_idx ON bookings (hold_expires_at) WHERE status = 'awaiting_payment';
--> statement-breakpoint
-- A change to the deposit is a meaningful change: it bumps the version like a status change, so an
-- admin acting on a page loaded before a refund or a payment gets a 409 instead of acting blind.
-- (Same function as migration 0001, plus the payment columns.)
CREATE OR REPLACE FUNCTION holdfast_bookings_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  IF (NEW.status, NEW.starts_at, NEW.ends_at, NEW.artist_id, NEW.service_id, NEW.customer_name, NEW.customer_email,
      NEW.customer_phone, NEW.notes, NEW.buffer_before_minutes, NEW.buffer_after_minutes,
      NEW.payment_state, NEW.paid_cents, NEW.refunded_cents)
     IS DISTINCT FROM
     (OLD.status, OLD.starts_at, OLD.ends_at, OLD.artist_id, OLD.service_id, OLD.customer_name, OLD.customer_email,
      OLD.customer_phone, OLD.notes, OLD.buffer_before_minutes, OLD.buffer_after_minutes,
      OLD.payment_state, OLD.paid_cents, OLD.refunded_cents) THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END $$;
