CREATE TABLE "booking_resources" (
	"booking_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"buffer_before_minutes" integer DEFAULT 0 NOT NULL,
	"cleanup_minutes" integer DEFAULT 0 NOT NULL,
	"blocking" boolean DEFAULT true NOT NULL,
	CONSTRAINT "booking_resources_booking_id_kind_pk" PRIMARY KEY("booking_id","kind"),
	CONSTRAINT "booking_resources_ends_after_starts" CHECK ("booking_resources"."ends_at" > "booking_resources"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"cleanup_minutes" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_cleanup_sane" CHECK ("resources"."cleanup_minutes" between 0 and 1440)
);
--> statement-breakpoint
CREATE TABLE "service_resource_needs" (
	"service_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "service_resource_needs_service_id_kind_pk" PRIMARY KEY("service_id","kind")
);
--> statement-breakpoint
CREATE TABLE "service_resources" (
	"service_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	CONSTRAINT "service_resources_service_id_resource_id_pk" PRIMARY KEY("service_id","resource_id")
);
--> statement-breakpoint
ALTER TABLE "booking_resources" ADD CONSTRAINT "booking_resources_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_resources" ADD CONSTRAINT "booking_resources_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_resource_needs" ADD CONSTRAINT "service_resource_needs_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_resources" ADD CONSTRAINT "service_resources_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_resources" ADD CONSTRAINT "service_resources_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_resources_resource_starts_idx" ON "booking_resources" USING btree ("resource_id","starts_at");--> statement-breakpoint
CREATE INDEX "resources_kind_idx" ON "resources" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "service_resources_resource_idx" ON "service_resources" USING btree ("resource_id");--> statement-breakpoint

-- Hand-written. One exclusion constraint guards every resource: two blocking bookings can never
-- hold the same room or station for overlapping time (cleanup included), whatever the race.
ALTER TABLE booking_resources ADD CONSTRAINT booking_resources_no_overlap
  EXCLUDE USING gist (
    resource_id WITH =,
    holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, cleanup_minutes) WITH &&
  ) WHERE (blocking);
--> statement-breakpoint

-- The copy of the booking's span and status is kept in step here, in the same statement as the
-- booking's change, so no code path (transition, reschedule, hold expiry in SQL) can forget it.
-- A reschedule onto a time the room is taken fails with 23P01 like an artist overlap.
CREATE OR REPLACE FUNCTION holdfast_booking_resources_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.status, NEW.starts_at, NEW.ends_at, NEW.buffer_before_minutes) IS DISTINCT FROM
     (OLD.status, OLD.starts_at, OLD.ends_at, OLD.buffer_before_minutes) THEN
    UPDATE booking_resources
       SET starts_at = NEW.starts_at, ends_at = NEW.ends_at, buffer_before_minutes = NEW.buffer_before_minutes,
           blocking = NEW.status IN ('hold', 'awaiting_payment', 'pending', 'confirmed')
     WHERE booking_id = NEW.id;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bookings_resources_follow AFTER UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION holdfast_booking_resources_follow();
