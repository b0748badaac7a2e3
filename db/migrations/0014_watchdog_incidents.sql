CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"severity" text DEFAULT 'error' NOT NULL,
	"message" text NOT NULL,
	"booking_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"began_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_one_open_per_cause" ON "incidents" USING btree ("kind","subject") WHERE "incidents"."cleared_at" is null;--> statement-breakpoint
CREATE INDEX "incidents_began_idx" ON "incidents" USING btree ("began_at");