-- Hand-written: what drizzle cannot express. The database itself guarantees that an artist is
-- never double-booked and that every change to a booking leaves an audit row.

CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint

-- Minutes-only interval arithmetic on timestamptz does not depend on the session time zone, so
-- this function is truly immutable even though the general "timestamptz - interval" is not; an
-- exclusion constraint needs an immutable expression.
CREATE OR REPLACE FUNCTION holdfast_booking_span(starts_at timestamptz, ends_at timestamptz, buffer_before integer, buffer_after integer)
RETURNS tstzrange
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT tstzrange($1 - make_interval(mins => $3), $2 + make_interval(mins => $4), '[)') $$;
--> statement-breakpoint

ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
  EXCLUDE USING gist (
    artist_id WITH =,
    holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) WITH &&
  ) WHERE (status IN ('hold', 'pending', 'confirmed'));
--> statement-breakpoint

CREATE INDEX busy_blocks_artist_range_idx ON busy_blocks USING gist (artist_id, tstzrange(starts_at, ends_at, '[)'));
--> statement-breakpoint

-- Bump version and updated_at on every meaningful change, so optimistic locking cannot be
-- forgotten by a code path. Bookkeeping columns (CalDAV href/etag) do not bump the version: a
-- background calendar push must not make an admin's open page stale.
CREATE OR REPLACE FUNCTION holdfast_bookings_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  IF (NEW.status, NEW.starts_at, NEW.ends_at, NEW.artist_id, NEW.service_id, NEW.customer_name, NEW.customer_email,
      NEW.customer_phone, NEW.notes, NEW.buffer_before_minutes, NEW.buffer_after_minutes)
     IS DISTINCT FROM
     (OLD.status, OLD.starts_at, OLD.ends_at, OLD.artist_id, OLD.service_id, OLD.customer_name, OLD.customer_email,
      OLD.customer_phone, OLD.notes, OLD.buffer_before_minutes, OLD.buffer_after_minutes) THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

CREATE TRIGGER bookings_touch BEFORE UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION holdfast_bookings_touch();
--> statement-breakpoint

-- The actor is set per transaction with set_config('holdfast.actor_kind', ..., true) and friends
-- (see lib/bookings/audit-context.ts). A change made without one is recorded as "unattributed"
-- with the database user, so even a hand-edit in psql leaves a trace.
CREATE OR REPLACE FUNCTION holdfast_audit_booking() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  actor_kind text := nullif(current_setting('holdfast.actor_kind', true), '');
  actor_id text := nullif(current_setting('holdfast.actor_id', true), '');
  actor_ip text := nullif(current_setting('holdfast.ip', true), '');
  actor_ua text := nullif(current_setting('holdfast.user_agent', true), '');
  change_reason text := nullif(current_setting('holdfast.reason', true), '');
BEGIN
  IF actor_kind IS NULL THEN
    actor_kind := 'unattributed';
    actor_id := coalesce(actor_id, session_user::text);
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO booking_events (booking_id, operation, old_status, new_status, old_row, new_row, actor_kind, actor_id, ip, user_agent, reason)
    VALUES (NEW.id, TG_OP, NULL, NEW.status, NULL, to_jsonb(NEW) - 'hold_token_hash', actor_kind, actor_id, actor_ip, actor_ua, change_reason);
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO booking_events (booking_id, operation, old_status, new_status, old_row, new_row, actor_kind, actor_id, ip, user_agent, reason)
    VALUES (NEW.id, TG_OP, OLD.status, NEW.status, to_jsonb(OLD) - 'hold_token_hash', to_jsonb(NEW) - 'hold_token_hash', actor_kind, actor_id, actor_ip, actor_ua, change_reason);
    RETURN NEW;
  ELSE
    INSERT INTO booking_events (booking_id, operation, old_status, new_status, old_row, new_row, actor_kind, actor_id, ip, user_agent, reason)
    VALUES (OLD.id, TG_OP, OLD.status, NULL, to_jsonb(OLD) - 'hold_token_hash', NULL, actor_kind, actor_id, actor_ip, actor_ua, change_reason);
    RETURN OLD;
  END IF;
END $$;
--> statement-breakpoint

CREATE TRIGGER bookings_audit AFTER INSERT OR UPDATE OR DELETE ON bookings FOR EACH ROW EXECUTE FUNCTION holdfast_audit_booking();
--> statement-breakpoint

-- rate-limiter-flexible's RateLimiterPostgres table, created here (not lazily by the library) so
-- the first request after start cannot race its creation.
CREATE TABLE IF NOT EXISTS rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
