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
--> statement-breakpoint

-- Hand-written (issue 13). Takes, for every kind of resource a booking's service needs and the
-- booking does not have yet, one free suitable resource: allowed for the service (none listed for
-- a kind = every active one of that kind), not overlapping another blocking use with the booking's
-- own before-buffer and the longer of the resource's cleanup and the booking's after-buffer.
-- The look is only a shortcut: the exclusion constraint decides, and a candidate someone took in
-- between is skipped for the next one. No free one raises SQLSTATE HFROM (no_room_free).
-- Holds past their expiry that still sit on a candidate are expired first, as for the artist.
CREATE OR REPLACE FUNCTION holdfast_take_resources(p_booking_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  b bookings%ROWTYPE;
  need record;
  candidate record;
  placed boolean;
BEGIN
  SELECT * INTO b FROM bookings WHERE id = p_booking_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOR need IN
    SELECT n.kind FROM service_resource_needs n
     WHERE n.service_id = b.service_id
       AND NOT EXISTS (SELECT 1 FROM booking_resources mine WHERE mine.booking_id = b.id AND mine.kind = n.kind)
     ORDER BY n.kind
  LOOP
    UPDATE bookings SET status = 'expired'
     WHERE status = 'hold' AND hold_expires_at <= now()
       AND id IN (SELECT br.booking_id FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                   WHERE r.kind = need.kind AND br.blocking
                     AND holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes)
                         && holdfast_booking_span(b.starts_at, b.ends_at, b.buffer_before_minutes, greatest(r.cleanup_minutes, b.buffer_after_minutes)));
    placed := false;
    FOR candidate IN
      SELECT r.id, greatest(r.cleanup_minutes, b.buffer_after_minutes) AS cleanup
        FROM resources r
       WHERE r.kind = need.kind AND r.active
         AND (r.id IN (SELECT sr.resource_id FROM service_resources sr WHERE sr.service_id = b.service_id)
              OR NOT EXISTS (SELECT 1 FROM service_resources sr JOIN resources listed ON listed.id = sr.resource_id
                              WHERE sr.service_id = b.service_id AND listed.kind = need.kind))
         AND NOT EXISTS (SELECT 1 FROM booking_resources br
                          WHERE br.resource_id = r.id AND br.blocking
                            AND holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes)
                                && holdfast_booking_span(b.starts_at, b.ends_at, b.buffer_before_minutes, greatest(r.cleanup_minutes, b.buffer_after_minutes)))
       ORDER BY r.name, r.id
    LOOP
      -- The resource row is the lock: racing takers of one room queue here (in name order, so
      -- never in a cycle) instead of meeting in the exclusion constraint, where two concurrent
      -- inserts would wait on each other until the deadlock detector aborts one.
      PERFORM 1 FROM resources WHERE id = candidate.id FOR UPDATE;
      CONTINUE WHEN EXISTS (SELECT 1 FROM booking_resources br
                             WHERE br.resource_id = candidate.id AND br.blocking
                               AND holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes)
                                   && holdfast_booking_span(b.starts_at, b.ends_at, b.buffer_before_minutes, candidate.cleanup));
      BEGIN
        INSERT INTO booking_resources (booking_id, resource_id, kind, starts_at, ends_at, buffer_before_minutes, cleanup_minutes, blocking)
        VALUES (b.id, candidate.id, need.kind, b.starts_at, b.ends_at, b.buffer_before_minutes, candidate.cleanup,
                b.status IN ('hold', 'awaiting_payment', 'pending', 'confirmed'));
        placed := true;
        EXIT;
      EXCEPTION WHEN exclusion_violation THEN
        -- taken by a racing booking since the look: try the next candidate
        NULL;
      END;
    END LOOP;
    IF NOT placed THEN
      RAISE EXCEPTION 'no % is free at that time', need.kind USING ERRCODE = 'HFROM';
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint

-- Hand-written (issue 13): the hold takes the artist (bookings_no_overlap) and one free resource
-- of each needed kind (holdfast_take_resources) in the same single statement, so a customer never
-- holds a therapist without a room. Same signature as 0007, so lib/bookings/create-hold.ts calls it unchanged.
CREATE OR REPLACE FUNCTION holdfast_place_hold(
  p_id uuid, p_artist_id uuid, p_service_id uuid, p_starts_at timestamptz, p_ends_at timestamptz,
  p_buffer_before integer, p_buffer_after integer, p_hold_minutes integer, p_hold_token_hash text,
  p_customer_timezone text, p_actor_kind text, p_actor_id text, p_ip text, p_user_agent text)
RETURNS SETOF bookings
LANGUAGE plpgsql AS $$
DECLARE
  wanted tstzrange := holdfast_booking_span(p_starts_at, p_ends_at, p_buffer_before, p_buffer_after);
  placed bookings%ROWTYPE;
BEGIN
  PERFORM set_config('holdfast.actor_kind', p_actor_kind, true),
          set_config('holdfast.actor_id', coalesce(p_actor_id, ''), true),
          set_config('holdfast.ip', coalesce(p_ip, ''), true),
          set_config('holdfast.user_agent', left(coalesce(p_user_agent, ''), 500), true),
          set_config('holdfast.reason', '', true);
  IF EXISTS (SELECT 1 FROM busy_blocks b
             WHERE b.artist_id = p_artist_id AND tstzrange(b.starts_at, b.ends_at, '[)') && wanted) THEN
    RAISE EXCEPTION 'the artist is busy at that time' USING ERRCODE = 'HFBSY';
  END IF;
  -- Customers racing for the same artist and start queue here, one at a time. Without it, when
  -- the first one fails later (no room free) the ones waiting on its row would all wake at once,
  -- see each other's rows in the exclusion constraint and wait on each other until the deadlock
  -- detector aborts them one second at a time.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_artist_id::text || '@' || extract(epoch FROM p_starts_at)::text, 13));
  UPDATE bookings SET status = 'expired'
   WHERE artist_id = p_artist_id AND status = 'hold' AND hold_expires_at <= now()
     AND holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) && wanted;
  INSERT INTO bookings (id, artist_id, service_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes,
                        status, hold_expires_at, hold_token_hash, customer_timezone, caldav_uid)
  VALUES (p_id, p_artist_id, p_service_id, p_starts_at, p_ends_at, p_buffer_before, p_buffer_after,
          'hold', now() + make_interval(mins => p_hold_minutes), p_hold_token_hash, p_customer_timezone, p_id::text || '@holdfast')
  RETURNING * INTO placed;
  PERFORM holdfast_take_resources(p_id);
  RETURN NEXT placed;
END $$;
--> statement-breakpoint

-- Hand-written (issue 13): a booking that moves keeps each of its resources when that one is
-- free at the new time, else takes another suitable one (HFROM when none is), in the same
-- statement as the move. Status-only changes copy the status as before (a reactivation onto a
-- taken resource fails with 23P01).
CREATE OR REPLACE FUNCTION holdfast_booking_resources_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  held record;
BEGIN
  IF (NEW.starts_at, NEW.ends_at, NEW.buffer_before_minutes) IS DISTINCT FROM (OLD.starts_at, OLD.ends_at, OLD.buffer_before_minutes)
     AND NEW.status IN ('hold', 'awaiting_payment', 'pending', 'confirmed') THEN
    FOR held IN SELECT kind FROM booking_resources WHERE booking_id = NEW.id LOOP
      BEGIN
        UPDATE booking_resources
           SET starts_at = NEW.starts_at, ends_at = NEW.ends_at, buffer_before_minutes = NEW.buffer_before_minutes, blocking = true
         WHERE booking_id = NEW.id AND kind = held.kind;
      EXCEPTION WHEN exclusion_violation THEN
        DELETE FROM booking_resources WHERE booking_id = NEW.id AND kind = held.kind;
      END;
    END LOOP;
    PERFORM holdfast_take_resources(NEW.id);
  ELSIF (NEW.status, NEW.starts_at, NEW.ends_at, NEW.buffer_before_minutes) IS DISTINCT FROM
        (OLD.status, OLD.starts_at, OLD.ends_at, OLD.buffer_before_minutes) THEN
    UPDATE booking_resources
       SET starts_at = NEW.starts_at, ends_at = NEW.ends_at, buffer_before_minutes = NEW.buffer_before_minutes,
           blocking = NEW.status IN ('hold', 'awaiting_payment', 'pending', 'confirmed')
     WHERE booking_id = NEW.id;
  END IF;
  RETURN NEW;
END $$;
