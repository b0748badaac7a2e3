ALTER TABLE "calendar_conflicts" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "calendar_objects" ADD COLUMN "ical_data" text;--> statement-breakpoint
ALTER TABLE "calendar_objects" ADD COLUMN "expanded_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calendar_objects" ADD COLUMN "pushed_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calendar_objects" ADD COLUMN "pushed_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calendar_objects" ADD COLUMN "pushed_status" text;--> statement-breakpoint
ALTER TABLE "calendar_sync_runs" ADD COLUMN "objects_skipped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "calendars" ADD COLUMN "sync_locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calendars" ADD COLUMN "last_error_code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_conflicts_open_dedupe_key" ON "calendar_conflicts" USING btree ("dedupe_key") WHERE "calendar_conflicts"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "calendars_one_write_per_artist_key" ON "calendars" USING btree ("artist_id") WHERE "calendars"."role" = 'write' and "calendars"."active";