import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { ResourceNeed } from "@/lib/availability/find-slots";

/**
 * For a service that needs rooms or stations: each needed kind with the resources the service may
 * use (the listed ones of that kind, else every active one) and the time their blocking uses take
 * between two instants, in one query. The spans are the ones booking_resources_no_overlap indexes
 * (cleanup included); holds past their expiry no longer block, as for the artist.
 */
export async function loadResourceNeeds(
  db: Executor,
  serviceId: string,
  from: Date,
  to: Date,
  opts: { excludeBookingId?: string } = {},
): Promise<ResourceNeed[]> {
  const window = sql`tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, '[)')`;
  const exclude = opts.excludeBookingId ? sql`and br.booking_id <> ${opts.excludeBookingId}::uuid` : sql``;
  const result = await db.execute<{ kind: string; id: string | null; cleanup_minutes: number | null; blocked: [string, string][] | null }>(sql`
    select n.kind, r.id, r.cleanup_minutes,
      (select coalesce(json_agg(json_build_array(lower(s.span), upper(s.span))), '[]'::json) from (
         select holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes) as span
         from booking_resources br join bookings bk on bk.id = br.booking_id
         where br.resource_id = r.id and br.blocking
           and holdfast_booking_span(br.starts_at, br.ends_at, br.buffer_before_minutes, br.cleanup_minutes) && ${window}
           and (bk.status <> 'hold' or bk.hold_expires_at > now())
           ${exclude}
       ) s) as blocked
    from service_resource_needs n
    left join resources r on r.kind = n.kind and r.active
      and (exists (select 1 from service_resources sr where sr.service_id = n.service_id and sr.resource_id = r.id)
           or not exists (select 1 from service_resources sr join resources listed on listed.id = sr.resource_id
                          where sr.service_id = n.service_id and listed.kind = n.kind))
    where n.service_id = ${serviceId}::uuid
    order by n.kind, r.name, r.id`);
  const byKind = new Map<string, ResourceNeed>();
  for (const row of result.rows) {
    let need = byKind.get(row.kind);
    if (!need) byKind.set(row.kind, (need = { kind: row.kind, options: [] }));
    if (row.id === null) continue;
    need.options.push({
      id: row.id,
      cleanupMinutes: row.cleanup_minutes ?? 0,
      blocked: (row.blocked ?? []).map(([start, end]) => ({ start: new Date(start), end: new Date(end) })),
    });
  }
  return [...byKind.values()];
}
