import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { instantInZone } from "@/lib/time/zone-clock";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { artists, bookingStatus, bookings, type Booking, type BookingStatus } from "@/db/schema";
import { singleLineString } from "@/lib/bookings/schemas";
import { selectBookingsWithArtistAndService } from "@/lib/bookings/select-booking-with-artist-and-service";
import { HoldfastError } from "@/lib/errors";
import { PAYMENT_FILTER_STATES } from "@/lib/payments/payment-states";
import { paymentFilterSchema } from "@/lib/payments/schemas";
import { studioTimezone } from "./studio-setup";
import { isSupportedDateString, isSupportedInstant, SUPPORTED_RANGE_MESSAGE } from "@/lib/time/supported-dates";

export const BOOKING_STATUSES = bookingStatus.enumValues;
/** What the table shows unless asked otherwise: holds and expired holds are the booking page's scratch paper. */
export const DEFAULT_LIST_STATUSES: BookingStatus[] = ["pending", "confirmed", "rejected", "cancelled", "completed"];
export const MAX_PAGE_SIZE = 200;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const dateOrInstant = z
  .string()
  .trim()
  .refine((v) => DATE_RE.test(v) || !Number.isNaN(Date.parse(v)), "Use a date like 2026-03-14 or an ISO-8601 time")
  .refine((v) => (DATE_RE.test(v) ? isSupportedDateString(v) : isSupportedInstant(new Date(v))), SUPPORTED_RANGE_MESSAGE)
  .optional()
  .transform((v) => (v ? v : undefined));

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** GET /api/admin/bookings and the bookings page: every filter optional, all validated. */
export const listBookingsQuerySchema = z.object({
  status: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v || v === "active") return v === "active" ? (["pending", "confirmed"] as BookingStatus[]) : undefined;
        if (v === "all") return [...BOOKING_STATUSES];
        const list = v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = list.filter((s) => !(BOOKING_STATUSES as readonly string[]).includes(s));
        if (bad.length) {
          ctx.addIssue({ code: "custom", message: `Unknown status ${bad.join(", ")}; use ${BOOKING_STATUSES.join(", ")}, active or all` });
          return z.NEVER;
        }
        return list as BookingStatus[];
      }),
  ),
  // Control characters (a NUL above all, which Postgres cannot compare) are a field error, not a 500.
  artist: z.preprocess(emptyToUndefined, singleLineString("Choose an artist by id or slug").trim().max(100).optional()),
  from: z.preprocess(emptyToUndefined, dateOrInstant),
  to: z.preprocess(emptyToUndefined, dateOrInstant),
  q: z.preprocess(emptyToUndefined, singleLineString("Search for text without control characters").trim().max(100).optional()),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25)),
  sort: z.preprocess(emptyToUndefined, z.enum(["asc", "desc"]).default("desc")),
  /** The deposit: due, paid (also partly refunded), refunded (also partly), kept. */
  payment: z.preprocess(emptyToUndefined, paymentFilterSchema.optional()),
});

/** Filters as they arrive in a query string (numbers may also be numbers). */
export type ListBookingsQuery = {
  status?: string;
  artist?: string;
  from?: string;
  to?: string;
  q?: string;
  page?: number | string;
  pageSize?: number | string;
  sort?: "asc" | "desc" | string;
  payment?: string;
};
export type ListBookingsFilters = z.output<typeof listBookingsQuerySchema>;

export type AdminBookingRow = {
  id: string;
  status: BookingStatus;
  version: number;
  start: string;
  end: string;
  timezone: string;
  artist: { id: string; slug: string; name: string };
  service: { id: string; slug: string; name: string };
  customer: { name: string | null; email: string | null; phone: string | null };
  notes: string | null;
  reason: string | null;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type ListBookingsResult = { bookings: AdminBookingRow[]; total: number; page: number; pageSize: number; pageCount: number; timezone: string };

/**
 * What a search looks in: name and email, lower-cased, as one string. A trigram index on exactly
 * this expression (see the README / bench notes) turns the search into an index scan.
 */
export const CUSTOMER_SEARCH_EXPRESSION = sql`lower(coalesce(${bookings.customerName}, '') || ' ' || coalesce(${bookings.customerEmail}, ''))`;

/** `%`, `_` and `\` are LIKE wildcards; a search for "a_b" means the characters. */
function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A date means the start of that day in `timezone` (for `to`: the end of it); an instant is itself. */
function bound(value: string | undefined, timezone: string, end: boolean): Date | undefined {
  if (!value) return undefined;
  if (DATE_RE.test(value)) {
    const start = instantInZone(`${value}T00:00:00`, timezone);
    if (Number.isNaN(start.getTime())) throw new HoldfastError("invalid_input", "Not a real date", { fields: { [end ? "to" : "from"]: ["Not a real date"] } });
    return end ? instantInZone(`${nextDate(value)}T00:00:00`, timezone) : start;
  }
  return new Date(value);
}

function nextDate(date: string) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The admin bookings table: filters on status, artist, a time range and a customer name/email
 * search, sorted by start time, one page at a time. Dates in `from`/`to` are read in the artist's
 * zone when one artist is chosen, else in the studio's zone. The page and the total are two
 * queries that use the (status, starts_at) / (artist_id, starts_at) indexes; see bench/admin-table.ts.
 */
export async function listAdminBookings(db: Executor, query: ListBookingsQuery): Promise<ListBookingsResult> {
  const parsed = listBookingsQuerySchema.safeParse(query);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[issue.path.join(".") || "_"] ??= []).push(issue.message);
    throw new HoldfastError("invalid_input", "Some filters are not valid", { fields });
  }
  const f = parsed.data;

  let timezone: string;
  let artistId: string | undefined;
  if (f.artist) {
    const [artist] = await db
      .select({ id: artists.id, timezone: artists.timezone })
      .from(artists)
      .where(UUID_RE.test(f.artist) ? eq(artists.id, f.artist) : eq(artists.slug, f.artist))
      .limit(1);
    if (!artist) return { bookings: [], total: 0, page: f.page, pageSize: f.pageSize, pageCount: 0, timezone: "UTC" };
    artistId = artist.id;
    timezone = artist.timezone;
  } else {
    timezone = await studioTimezone(db);
  }

  const from = bound(f.from, timezone, false);
  const to = bound(f.to, timezone, true);
  const statuses = f.status ?? DEFAULT_LIST_STATUSES;

  const where: SQL[] = [];
  if (statuses.length < BOOKING_STATUSES.length) where.push(inArray(bookings.status, statuses));
  if (artistId) where.push(eq(bookings.artistId, artistId));
  if (from) where.push(gte(bookings.startsAt, from));
  if (to) where.push(lt(bookings.startsAt, to));
  if (f.q) where.push(sql`${CUSTOMER_SEARCH_EXPRESSION} like ${likePattern(f.q.toLowerCase())}`);
  if (f.payment) where.push(inArray(bookings.paymentState, PAYMENT_FILTER_STATES[f.payment]));
  const condition = where.length ? and(...where) : undefined;
  const order = f.sort === "asc" ? [asc(bookings.startsAt), asc(bookings.id)] : [desc(bookings.startsAt), desc(bookings.id)];

  // A "deferred join": the page's ids first (an index-only walk when an index on starts_at covers
  // it, so deep pages stay cheap), then the 25 full rows with their artist and service.
  const [pageIds, [counted]] = await Promise.all([
    db
      .select({ id: bookings.id })
      .from(bookings)
      .where(condition)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(bookings)
      .where(condition),
  ]);
  const rows = await loadAdminBookingRows(
    db,
    pageIds.map((r) => r.id),
  );
  const total = counted?.n ?? 0;
  return {
    bookings: rows,
    total,
    page: f.page,
    pageSize: f.pageSize,
    pageCount: Math.ceil(total / f.pageSize),
    timezone,
  };
}

type BookingForRow = Pick<
  Booking,
  | "id"
  | "status"
  | "version"
  | "startsAt"
  | "endsAt"
  | "customerName"
  | "customerEmail"
  | "customerPhone"
  | "notes"
  | "decisionReason"
  | "submittedAt"
  | "createdAt"
  | "updatedAt"
>;

/** One table row from a booking and its artist and service (shared by the table and the detail page). */
export function toAdminBookingRow({
  booking: b,
  artist,
  service,
}: {
  booking: BookingForRow;
  artist: { id: string; slug: string; name: string; timezone: string };
  service: { id: string; slug: string; name: string };
}): AdminBookingRow {
  return {
    id: b.id,
    status: b.status,
    version: b.version,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    timezone: artist.timezone,
    artist: { id: artist.id, slug: artist.slug, name: artist.name },
    service,
    customer: { name: b.customerName, email: b.customerEmail, phone: b.customerPhone },
    notes: b.notes,
    reason: b.decisionReason,
    submittedAt: b.submittedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

/** Full table rows for some booking ids, in the order given (missing ids are skipped). */
export async function loadAdminBookingRows(db: Executor, ids: string[]): Promise<AdminBookingRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectBookingsWithArtistAndService(db, {
    id: bookings.id,
    status: bookings.status,
    version: bookings.version,
    startsAt: bookings.startsAt,
    endsAt: bookings.endsAt,
    customerName: bookings.customerName,
    customerEmail: bookings.customerEmail,
    customerPhone: bookings.customerPhone,
    notes: bookings.notes,
    decisionReason: bookings.decisionReason,
    submittedAt: bookings.submittedAt,
    createdAt: bookings.createdAt,
    updatedAt: bookings.updatedAt,
  }).where(inArray(bookings.id, ids));
  const position = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => position.get(a.booking.id)! - position.get(b.booking.id)!);
  return rows.map(toAdminBookingRow);
}
