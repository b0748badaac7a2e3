/**
 * What the watchdog can find broken. One table for the dashboard, the admin email, the health
 * check and the README, so each kind means the same thing everywhere.
 */

/** A booking's calendar event must be written this soon after its change. */
export const PUSH_LATE_AFTER_SECONDS = 60;
/** A queued email must be sent this soon (while SMTP is configured). */
export const EMAIL_LATE_AFTER_SECONDS = 60;
/** This many delivery attempts failing in a row means SMTP itself is failing. */
export const SMTP_FAILED_ATTEMPTS_IN_A_ROW = 2;
/** Push attempts (or 429 deferrals) of one calendar failing in a row, with no write between, before it counts as failing. */
export const CALENDAR_PUSH_FAILURES_IN_A_ROW = 2;
/** Pull failures in a row before a calendar counts as failing (the same count lib/caldav alerts at). */
export const CALENDAR_FAILURES_IN_A_ROW = 3;
/** An active calendar must have been pulled within this (it is due every 20 s). */
export const CALENDAR_STALE_AFTER_SECONDS = 180;
/** Some worker pool must have written its heartbeat within this (they beat every 10 s). */
export const WORKER_SILENT_AFTER_SECONDS = 60;
/** A due job must have been picked up within this. */
export const QUEUE_OVERDUE_AFTER_SECONDS = 60;
/**
 * A worker incident that no run has confirmed for this long is cleared by runs that do not
 * expect a worker: the instance that expected one is gone, and an alert nobody can re-check
 * must not hold /api/health at 503 for ever.
 */
export const UNCONFIRMED_WORKER_INCIDENT_CLEARS_AFTER_SECONDS = 300;
/** Affected bookings kept per incident. */
export const MAX_BOOKING_IDS = 100;

export const INCIDENT_KINDS = [
  "calendar_push_late",
  "calendar_push_failing",
  "email_unsent",
  "smtp_failing",
  "calendar_pull_failing",
  "calendar_pull_stale",
  "job_dead",
  "worker_silent",
  "queue_overdue",
  "webhook_endpoint_disabled",
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** The parts /api/health names. */
export type HealthPart = "worker" | "mail" | "calendars" | "jobs";

export type IncidentKindInfo = {
  title: string;
  part: HealthPart;
  severity: "warning" | "error";
  /** One sentence: what it means for the studio. */
  meaning: string;
  /** One sentence: what to do about it. */
  action: string;
};

export const INCIDENT_KIND_INFO: Record<IncidentKind, IncidentKindInfo> = {
  calendar_push_late: {
    title: "Bookings not written to the artist's calendar",
    part: "calendars",
    severity: "error",
    meaning: "A booking changed more than a minute ago and its event is still not in the artist's calendar, so the artist may not see it there.",
    action:
      "Open Calendar sync and check the artist's calendar (server reachable, app password valid); Holdfast keeps retrying, and the booking is always in the dashboard meanwhile.",
  },
  calendar_push_failing: {
    title: "Writing to the artist's calendar failing",
    part: "calendars",
    severity: "error",
    meaning:
      "The last two attempts to write bookings into an artist's calendar failed (server unreachable, an error, or rate-limited with 429), so new and changed bookings do not reach the artist's calendar.",
    action:
      "Open Calendar sync and check the artist's calendar (server reachable, app password valid, not rate-limiting); Holdfast keeps retrying, the alert clears with the first successful write, and the booking is always in the dashboard meanwhile.",
  },
  email_unsent: {
    title: "Emails not sent",
    part: "mail",
    severity: "error",
    meaning: "Emails have waited more than a minute in the outbox, so customers or the studio have not been told about a booking yet.",
    action: "Check Outbox & jobs for the error and that the job worker runs; every mail is kept and goes out once the cause is fixed.",
  },
  smtp_failing: {
    title: "SMTP server failing",
    part: "mail",
    severity: "error",
    meaning: "The last delivery attempts to the SMTP server failed in a row (refused, wrong login or no answer), so no email goes out.",
    action: "Check SMTP_URL (host, port, user, password) and the mail provider's status; failed mails are retried, and can be retried from Outbox & jobs.",
  },
  calendar_pull_failing: {
    title: "Calendar sync failing",
    part: "calendars",
    severity: "error",
    meaning: "Reading an artist's calendar failed three times in a row, so events the artist adds there do not block booking slots.",
    action: "Open Calendar sync to see the error; a revoked app password needs the calendar to be linked again, an unreachable server needs the server fixed.",
  },
  calendar_pull_stale: {
    title: "Calendar not read recently",
    part: "calendars",
    severity: "warning",
    meaning: "An active calendar has not been read for more than three minutes, so the artist's newest events may not block slots yet.",
    action: "Check that the app's tick runs (npm start, or a scheduler calling POST /api/cron/sync every minute) and the calendar's status in Calendar sync.",
  },
  job_dead: {
    title: "Background jobs gave up",
    part: "jobs",
    severity: "error",
    meaning: "A background job (an email, a calendar write) ran out of attempts and will not run again by itself.",
    action: "Fix the cause shown in Outbox & jobs, then press Retry there; nothing was deleted.",
  },
  worker_silent: {
    title: "Job worker not running",
    part: "worker",
    severity: "error",
    meaning: "No job worker has reported for more than a minute, so emails and calendar writes are not processed.",
    action: "Restart the app (or the worker process) and check its log; queued work is kept and runs as soon as a worker is back.",
  },
  queue_overdue: {
    title: "Job queue falling behind",
    part: "jobs",
    severity: "warning",
    meaning: "Jobs have been due for more than a minute without being picked up, so emails and calendar writes are late.",
    action:
      "Check that the job worker runs and is not stuck (its log, Outbox & jobs); with HOLDFAST_WORKER=off, check that the scheduler calls the cron route.",
  },
  // Outgoing webhooks are background deliveries, so /api/health reports them under "jobs".
  webhook_endpoint_disabled: {
    title: "Webhook endpoint disabled",
    part: "jobs",
    severity: "warning",
    meaning:
      "An outgoing webhook endpoint failed every delivery for a day and was switched off, so the integration behind it (chat, ntfy, a CRM) hears nothing.",
    action: "Open Webhooks, check the delivery log for the endpoint's answers, fix the receiver, then enable the endpoint again (or delete it).",
  },
};

export function isIncidentKind(kind: string): kind is IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(kind);
}

export function incidentKindInfo(kind: string): IncidentKindInfo | undefined {
  return isIncidentKind(kind) ? INCIDENT_KIND_INFO[kind] : undefined;
}
