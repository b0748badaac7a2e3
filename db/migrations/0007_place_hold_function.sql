-- Hand-written: placing a hold in ONE round trip. This is the hottest write path (every slot a
-- customer taps), so the statements that must happen together run inside the database:
-- set the audit actor for this statement's transaction, refuse time the artist has blocked in
-- their calendar (busy blocks are not covered by the exclusion constraint), expire stale holds on
-- the slot so they never block, and insert the hold. Overlaps are still refused by
-- bookings_no_overlap (23P01); a busy block raises SQLSTATE HFBSY. lib/bookings/create-hold.ts
-- owns the rules around it (which slots are offered, token, hold length).
CREATE OR REPLACE FUNCTION holdfast_place_hold(
  p_id uuid, p_artist_id uuid, p_service_id uuid, p_starts_at timestamptz, p_ends_at timestamptz,
  p_buffer_before integer, p_buffer_after integer, p_hold_minutes integer, p_hold_token_hash text,
  p_customer_timezone text, p_actor_kind text, p_actor_id text, p_ip text, p_user_agent text)
RETURNS SETOF bookings
LANGUAGE plpgsql AS $$
DECLARE
  wanted tstzrange := holdfast_booking_span(p_starts_at, p_ends_at, p_buffer_before, p_buffer_after);
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
  UPDATE bookings SET status = 'expired'
   WHERE artist_id = p_artist_id AND status = 'hold' AND hold_expires_at <= now()
     AND holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) && wanted;
  RETURN QUERY
    INSERT INTO bookings (id, artist_id, service_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes,
                          status, hold_expires_at, hold_token_hash, customer_timezone, caldav_uid)
    VALUES (p_id, p_artist_id, p_service_id, p_starts_at, p_ends_at, p_buffer_before, p_buffer_after,
            'hold', now() + make_interval(mins => p_hold_minutes), p_hold_token_hash, p_customer_timezone, p_id::text || '@holdfast')
    RETURNING *;
END $$;
