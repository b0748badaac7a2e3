-- Hand-written: busy_blocks lives in the bookings schema file, which cannot import calendars
-- (calendars already imports bookings), so drizzle cannot declare this reference. Unlinking a
-- calendar must take its mirrored busy time with it, or slots would stay blocked forever.
DELETE FROM busy_blocks b WHERE b.calendar_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calendars c WHERE c.id = b.calendar_id);
--> statement-breakpoint
ALTER TABLE busy_blocks ADD CONSTRAINT busy_blocks_calendar_id_calendars_id_fk
  FOREIGN KEY (calendar_id) REFERENCES calendars(id) ON DELETE CASCADE;
