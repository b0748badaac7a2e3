ALTER TYPE "public"."notification_status" ADD VALUE 'scheduled';--> statement-breakpoint
ALTER TYPE "public"."notification_status" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "artists" ADD COLUMN "notify_by_email" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "reminder_lead_minutes" integer[] DEFAULT '{1440}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "address" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "phone" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "studio_settings" ADD COLUMN "map_url" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_reminders_sane" CHECK (cardinality("services"."reminder_lead_minutes") <= 5 and 0 < all("services"."reminder_lead_minutes") and 43200 >= all("services"."reminder_lead_minutes"));