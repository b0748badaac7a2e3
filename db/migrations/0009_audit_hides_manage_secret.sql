-- Hand-written: the audit trail must not carry secrets. Like the hold token's hash, the per-booking
-- manage-link secret is removed from the old and new row the trigger records, so an admin reading
-- the trail (or a database dump of booking_events) cannot forge a customer's link.
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
    VALUES (NEW.id, TG_OP, NULL, NEW.status, NULL, to_jsonb(NEW) - 'hold_token_hash' - 'manage_secret', actor_kind, actor_id, actor_ip, actor_ua, change_reason);
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO booking_events (booking_id, operation, old_status, new_status, old_row, new_row, actor_kind, actor_id, ip, user_agent, reason)
    VALUES (NEW.id, TG_OP, OLD.status, NEW.status, to_jsonb(OLD) - 'hold_token_hash' - 'manage_secret', to_jsonb(NEW) - 'hold_token_hash' - 'manage_secret', actor_kind, actor_id, actor_ip, actor_ua, change_reason);
    RETURN NEW;
  ELSE
    INSERT INTO booking_events (booking_id, operation, old_status, new_status, old_row, new_row, actor_kind, actor_id, ip, user_agent, reason)
    VALUES (OLD.id, TG_OP, OLD.status, NULL, to_jsonb(OLD) - 'hold_token_hash' - 'manage_secret', NULL, actor_kind, actor_id, actor_ip, actor_ua, change_reason);
    RETURN OLD;
  END IF;
END $$;
