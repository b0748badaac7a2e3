import { and, asc, desc, eq, sql } from "drizzle-orm";
import { ledgerOf, serializeLedgerRow, serializePayment, type SerializedLedgerRow, type SerializedPayment } from "@/lib/payments/ledger";
import type { Executor } from "@/db/client";
import { customerEventMethodOf } from "@/lib/ical/build-booking-event";
import {
  artistServices,
  bookingEvents,
  bookings,
  calendarConflicts,
  calendarObjects,
  calendars,
  notifications,
  services,
  users,
  type BookingStatus,
} from "@/db/schema";
import { selectBookingsWithArtistAndService } from "@/lib/bookings/select-booking-with-artist-and-service";
import { notFound } from "@/lib/errors";
import { listJobsOfBooking, type JobRecord } from "@/lib/jobs/job-queries";
import { loadBookingJourney, type JourneyStep } from "@/lib/bookings/booking-journey";
import { bookingResourceRefs, type BookingResourceRef } from "@/lib/resources/resource-queries";
import { actorLabel } from "./decide";
import { toAdminBookingRow, type AdminBookingRow } from "./list-bookings";

/** Bookkeeping columns that change with every update and say nothing to a reader. */
const IGNORED_FIELDS = new Set(["updated_at", "hold_token_hash"]);

export type FieldChange = { field: string; before: unknown; after: unknown };

export type AuditEntry = {
  id: number;
  at: string;
  operation: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorKind: string;
  actorId: string | null;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  reason: string | null;
  changes: FieldChange[];
};

export type BookingDetail = {
  /** The deposit (lib/payments) and its ledger, oldest first. */
  payment: SerializedPayment;
  paymentLedger: SerializedLedgerRow[];
  booking: AdminBookingRow & {
    artistTimezone: string;
    customerTimezone: string | null;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    holdExpiresAt: string | null;
    confirmedAt: string | null;
    cancelledAt: string | null;
    idempotencyKey: string | null;
    caldavUid: string;
    caldavHref: string | null;
    caldavEtag: string | null;
    /** The price as booked; for rows older than the stored price, the service's (the artist's own price first) and `fromService` says so. */
    price: { cents: number; currency: string; fromService: boolean } | null;
  };
  /** The rooms and stations the booking took (one per kind its service needs); empty when none. */
  resources: BookingResourceRef[];
  /** Where the booking's change stands: calendar write, sighting by the pull, each email (lib/bookings/booking-journey.ts). */
  journey: JourneyStep[];
  /** Status changes only, oldest first. */
  history: { at: string; from: string | null; to: string | null; actor: string; reason: string | null }[];
  /** Every audit row, newest first, with the fields each one changed. */
  audit: AuditEntry[];
  notifications: {
    id: string;
    kind: string;
    recipient: string;
    subject: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    /** A reminder's time; null for a mail sent as soon as it is queued. */
    scheduledFor: string | null;
    sentAt: string | null;
    /** The METHOD of the calendar file it carries (REQUEST = invitation, CANCEL = removal), if any. */
    calendarMethod: "REQUEST" | "CANCEL" | "PUBLISH" | null;
  }[];
  jobs: (Omit<JobRecord, "runAt" | "updatedAt" | "lockedAt"> & { runAt: string; lockedAt: string | null })[];
  calendar: {
    calendars: {
      id: string;
      displayName: string | null;
      calendarUrl: string;
      role: string;
      lastSyncAt: string | null;
      lastSuccessAt: string | null;
      lastError: string | null;
      consecutiveFailures: number;
    }[];
    objects: { calendarId: string; href: string; etag: string | null; updatedAt: string }[];
    /** Calendar conflicts about this booking that wait for an admin (resolved on the Calendar sync page). */
    openConflicts: { id: string; kind: string; createdAt: string }[];
  };
  /** The repeat series the booking belongs to, every occurrence earliest first (cancelled ones too); null outside a series. */
  series: { id: string; bookings: { id: string; start: string; status: BookingStatus }[] } | null;
};

/** Field-by-field difference of two audit snapshots (the trigger's to_jsonb of the row). */
export function diffRows(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const key of [...keys].sort()) {
    if (IGNORED_FIELDS.has(key)) continue;
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ field: key, before: a, after: b });
  }
  return changes;
}

/** What the service costs with this artist today: the fallback for bookings made before prices were stored on the booking. */
async function servicePrice(db: Executor, artistId: string, serviceId: string) {
  const [svc] = await db
    .select({ cents: sql<number>`coalesce(${artistServices.priceCents}, ${services.priceCents})`, currency: services.currency })
    .from(services)
    .leftJoin(artistServices, and(eq(artistServices.serviceId, services.id), eq(artistServices.artistId, artistId)))
    .where(eq(services.id, serviceId));
  return svc ? { cents: Number(svc.cents), currency: svc.currency, fromService: true } : null;
}

/** Everything about one booking an admin may need: fields, history, audit trail, messages, jobs, calendar. */
export async function getAdminBookingDetail(db: Executor, bookingId: string): Promise<BookingDetail> {
  if (!/^[0-9a-f-]{36}$/i.test(bookingId)) throw notFound("That booking");
  const [raw] = await selectBookingsWithArtistAndService(db).where(eq(bookings.id, bookingId));
  if (!raw) throw notFound("That booking");
  const row = toAdminBookingRow(raw);
  const b = raw.booking;
  const price =
    b.priceCents !== null && b.currency ? { cents: b.priceCents, currency: b.currency, fromService: false } : await servicePrice(db, b.artistId, b.serviceId);

  const [events, messages, jobs, artistCalendars, objects, conflicts, seriesBookings] = await Promise.all([
    db
      .select({ event: bookingEvents, email: users.email, name: users.name })
      .from(bookingEvents)
      .leftJoin(users, sql`${users.id}::text = ${bookingEvents.actorId}`)
      .where(eq(bookingEvents.bookingId, bookingId))
      .orderBy(desc(bookingEvents.id))
      .limit(500),
    db.select().from(notifications).where(eq(notifications.bookingId, bookingId)).orderBy(asc(notifications.createdAt)),
    listJobsOfBooking(db, bookingId),
    db
      .select({
        id: calendars.id,
        displayName: calendars.displayName,
        calendarUrl: calendars.calendarUrl,
        role: calendars.role,
        lastSyncAt: calendars.lastSyncAt,
        lastSuccessAt: calendars.lastSuccessAt,
        lastError: calendars.lastError,
        consecutiveFailures: calendars.consecutiveFailures,
      })
      .from(calendars)
      .where(eq(calendars.artistId, b.artistId)),
    db
      .select({ calendarId: calendarObjects.calendarId, href: calendarObjects.href, etag: calendarObjects.etag, updatedAt: calendarObjects.updatedAt })
      .from(calendarObjects)
      .where(eq(calendarObjects.bookingId, bookingId)),
    db
      .select({ id: calendarConflicts.id, kind: calendarConflicts.kind, createdAt: calendarConflicts.createdAt })
      .from(calendarConflicts)
      .where(and(eq(calendarConflicts.bookingId, bookingId), eq(calendarConflicts.status, "open")))
      .orderBy(asc(calendarConflicts.createdAt)),
    b.seriesId
      ? db
          .select({ id: bookings.id, startsAt: bookings.startsAt, status: bookings.status })
          .from(bookings)
          .where(eq(bookings.seriesId, b.seriesId))
          .orderBy(asc(bookings.startsAt), asc(bookings.id))
      : Promise.resolve([]),
  ]);

  const audit: AuditEntry[] = events.map(({ event: e, email, name }) => ({
    id: e.id,
    at: e.occurredAt.toISOString(),
    operation: e.operation,
    fromStatus: e.oldStatus,
    toStatus: e.newStatus,
    actorKind: e.actorKind,
    actorId: e.actorId,
    actor: actorLabel(e.actorKind, e.actorId, name, email),
    ip: e.ip,
    userAgent: e.userAgent,
    reason: e.reason,
    changes: diffRows(e.oldRow as Record<string, unknown> | null, e.newRow as Record<string, unknown> | null),
  }));

  const history = [...audit]
    .reverse()
    .filter((e) => e.fromStatus !== e.toStatus)
    .map((e) => ({ at: e.at, from: e.fromStatus, to: e.toStatus, actor: e.actor, reason: e.reason }));

  return {
    booking: {
      ...row,
      artistTimezone: raw.artist.timezone,
      customerTimezone: b.customerTimezone,
      bufferBeforeMinutes: b.bufferBeforeMinutes,
      bufferAfterMinutes: b.bufferAfterMinutes,
      holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
      confirmedAt: b.confirmedAt?.toISOString() ?? null,
      cancelledAt: b.cancelledAt?.toISOString() ?? null,
      idempotencyKey: b.idempotencyKey,
      caldavUid: b.caldavUid,
      caldavHref: b.caldavHref,
      caldavEtag: b.caldavEtag,
      price,
    },
    resources: await bookingResourceRefs(db, b.id),
    journey: (await loadBookingJourney(db, b.id)) ?? [],
    history,
    audit,
    notifications: messages.map((n) => ({
      id: n.id,
      kind: n.kind,
      recipient: n.recipient,
      subject: n.subject,
      status: n.status,
      attempts: n.attempts,
      lastError: n.lastError,
      createdAt: n.createdAt.toISOString(),
      scheduledFor: n.scheduledFor?.toISOString() ?? null,
      sentAt: n.sentAt?.toISOString() ?? null,
      calendarMethod: customerEventMethodOf(n.icsAttachment),
    })),
    jobs: jobs.map((j) => ({
      id: j.id,
      task: j.task,
      key: j.key,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      lastError: j.lastError,
      runAt: j.runAt.toISOString(),
      lockedAt: j.lockedAt?.toISOString() ?? null,
    })),
    calendar: {
      calendars: artistCalendars.map((c) => ({ ...c, lastSyncAt: c.lastSyncAt?.toISOString() ?? null, lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null })),
      objects: objects.map((o) => ({ ...o, updatedAt: o.updatedAt.toISOString() })),
      openConflicts: conflicts.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    },
    series: b.seriesId ? { id: b.seriesId, bookings: seriesBookings.map((s) => ({ id: s.id, start: s.startsAt.toISOString(), status: s.status })) } : null,
    payment: serializePayment(b),
    paymentLedger: (await ledgerOf(db, b.id)).map(serializeLedgerRow),
  };
}
