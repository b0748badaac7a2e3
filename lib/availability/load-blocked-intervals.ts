import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { BlockedInterval } from "./find-slots";

/**
 * Everything that blocks an artist between two instants, in one indexed query: active bookings
 * widened by their own buffers (the same expression the exclusion constraint indexes, so the
 * planner uses that GiST index) and busy blocks mirrored from their calendars. Holds past their
 * expiry no longer block.
 */
export async function loadBlockedIntervals(
  db: Executor,
  artistId: string,
  from: Date,
  to: Date,
  opts: { excludeBookingId?: string } = {},
): Promise<BlockedInterval[]> {
  const window = sql`tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, '[)')`;
  const exclude = opts.excludeBookingId ? sql`and id <> ${opts.excludeBookingId}` : sql``;
  const result = await db.execute<{ starts: Date | string; ends: Date | string }>(sql`
    select lower(span) as starts, upper(span) as ends from (
      select holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) as span
      from bookings
      where artist_id = ${artistId}
        and status in ('hold', 'awaiting_payment', 'pending', 'confirmed')
        and holdfast_booking_span(starts_at, ends_at, buffer_before_minutes, buffer_after_minutes) && ${window}
        and (status <> 'hold' or hold_expires_at > now())
        ${exclude}
    ) active
    union all
    select starts_at, ends_at from busy_blocks
    where artist_id = ${artistId} and tstzrange(starts_at, ends_at, '[)') && ${window}`);
  return result.rows.map((r) => ({ start: new Date(r.starts), end: new Date(r.ends) }));
}
