import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { CalendarEditPolicyForm, ConflictActions, SyncNowButton, UnlinkCalendarButton } from "@/components/admin/calendar-controls";
import { LinkCalendarForm } from "@/components/admin/calendar-link-form";
import { ageOf, formatInstant, formatWhen } from "@/components/admin/format";
import { StatusPill } from "@/components/admin/status-pill";
import { getCalendarSyncOverview, SYNC_RUNS_SHOWN, type CalendarView, type ConflictItem } from "@/lib/admin/calendar-sync";
import { requireAdminPage } from "@/lib/auth/admin-page";

export const metadata: Metadata = { title: "Calendar sync" };
export const dynamic = "force-dynamic";

function calendarName(c: { displayName: string | null; calendarUrl: string }) {
  if (c.displayName) return c.displayName;
  const parts = c.calendarUrl.replace(/\/+$/, "").split("/");
  return decodeURIComponent(parts[parts.length - 1] ?? c.calendarUrl);
}

/** The object's file name, which is how the artist's server lists it. */
function objectName(href: string) {
  const parts = href.replace(/\/+$/, "").split("/");
  const last = parts[parts.length - 1] ?? href;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const SKIPPED_SHOWN = 20;

function hostOf(url: string) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function bytesText(n: number) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / (1024 * 104.8576)) / 10} MB`;
}

function msText(ms: number | null) {
  if (ms === null) return "—";
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

const HEALTH: Record<CalendarView["health"], { label: string; className: string }> = {
  ok: { label: "Syncing", className: "status-confirmed" },
  failing: { label: "Failing", className: "status-rejected" },
  waiting: { label: "Waiting for first sync", className: "status-pending" },
};

const RUN_STATUS_CLASS: Record<string, string> = { success: "status-confirmed", partial: "status-pending", failed: "status-rejected" };

function conflictHeadline(c: ConflictItem) {
  const artist = c.booking?.artistName ?? "The artist";
  switch (c.kind) {
    case "event_deleted":
      return `${artist} deleted this booking's event (or marked it cancelled)`;
    case "event_moved":
      return `${artist} moved this booking's event`;
    case "event_confirmed":
      return `${artist} confirmed this request in their calendar`;
    case "event_overlaps_booking":
      return `${artist} added an event that overlaps this booking`;
    default:
      return c.kind.replace(/_/g, " ");
  }
}

const RESOLUTION_TEXT: Record<string, string> = {
  keep_booking: "kept the booking",
  accept_calendar: "accepted the calendar's version",
  cancel_booking: "cancelled the booking",
};

function CalendarCard({ c, artistName, tz }: { c: CalendarView; artistName: string; tz: string }) {
  const name = calendarName(c);
  const health = HEALTH[c.health];
  return (
    <li className="cal-card" data-calendar-id={c.id} data-role={c.role} data-health={c.health} aria-label={`${name} (${artistName})`}>
      <div className="cal-card-head">
        <h3>{name}</h3>
        <span className={`pill role-${c.role}`}>{c.role === "write" ? "Bookings go here" : "Blocks time only"}</span>
        <span className={`status ${health.className}`} data-testid="calendar-health">
          {health.label}
          {c.health === "failing" ? ` (${c.consecutiveFailures}×)` : ""}
        </span>
        {!c.active && <span className="status status-cancelled">Paused</span>}
      </div>
      <dl className="fields">
        <dt>Calendar</dt>
        <dd className="mono">{c.calendarUrl}</dd>
        <dt>Account</dt>
        <dd>
          {c.username} on {hostOf(c.serverUrl)}
        </dd>
        <dt>Last success</dt>
        <dd data-testid="last-success">{c.lastSuccessAt ? `${formatInstant(c.lastSuccessAt, tz)} (${ageOf(c.lastSuccessAt)} ago)` : "never"}</dd>
        <dt>Last attempt</dt>
        <dd>{c.lastSyncAt ? formatInstant(c.lastSyncAt, tz) : "not yet"}</dd>
        <dt>Failures in a row</dt>
        <dd data-testid="consecutive-failures">{c.consecutiveFailures}</dd>
        {c.lastError && (
          <>
            <dt>Last error</dt>
            <dd className="cal-error" data-testid="last-error">
              {c.lastErrorCode && <span className="mono">{c.lastErrorCode}</span>} {c.lastError}
            </dd>
          </>
        )}
        <dt>Next pull</dt>
        <dd>{c.active ? formatInstant(c.nextSyncAt, tz) : "paused"}</dd>
      </dl>
      {c.skippedObjects.length > 0 && (
        <details className="skipped-objects" data-testid="skipped-objects" open>
          <summary>{c.skippedObjects.length === 1 ? "1 event" : `${c.skippedObjects.length} events`} Holdfast could not read</summary>
          <p className="small muted">
            The rest of this calendar syncs normally. These block nothing new (what an earlier readable version blocked stays blocked) and are read again as
            soon as the artist&apos;s calendar app saves them again.
          </p>
          <ul className="feed">
            {c.skippedObjects.slice(0, SKIPPED_SHOWN).map((o) => (
              <li key={o.href} data-skipped-href={o.href}>
                <span className="mono">{objectName(o.href)}</span>
                {o.uid && (
                  <>
                    {" "}
                    · UID <span className="mono">{o.uid}</span>
                  </>
                )}
                <div className="meta">
                  <span data-testid="skip-reason">{o.reason}</span> · {formatInstant(o.skippedAt, tz)}
                </div>
              </li>
            ))}
          </ul>
          {c.skippedObjects.length > SKIPPED_SHOWN && (
            <p className="small muted">…and {c.skippedObjects.length - SKIPPED_SHOWN} more (GET /api/admin/calendars lists them all).</p>
          )}
        </details>
      )}
      <div className="btn-row">
        {c.active && <SyncNowButton calendarId={c.id} name={name} />}
        <UnlinkCalendarButton calendarId={c.id} name={name} artistName={artistName} role={c.role} />
      </div>
      <details className="sync-log">
        <summary>
          Sync log <span className="muted small">(last {SYNC_RUNS_SHOWN} runs; kept 90 days)</span>
        </summary>
        {c.runs.length === 0 ? (
          <p className="small muted">No runs yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data" data-testid="sync-runs">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Result</th>
                  <th scope="col">Changed</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">Skipped</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Bytes</th>
                  <th scope="col">Took</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {c.runs.map((r) => (
                  <tr key={r.id} data-run-status={r.status}>
                    <td className="nowrap small">{formatInstant(r.startedAt, tz)}</td>
                    <td className="small">{r.kind.replace(/_/g, " ")}</td>
                    <td>
                      <span className={`status ${RUN_STATUS_CLASS[r.status] ?? "status-cancelled"}`}>{r.status}</span>
                    </td>
                    <td>{r.objectsChanged}</td>
                    <td>{r.objectsDeleted}</td>
                    <td>{r.objectsSkipped}</td>
                    <td>{r.requests}</td>
                    <td className="nowrap">{bytesText(r.bytes)}</td>
                    <td className="nowrap">{msText(r.durationMs)}</td>
                    <td className="small">{r.error ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </li>
  );
}

function ConflictCard({ c, tz }: { c: ConflictItem; tz: string }) {
  const b = c.booking;
  const zone = b?.timezone ?? tz;
  const who = b?.customerName ?? "this customer";
  return (
    <li className="conflict" data-conflict-id={c.id} data-kind={c.kind}>
      <p className="conflict-title">
        <strong>{conflictHeadline(c)}</strong>
      </p>
      {b ? (
        <p>
          <Link href={`/admin/bookings/${b.id}`}>
            {b.customerName ?? "(no name)"} · {b.serviceName}
          </Link>{" "}
          <StatusPill status={b.status} />
          <br />
          <span className="small">Booked: {formatWhen(b.start, b.end, zone).text}</span>
        </p>
      ) : (
        <p className="small muted">The booking no longer exists.</p>
      )}
      {c.eventStart && c.eventEnd && c.kind !== "event_deleted" && (
        <p className="small">
          {c.kind === "event_overlaps_booking" ? "Artist's event" : "Calendar now says"}: {formatWhen(c.eventStart, c.eventEnd, zone).text}
          {c.eventSummary && ` — “${c.eventSummary}”`}
        </p>
      )}
      <p className="small muted">
        {c.calendar ? `In ${c.calendar.name}, ` : ""}noticed {formatInstant(c.createdAt, tz)}
      </p>
      {b && c.resolutions.length > 0 && <ConflictActions conflictId={c.id} kind={c.kind} resolutions={c.resolutions} who={who} />}
    </li>
  );
}

export default async function CalendarSyncPage() {
  await requireAdminPage("/admin/calendars");
  const overview = await getCalendarSyncOverview(getDb());
  const tz = overview.studioTimezone;
  const linkedCount = overview.artists.reduce((n, a) => n + a.calendars.length, 0);
  const failing = overview.artists.flatMap((a) => a.calendars.filter((c) => c.health === "failing"));
  const withSkipped = overview.artists.flatMap((a) => a.calendars.filter((c) => c.skippedObjects.length > 0));

  return (
    <>
      <div className="page-head">
        <h1>Calendar sync</h1>
        <p className="muted small">
          {linkedCount === 0
            ? "No calendars linked yet."
            : `${linkedCount} linked ${linkedCount === 1 ? "calendar" : "calendars"}, pulled every 30 seconds (every minute by cron). Times in ${tz}.`}
        </p>
      </div>
      {failing.length > 0 && (
        <p className="notice error" role="alert">
          {failing.length === 1 ? "A calendar is" : `${failing.length} calendars are`} failing to sync:{" "}
          {failing.map((c) => `${calendarName(c)} (${c.artistName})`).join(", ")}. Nothing is deleted while it fails; Holdfast keeps retrying.
        </p>
      )}

      {withSkipped.length > 0 && (
        <p className="notice" role="status" data-testid="skipped-notice">
          Some events could not be read and block nothing new:{" "}
          {withSkipped.map((c) => `${calendarName(c)} (${c.artistName}): ${c.skippedObjects.length}`).join(", ")}. Those calendars keep syncing; see each
          calendar below for which events and why.
        </p>
      )}

      <section className="panel" aria-labelledby="conflicts-title" id="conflicts">
        <h2 id="conflicts-title">
          Open conflicts <span className="muted small">({overview.openConflicts.length})</span>
        </h2>
        {overview.openConflicts.length === 0 ? (
          <p className="muted small" data-testid="no-conflicts">
            None. When an artist deletes, moves or confirms a Holdfast event, or puts an event over a booking, it shows up here
            {overview.policy === "auto" ? " if it cannot be applied automatically" : ""}.
          </p>
        ) : (
          <ul className="conflict-list">
            {overview.openConflicts.map((c) => (
              <ConflictCard key={c.id} c={c} tz={tz} />
            ))}
          </ul>
        )}
      </section>

      {overview.artists.map((a) => {
        const write = a.calendars.find((c) => c.role === "write" && c.active);
        return (
          <section key={a.id} className="panel artist-calendars" aria-labelledby={`artist-${a.id}`} data-artist-id={a.id} data-artist-slug={a.slug}>
            <div className="page-head">
              <h2 id={`artist-${a.id}`}>{a.name}</h2>
              <span className="muted small">
                {a.timezone}
                {!a.active && " · inactive"}
              </span>
            </div>
            {a.calendars.length === 0 ? (
              <p className="small muted">No calendar linked: bookings are not written to any calendar, and only bookings block {a.name}&apos;s slots.</p>
            ) : (
              <>
                {!write && <p className="small">No calendar receives {a.name}&apos;s bookings yet; link one with “Bookings go here”.</p>}
                <ul className="cal-cards">
                  {a.calendars.map((c) => (
                    <CalendarCard key={c.id} c={c} artistName={a.name} tz={tz} />
                  ))}
                </ul>
              </>
            )}
            <details className="link-calendar-details">
              <summary className="btn small">Link a calendar for {a.name}</summary>
              <LinkCalendarForm
                artistId={a.id}
                artistName={a.name}
                writeCalendarUrl={write ? write.calendarUrl : null}
                linkedUrls={a.calendars.map((c) => c.calendarUrl)}
              />
            </details>
          </section>
        );
      })}

      <section className="panel" aria-labelledby="policy-title" id="policy">
        <h2 id="policy-title">Artist edits</h2>
        <CalendarEditPolicyForm policy={overview.policy} />
      </section>

      {overview.recentlyResolved.length > 0 && (
        <section className="panel" aria-labelledby="resolved-title">
          <h2 id="resolved-title">Recently resolved conflicts</h2>
          <ul className="feed">
            {overview.recentlyResolved.map((c) => (
              <li key={c.id} data-resolved-conflict-id={c.id}>
                {conflictHeadline(c)}
                {c.booking && (
                  <>
                    {" "}
                    — <Link href={`/admin/bookings/${c.booking.id}`}>{c.booking.customerName ?? "booking"}</Link>
                  </>
                )}
                <div className="meta">
                  {c.resolution ? (RESOLUTION_TEXT[c.resolution] ?? c.resolution) : "resolved"} · {formatInstant(c.resolvedAt, tz)}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
