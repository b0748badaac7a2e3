/**
 * A booking's journey: where each promise made when it changed stands now. Created (and each
 * status change) -> calendar push queued -> written to the artist's calendar (ETag) -> seen again
 * by the next pull (the proof the artist can see it) -> each email queued -> sent (Message-ID) or
 * failed. A step that waits longer than the watchdog allows is `late`, by the same thresholds, so
 * the booking page and the alert agree on what is late.
 *
 * `loadBookingJourney` reads everything in one set of queries; `assembleBookingJourney` is the
 * pure step logic (tested with an explicit `now`).
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { bookings, calendarConflicts, calendars, notifications, type BookingStatus, type NotificationStatus } from "@/db/schema";
import { EDIT_CONFLICT_KINDS } from "@/lib/caldav/apply-artist-edits";
import { readEnv } from "@/lib/env";
import { bookingShowsInCalendar } from "@/lib/ical/build-booking-event";
import { listJobsOfBooking } from "@/lib/jobs/job-queries";
import { STUDIO_NOTIFICATION_KINDS, type NotificationKind } from "@/lib/notifications/templates";
import { scrubError } from "@/lib/watchdog/checks";
import { CALENDAR_STALE_AFTER_SECONDS, EMAIL_LATE_AFTER_SECONDS, PUSH_LATE_AFTER_SECONDS } from "@/lib/watchdog/incident-kinds";

export const JOURNEY_STEPS = [
  "created",
  "status_changed",
  "changed",
  "calendar_push_queued",
  "calendar_written",
  "calendar_seen",
  "email_queued",
  "email_sent",
] as const;
export type JourneyStepName = (typeof JOURNEY_STEPS)[number];

export const JOURNEY_STATUSES = ["done", "pending", "late", "failed", "skipped"] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export type JourneyStep = {
  step: JourneyStepName;
  status: JourneyStatus;
  /** When it happened (done, failed); null while it waits or when it was skipped. */
  at: string | null;
  /** By when it should have happened, for a step that waits (pending, late). */
  dueAt: string | null;
  detail: string | null;
};

/** A change of the booking that the calendar must show: its creation, or an update that bumped its version. */
export type JourneyChange = { at: Date; operation: string; fromStatus: BookingStatus | null; toStatus: BookingStatus | null };

export type JourneyNotification = {
  kind: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  providerMessageId: string | null;
  createdAt: Date;
  updatedAt: Date;
  scheduledFor: Date | null;
  sentAt: Date | null;
};

export type JourneyInput = {
  booking: {
    status: BookingStatus;
    createdAt: Date;
    caldavHref: string | null;
    caldavEtag: string | null;
    caldavWrittenAt: Date | null;
    caldavSeenAt: Date | null;
  };
  /** Oldest first. */
  changes: JourneyChange[];
  /** The artist's active calendar that receives bookings; null when there is none. */
  writeCalendar: { name: string } | null;
  /** The booking's calendar push job while one exists (waiting, running, retrying or dead). */
  pushJob: { attempts: number; maxAttempts: number; lastError: string | null; lockedAt: Date | null } | null;
  /** An artist's edit of the event waits for an admin: the push keeps the artist's version until then. */
  heldByConflict: boolean;
  /** Oldest first. */
  notifications: JourneyNotification[];
  smtpConfigured: boolean;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const plusSeconds = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

function step(name: JourneyStepName, status: JourneyStatus, detail: string | null, at: Date | null = null, dueAt: Date | null = null): JourneyStep {
  return { step: name, status, at: iso(at), dueAt: iso(dueAt), detail };
}

/** Waiting: `late` once `due` has passed, else `pending`. */
function waiting(name: JourneyStepName, due: Date, now: Date, detail: string): JourneyStep {
  return step(name, now.getTime() > due.getTime() ? "late" : "pending", detail, null, due);
}

function bookingSteps(input: JourneyInput): JourneyStep[] {
  const out: JourneyStep[] = [];
  for (const c of input.changes) {
    if (c.operation === "INSERT") out.push(step("created", "done", `as ${c.toStatus ?? "?"}`, c.at));
    else if (c.fromStatus !== c.toStatus) out.push(step("status_changed", "done", `${c.fromStatus ?? "?"} → ${c.toStatus ?? "?"}`, c.at));
    else out.push(step("changed", "done", "time or details changed", c.at));
  }
  if (!out.some((s) => s.step === "created")) out.unshift(step("created", "done", null, input.booking.createdAt));
  return out;
}

function calendarSteps(input: JourneyInput, now: Date): JourneyStep[] {
  const { booking, writeCalendar, pushJob } = input;
  const shows = bookingShowsInCalendar(booking.status);
  const everShown =
    shows || booking.caldavHref !== null || booking.caldavWrittenAt !== null || input.changes.some((c) => c.toStatus && bookingShowsInCalendar(c.toStatus));
  if (!everShown) {
    const why = `a ${booking.status.replace(/_/g, " ")} booking is not written to the artist's calendar`;
    return [step("calendar_push_queued", "skipped", why), step("calendar_written", "skipped", why), step("calendar_seen", "skipped", why)];
  }
  // Only while the artist has a calendar that receives bookings can the write be late (the watchdog's rule).
  if (!writeCalendar) {
    const why = "the artist has no active calendar that receives bookings";
    return [step("calendar_push_queued", "skipped", why), step("calendar_written", "skipped", why), step("calendar_seen", "skipped", why)];
  }
  const lastChange = input.changes.at(-1)?.at ?? booking.createdAt;
  const target = writeCalendar ? `to ${writeCalendar.name}` : "to the artist's calendar";
  const jobState = pushJob
    ? pushJob.attempts >= pushJob.maxAttempts
      ? "out of attempts"
      : pushJob.lockedAt
        ? `running (attempt ${pushJob.attempts})`
        : pushJob.attempts > 0
          ? `retrying after ${pushJob.attempts} failed attempt${pushJob.attempts === 1 ? "" : "s"}`
          : "waiting for the worker"
    : null;
  // The push is queued in the same transaction as the change (the outbox), so it is queued at the change.
  const queued = step("calendar_push_queued", "done", jobState, lastChange);

  const written = ((): JourneyStep => {
    if (pushJob && pushJob.attempts >= pushJob.maxAttempts) {
      return step("calendar_written", "failed", `the push ran out of attempts: ${scrubError(pushJob.lastError)}`);
    }
    if (!pushJob && booking.caldavWrittenAt && booking.caldavWrittenAt.getTime() >= lastChange.getTime()) {
      return shows
        ? step("calendar_written", "done", `${target}, ETag ${booking.caldavEtag ?? "none"}`, booking.caldavWrittenAt)
        : step("calendar_written", "done", "event removed from the calendar", booking.caldavWrittenAt);
    }
    if (!pushJob && !shows && booking.caldavHref === null) return step("calendar_written", "done", "not in the calendar", booking.caldavWrittenAt);
    if (!pushJob && shows && !booking.caldavWrittenAt && booking.caldavEtag) {
      // Written before the journey was recorded: the ETag is the proof, the time is not known.
      return step("calendar_written", "done", `${target}, ETag ${booking.caldavEtag}`);
    }
    const why = input.heldByConflict
      ? "the calendar keeps the artist's edit until an admin decides (Calendar sync)"
      : pushJob?.lastError
        ? `not written yet: ${scrubError(pushJob.lastError)}`
        : pushJob
          ? `not written yet (${jobState})`
          : `not written ${target} since the last change`;
    return waiting("calendar_written", plusSeconds(lastChange, PUSH_LATE_AFTER_SECONDS), now, why);
  })();

  const seen = ((): JourneyStep => {
    if (!shows) return step("calendar_seen", "skipped", "a removed event is not looked for");
    if (written.status !== "done") return step("calendar_seen", "pending", "after the calendar write");
    const writtenAt = booking.caldavWrittenAt;
    if (booking.caldavSeenAt && (!writtenAt || booking.caldavSeenAt.getTime() >= writtenAt.getTime())) {
      return step("calendar_seen", "done", "the next pull found the written event in the artist's calendar", booking.caldavSeenAt);
    }
    if (!writtenAt) return step("calendar_seen", "pending", "the next pull looks for the event");
    // Pulls run every 20 s; one that has not happened by the watchdog's staleness limit is the calendar_pull_stale alert.
    return waiting("calendar_seen", plusSeconds(writtenAt, CALENDAR_STALE_AFTER_SECONDS), now, "the next pull looks for the event");
  })();

  return [queued, written, seen];
}

function kindLabel(kind: string): string {
  const audience = STUDIO_NOTIFICATION_KINDS.has(kind as NotificationKind) ? "to the studio" : "to the customer";
  return `${kind.replace(/^studio_/, "").replace(/_/g, " ")} email ${audience}`;
}

function emailSteps(input: JourneyInput, now: Date): JourneyStep[] {
  return input.notifications.flatMap((n) => {
    const label = kindLabel(n.kind);
    const queued = step("email_queued", "done", n.scheduledFor ? `${label} (a reminder, due at its time)` : label, n.createdAt);
    const sent = ((): JourneyStep => {
      switch (n.status) {
        case "sent":
          return step("email_sent", "done", `${label}, Message-ID ${n.providerMessageId ?? "unknown"}`, n.sentAt ?? n.updatedAt);
        case "failed":
          return step("email_sent", "failed", `${label}: ${scrubError(n.lastError)}`, n.updatedAt);
        case "cancelled":
          return step("email_sent", "skipped", `${label}: withdrawn${n.lastError ? ` (${scrubError(n.lastError)})` : ""}`);
        default: {
          if (!input.smtpConfigured) return step("email_sent", "skipped", `${label}: SMTP is not configured; kept until it is`);
          const dueFrom = n.scheduledFor ?? n.createdAt;
          if (n.status === "scheduled" && dueFrom.getTime() > now.getTime())
            return step("email_sent", "pending", `${label}: goes out at its time`, null, dueFrom);
          const why =
            n.attempts > 0 ? `${label}: ${n.attempts} failed attempt${n.attempts === 1 ? "" : "s"}, ${scrubError(n.lastError)}` : `${label}: not sent yet`;
          return waiting("email_sent", plusSeconds(dueFrom, EMAIL_LATE_AFTER_SECONDS), now, why);
        }
      }
    })();
    return [queued, sent];
  });
}

/** The journey's steps: the booking's own, then the calendar's, then each email's (queued, then sent). */
export function assembleBookingJourney(input: JourneyInput, now: Date): JourneyStep[] {
  return [...bookingSteps(input), ...calendarSteps(input, now), ...emailSteps(input, now)];
}

/** Reads a booking's journey as of `now` (null: no such booking). */
export async function loadBookingJourney(db: Executor, bookingId: string, opts: { now?: Date; smtpConfigured?: boolean } = {}): Promise<JourneyStep[] | null> {
  const [booking] = await db
    .select({
      artistId: bookings.artistId,
      status: bookings.status,
      createdAt: bookings.createdAt,
      caldavHref: bookings.caldavHref,
      caldavEtag: bookings.caldavEtag,
      caldavWrittenAt: bookings.caldavWrittenAt,
      caldavSeenAt: bookings.caldavSeenAt,
    })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  if (!booking) return null;
  const [changes, writeCalendars, jobs, conflicts, messages] = await Promise.all([
    // Only the audit rows the calendar must follow: the insert and the updates that bumped the
    // version (the bookkeeping of pushes and pulls changes no version).
    db.execute<{ at: Date | string; operation: string; old_status: BookingStatus | null; new_status: BookingStatus | null }>(sql`
      select occurred_at as at, operation, old_status, new_status from booking_events
      where booking_id = ${bookingId} and operation <> 'DELETE'
        and (operation = 'INSERT' or old_status is distinct from new_status or (new_row->>'version') is distinct from (old_row->>'version'))
      order by id`),
    db
      .select({ name: sql<string>`coalesce(${calendars.displayName}, 'the artist''s calendar')` })
      .from(calendars)
      .where(and(eq(calendars.artistId, booking.artistId), eq(calendars.role, "write"), eq(calendars.active, true)))
      .limit(1),
    listJobsOfBooking(db, bookingId),
    db
      .select({ id: calendarConflicts.id })
      .from(calendarConflicts)
      .where(and(eq(calendarConflicts.bookingId, bookingId), eq(calendarConflicts.status, "open"), inArray(calendarConflicts.kind, [...EDIT_CONFLICT_KINDS])))
      .limit(1),
    db
      .select({
        kind: notifications.kind,
        status: notifications.status,
        attempts: notifications.attempts,
        lastError: notifications.lastError,
        providerMessageId: notifications.providerMessageId,
        createdAt: notifications.createdAt,
        updatedAt: notifications.updatedAt,
        scheduledFor: notifications.scheduledFor,
        sentAt: notifications.sentAt,
      })
      .from(notifications)
      .where(eq(notifications.bookingId, bookingId))
      .orderBy(asc(notifications.createdAt), asc(notifications.id)),
  ]);
  const pushJob = jobs.find((j) => j.task === "push_booking_to_calendar") ?? null;
  return assembleBookingJourney(
    {
      booking,
      changes: changes.rows.map((c) => ({ at: new Date(c.at), operation: c.operation, fromStatus: c.old_status, toStatus: c.new_status })),
      writeCalendar: writeCalendars[0] ?? null,
      pushJob,
      heldByConflict: conflicts.length > 0,
      notifications: messages,
      smtpConfigured: opts.smtpConfigured ?? !!readEnv(["SMTP_URL"]).SMTP_URL,
    },
    opts.now ?? new Date(),
  );
}
