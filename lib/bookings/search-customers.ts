import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

export type CustomerMatch = { name: string; email: string | null; phone: string | null; lastBookedAt: string; bookings: number };

const MAX_RESULTS = 20;

function likePattern(value: string) {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Earlier customers for the studio's booking form, from the bookings themselves (there is no
 * customers table): one entry per customer, matched by email (case-insensitive) or else phone,
 * with the latest name and details they gave, most recent first. `q` matches name or email
 * (substring, any case) or the phone's digits.
 */
export async function searchCustomers(db: Executor, q: string, opts: { limit?: number } = {}): Promise<CustomerMatch[]> {
  const query = q.trim();
  if (query.length < 2) return [];
  // A number typed the national way ("030 5550123") has a trunk 0 that the stored international
  // form ("+49 30 5550123") lacks: leading zeros are dropped, so the rest matches either way.
  const digits = query.replace(/\D/g, "").replace(/^0+/, "");
  const pattern = likePattern(query);
  // Phone numbers are written every which way ("+49 30 123", "030/123"): compare digits only, and
  // only for a query made of nothing but a phone number's characters — "Zora 8187" is a name.
  const phoneMatch =
    digits.length >= 3 && /^[\d\s+()\-./]+$/.test(query)
      ? sql`or regexp_replace(coalesce(customer_phone, ''), '\\D', '', 'g') like ${likePattern(digits)}`
      : sql``;
  const result = await db.execute<{ name: string; email: string | null; phone: string | null; last_booked_at: Date | string; bookings: number }>(sql`
    with customers as (
      select coalesce(lower(customer_email), regexp_replace(customer_phone, '\\D', '', 'g')) as key,
             customer_name, lower(customer_email) as email, customer_phone, created_at
      from bookings
      where status <> 'hold' and customer_name is not null and (customer_email is not null or customer_phone is not null)
    ),
    latest as (
      select distinct on (key) key, customer_name as name, email, customer_phone as phone, created_at as last_booked_at
      from customers order by key, created_at desc
    )
    select l.name, l.email, l.phone, l.last_booked_at, (select count(*)::int from customers c where c.key = l.key) as bookings
    from latest l
    where l.key in (
      select key from customers
      where customer_name ilike ${pattern} or email ilike ${pattern} ${phoneMatch}
    )
    order by l.last_booked_at desc
    limit ${opts.limit ?? MAX_RESULTS}`);
  return result.rows.map((r) => ({
    name: r.name,
    email: r.email,
    phone: r.phone,
    lastBookedAt: new Date(r.last_booked_at).toISOString(),
    bookings: r.bookings,
  }));
}
