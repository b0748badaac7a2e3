-- Hand-written (issue 13, availability at the database's speed): one version per "scope" that
-- decides free time, for the availability cache (lib/availability/slot-cache.ts). A scope is an
-- artist ('artist:<id>': their bookings, holds, busy blocks, time off) or a kind of resource
-- ('resource-kind:<kind>': the resources of that kind, which services need or may use them, and
-- their uses). Every change that matters writes a fresh number from a sequence into its scopes'
-- rows, in the changing transaction; an availability read compares the versions it cached under
-- with these in one indexed lookup, so every app instance sees a change on its very next read.
--
-- A sequence, not version + 1: a rolled-back change must never hand its number to a later one.
-- Hours, services and artists need no version: the read loads them fresh every time and the cache
-- key contains them.
--
-- Row triggers only note the scopes (transaction-local, deduplicated); one deferred constraint
-- trigger writes them at commit, in scope order. So the hot row of an artist is locked only for
-- the commit itself, not for the rest of a hold's transaction, and two transactions touching the
-- same scopes take their locks in the same order and cannot deadlock on them. A bulk insert of
-- 100,000 bookings writes one row per artist, not 100,000.
CREATE SEQUENCE availability_version_seq;
--> statement-breakpoint
CREATE TABLE availability_versions (
  scope text PRIMARY KEY,
  version bigint NOT NULL
);
--> statement-breakpoint
-- Bumps one scope now (an operator's "forget every cached answer", the bench's miss path).
CREATE FUNCTION holdfast_bump_availability(p_scope text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO availability_versions (scope, version) VALUES (p_scope, nextval('availability_version_seq'))
  ON CONFLICT (scope) DO UPDATE SET version = excluded.version;
$$;
--> statement-breakpoint
CREATE FUNCTION holdfast_note_availability(p_scope text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  noted text := coalesce(current_setting('holdfast.availability_scopes', true), '');
BEGIN
  IF position(' ' || p_scope || ' ' IN ' ' || noted) = 0 THEN
    PERFORM set_config('holdfast.availability_scopes', noted || p_scope || ' ', true);
  END IF;
END $$;
--> statement-breakpoint
-- The deferred half: the first of the transaction's deferred events writes every noted scope, the
-- rest find the list empty.
CREATE FUNCTION holdfast_write_availability_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  noted text := coalesce(current_setting('holdfast.availability_scopes', true), '');
BEGIN
  IF noted <> '' THEN
    PERFORM set_config('holdfast.availability_scopes', '', true);
    INSERT INTO availability_versions (scope, version)
    SELECT scope, nextval('availability_version_seq')
      FROM (SELECT DISTINCT scope FROM unnest(string_to_array(trim(noted), ' ')) AS scope ORDER BY scope) sorted
    ON CONFLICT (scope) DO UPDATE SET version = excluded.version;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- bookings, busy_blocks, time_off: the artist's scope, old and new artist on a move.
CREATE FUNCTION holdfast_artist_availability_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM holdfast_note_availability('artist:' || NEW.artist_id);
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.artist_id IS DISTINCT FROM NEW.artist_id) THEN
    PERFORM holdfast_note_availability('artist:' || OLD.artist_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- booking_resources, resources, service_resource_needs: the kind's scope.
CREATE FUNCTION holdfast_resource_kind_availability_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM holdfast_note_availability('resource-kind:' || NEW.kind);
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.kind IS DISTINCT FROM NEW.kind) THEN
    PERFORM holdfast_note_availability('resource-kind:' || OLD.kind);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- service_resources has no kind of its own: the listed resource's kind.
CREATE FUNCTION holdfast_service_resources_availability_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM holdfast_note_availability('resource-kind:' || r.kind)
     FROM resources r
    WHERE r.id IN (CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.resource_id END, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.resource_id END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER bookings_availability_noted AFTER INSERT OR DELETE ON bookings
  FOR EACH ROW EXECUTE FUNCTION holdfast_artist_availability_changed();
--> statement-breakpoint
-- A booking's update matters only when a column that decides blocked time changes (not notes,
-- customer details, payment references), so everyday edits keep the artist's answers cached.
CREATE TRIGGER bookings_availability_noted_on_update AFTER UPDATE ON bookings
  FOR EACH ROW
  WHEN ((NEW.artist_id, NEW.status, NEW.starts_at, NEW.ends_at, NEW.buffer_before_minutes, NEW.buffer_after_minutes, NEW.hold_expires_at)
        IS DISTINCT FROM
        (OLD.artist_id, OLD.status, OLD.starts_at, OLD.ends_at, OLD.buffer_before_minutes, OLD.buffer_after_minutes, OLD.hold_expires_at))
  EXECUTE FUNCTION holdfast_artist_availability_changed();
--> statement-breakpoint
CREATE TRIGGER busy_blocks_availability_noted AFTER INSERT OR UPDATE OR DELETE ON busy_blocks
  FOR EACH ROW EXECUTE FUNCTION holdfast_artist_availability_changed();
--> statement-breakpoint
CREATE TRIGGER time_off_availability_noted AFTER INSERT OR UPDATE OR DELETE ON time_off
  FOR EACH ROW EXECUTE FUNCTION holdfast_artist_availability_changed();
--> statement-breakpoint
CREATE TRIGGER booking_resources_availability_noted AFTER INSERT OR UPDATE OR DELETE ON booking_resources
  FOR EACH ROW EXECUTE FUNCTION holdfast_resource_kind_availability_changed();
--> statement-breakpoint
CREATE TRIGGER resources_availability_noted AFTER INSERT OR UPDATE OR DELETE ON resources
  FOR EACH ROW EXECUTE FUNCTION holdfast_resource_kind_availability_changed();
--> statement-breakpoint
CREATE TRIGGER service_resource_needs_availability_noted AFTER INSERT OR UPDATE OR DELETE ON service_resource_needs
  FOR EACH ROW EXECUTE FUNCTION holdfast_resource_kind_availability_changed();
--> statement-breakpoint
CREATE TRIGGER service_resources_availability_noted AFTER INSERT OR UPDATE OR DELETE ON service_resources
  FOR EACH ROW EXECUTE FUNCTION holdfast_service_resources_availability_changed();
--> statement-breakpoint
-- The writers, one per noting table (a transaction may change only one of them). A bulk statement
-- queues one deferred event per row, but only the first finds anything to write.
CREATE CONSTRAINT TRIGGER bookings_availability_versions AFTER INSERT OR UPDATE OR DELETE ON bookings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER busy_blocks_availability_versions AFTER INSERT OR UPDATE OR DELETE ON busy_blocks
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER time_off_availability_versions AFTER INSERT OR UPDATE OR DELETE ON time_off
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER booking_resources_availability_versions AFTER INSERT OR UPDATE OR DELETE ON booking_resources
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER resources_availability_versions AFTER INSERT OR UPDATE OR DELETE ON resources
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER service_resource_needs_availability_versions AFTER INSERT OR UPDATE OR DELETE ON service_resource_needs
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER service_resources_availability_versions AFTER INSERT OR UPDATE OR DELETE ON service_resources
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holdfast_write_availability_versions();
