-- Hand-written: indexes for the admin bookings table at 100,000+ bookings (bench/admin-table.ts:
-- p95 48 ms -> 12 ms). Sorting by time with the id as tie-breaker pages without a sort step, and
-- the trigram index serves "search by customer name or email" with the exact expression the
-- query uses (lib/admin/list-bookings.ts).
CREATE INDEX IF NOT EXISTS bookings_starts_at_id_idx ON bookings (starts_at, id) INCLUDE (status);
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS bookings_customer_search_trgm_idx ON bookings
  USING gin ((lower(coalesce(customer_name, '') || ' ' || coalesce(customer_email, ''))) gin_trgm_ops);
