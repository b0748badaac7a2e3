import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { BookingActions, ManageLinkRotation } from "@/components/admin/booking-actions";
import { BookingJourney } from "@/components/admin/booking-journey";
import { BookingPaymentPanel } from "@/components/admin/booking-payment-panel";
import { BookingSeriesPanel } from "@/components/admin/booking-series-panel";
import { BookingIntakePanel } from "@/components/admin/booking-intake-panel";
import { loadBookingIntakeById } from "@/lib/intake/booking-intake";
import { BookingResourcesPanel } from "@/components/admin/booking-resources-panel";
import { roomChoicesForService } from "@/lib/resources/resource-queries";
import { formatInstant } from "@/components/admin/format";
import { RetryJobsButton, RetryNotificationButton } from "@/components/admin/retry-buttons";
import { StatusPill } from "@/components/admin/status-pill";
import { getAdminBookingDetail, type FieldChange } from "@/lib/admin/booking-detail";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { manageLinkExpiry } from "@/lib/auth/booking-token";
import { getEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";
import { formatPrice } from "@/lib/studio/format-price";
import { formatTimeRangeInZone, zoneLabel } from "@/lib/time/format-in-zone";

export const metadata: Metadata = { title: "Booking" };
export const dynamic = "force-dynamic";

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function Changes({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return <span className="muted">no field changes</span>;
  return (
    <ul className="diff">
      {changes.map((c) => (
        <li key={c.field}>
          <span className="mono">{c.field}</span>: <del>{show(c.before)}</del> → <ins>{show(c.after)}</ins>
        </li>
      ))}
    </ul>
  );
}

export default async function BookingDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/bookings/${id}`);
  let detail;
  try {
    detail = await getAdminBookingDetail(getDb(), id);
  } catch (err) {
    if (err instanceof HoldfastError && err.code === "not_found") notFound();
    throw err;
  }
  const b = detail.booking;
  const tz = b.timezone;
  const customerZone = b.customerTimezone && b.customerTimezone !== tz ? b.customerTimezone : null;
  const manageLinkUntil = manageLinkExpiry(new Date(b.end), getEnv().MANAGE_LINK_DAYS_AFTER_END).toISOString();
  const jobIdsToRetry = detail.jobs.filter((j) => j.lastError && !j.lockedAt).map((j) => j.id);
  const userAgents = [...new Set(detail.audit.map((e) => e.userAgent).filter((ua): ua is string => !!ua))];

  return (
    <>
      <p className="small">
        <Link href="/admin/bookings">← All bookings</Link>
      </p>
      <div className="page-head">
        <h1>
          {b.customer.name ?? "(no name)"} · {b.service.name} <StatusPill status={b.status} />
        </h1>
      </div>
      <div className="grid-2">
        <div>
          <section className="panel" aria-labelledby="b-when" data-testid="booking-summary">
            <h2 id="b-when">Booking</h2>
            <dl className="fields booking-summary">
              <dt>Customer</dt>
              <dd>
                <strong>{b.customer.name ?? "(no name)"}</strong>
                {b.customer.email && (
                  <>
                    {" · "}
                    <a href={`mailto:${b.customer.email}`}>{b.customer.email}</a>
                  </>
                )}
                {b.customer.phone && (
                  <>
                    {" · "}
                    <a href={`tel:${b.customer.phone.replace(/[^+0-9]/g, "")}`}>{b.customer.phone}</a>
                  </>
                )}
              </dd>
              <dt>Service</dt>
              <dd>
                {b.service.name} with {b.artist.name}
              </dd>
              <dt>Time</dt>
              <dd data-testid="booking-when">
                <strong>{formatTimeRangeInZone(new Date(b.start), new Date(b.end), tz)}</strong>
                <div className="small muted">
                  {b.artist.name}&apos;s time: {zoneLabel(tz, new Date(b.start))}
                  {customerZone && ` · customer's time: ${formatTimeRangeInZone(new Date(b.start), new Date(b.end), customerZone)}`}
                </div>
              </dd>
              <dt>Price</dt>
              <dd data-testid="booking-price">
                {b.price ? formatPrice(b.price.cents, b.price.currency) : "—"}
                {b.price?.fromService && <span className="small muted"> (the service&apos;s current price; not stored with this older booking)</span>}
              </dd>
            </dl>
            <BookingActions booking={b} layout="detail" />
          </section>

          {/* The answers and images a quote depends on, right under the booking itself. */}
          <BookingIntakePanel {...await loadBookingIntakeById(getDb(), b.id)} timezone={tz} />

          <BookingPaymentPanel
            booking={{ id: b.id, status: b.status, version: b.version, start: b.start, timezone: tz }}
            payment={detail.payment}
            ledger={detail.paymentLedger}
          />

          <BookingResourcesPanel
            booking={{ id: b.id, status: b.status, version: b.version }}
            resources={detail.resources}
            choices={await roomChoicesForService(getDb(), b.service.id)}
          />

          <BookingSeriesPanel booking={{ id: b.id, status: b.status, version: b.version, timezone: tz }} series={detail.series} />

          <section className="panel" aria-labelledby="b-fields">
            <h2 id="b-fields">Details</h2>
            <dl className="fields">
              <dt>Customer&apos;s zone</dt>
              <dd>{b.customerTimezone ?? "—"}</dd>
              <dt>Notes</dt>
              <dd className="pre-wrap">{b.notes ?? "—"}</dd>
              <dt>Decision reason</dt>
              <dd>{b.reason ?? "—"}</dd>
              <dt>Artist</dt>
              <dd>
                {b.artist.name} ({b.artist.slug})
              </dd>
              <dt>Service</dt>
              <dd>
                {b.service.name} ({b.service.slug})
              </dd>
              <dt>Buffers</dt>
              <dd>
                {b.bufferBeforeMinutes} min before, {b.bufferAfterMinutes} min after
              </dd>
              <dt>Requested</dt>
              <dd>{formatInstant(b.submittedAt, tz)}</dd>
              <dt>Created</dt>
              <dd>{formatInstant(b.createdAt, tz)}</dd>
              <dt>Confirmed</dt>
              <dd>{formatInstant(b.confirmedAt, tz)}</dd>
              <dt>Cancelled</dt>
              <dd>{formatInstant(b.cancelledAt, tz)}</dd>
              <dt>Last change</dt>
              <dd>{formatInstant(b.updatedAt, tz)}</dd>
            </dl>
            <details className="technical-details" data-testid="technical-details">
              <summary>Technical details</summary>
              <dl className="fields">
                <dt>Booking id</dt>
                <dd className="mono">{b.id}</dd>
                <dt>Version</dt>
                <dd>{b.version}</dd>
                <dt>Idempotency key</dt>
                <dd className="mono">{b.idempotencyKey ?? "—"}</dd>
                <dt>Hold expires</dt>
                <dd>{formatInstant(b.holdExpiresAt, tz)}</dd>
                <dt>Calendar event UID</dt>
                <dd className="mono">{b.caldavUid}</dd>
                <dt>Calendar event href</dt>
                <dd className="mono">{b.caldavHref ?? detail.calendar.objects[0]?.href ?? "—"}</dd>
                <dt>Calendar event etag</dt>
                <dd className="mono">{b.caldavEtag ?? detail.calendar.objects[0]?.etag ?? "—"}</dd>
                <dt>Browsers seen</dt>
                <dd>
                  {userAgents.length === 0 ? (
                    "—"
                  ) : (
                    <ul className="plain-list small">
                      {userAgents.map((ua) => (
                        <li key={ua} className="mono">
                          {ua}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </dl>
            </details>
          </section>

          {b.status !== "hold" && b.status !== "expired" && (
            <section className="panel" aria-labelledby="b-manage-link">
              <h2 id="b-manage-link">Customer&apos;s link</h2>
              <p className="small muted">
                The customer views, cancels or moves the booking through the private link in their emails. A link made now works until{" "}
                {formatInstant(manageLinkUntil, tz)}.
              </p>
              <ManageLinkRotation bookingId={b.id} />
            </section>
          )}

          <section className="panel" aria-labelledby="b-audit">
            <h2 id="b-audit">Audit trail</h2>
            <p className="small muted">Every change to this booking, written by the database itself. Newest first; times in {tz}.</p>
            <div className="table-wrap">
              <table className="data" data-testid="audit-trail">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">From</th>
                    <th scope="col">What</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.audit.map((e) => (
                    <tr key={e.id}>
                      <td className="small nowrap">{formatInstant(e.at, tz)}</td>
                      <td className="small">
                        {e.actor}
                        <div className="muted">{e.actorKind}</div>
                      </td>
                      <td className="small">{e.ip ?? "—"}</td>
                      <td className="small">
                        <strong>
                          {e.operation === "INSERT"
                            ? "created"
                            : e.operation === "DELETE"
                              ? "deleted"
                              : e.fromStatus !== e.toStatus
                                ? `${e.fromStatus} → ${e.toStatus}`
                                : "updated"}
                        </strong>
                        {e.reason && <div>“{e.reason}”</div>}
                        <details>
                          <summary>
                            {e.changes.length} field{e.changes.length === 1 ? "" : "s"}
                          </summary>
                          <Changes changes={e.changes} />
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>

        <div>
          <BookingJourney journey={detail.journey} timezone={tz} />

          <section className="panel" aria-labelledby="b-history">
            <h2 id="b-history">Status history</h2>
            <ol className="feed" data-testid="status-history">
              {detail.history.map((h, i) => (
                <li key={i}>
                  <strong>{h.from ? `${h.from} → ${h.to}` : `created as ${h.to}`}</strong>
                  <div className="meta">
                    {formatInstant(h.at, tz)} · {h.actor}
                  </div>
                  {h.reason && <div className="small">“{h.reason}”</div>}
                </li>
              ))}
            </ol>
          </section>

          <section className="panel" aria-labelledby="b-notifications">
            <h2 id="b-notifications">Emails and reminders</h2>
            {detail.notifications.length === 0 ? (
              <p className="muted">No emails for this booking.</p>
            ) : (
              <ul className="feed" data-testid="booking-notifications">
                {detail.notifications.map((n) => (
                  <li
                    key={n.id}
                    data-severity={n.status === "failed" ? "error" : n.status === "queued" ? "warning" : "info"}
                    data-kind={n.kind}
                    data-status={n.status}
                  >
                    <div>
                      <strong>{n.subject}</strong>
                    </div>
                    <div className="small">
                      to {n.recipient} · <span data-notification-status={n.status}>{n.status}</span> · {n.attempts} attempt{n.attempts === 1 ? "" : "s"}
                    </div>
                    {n.lastError && <div className="small notice error">{n.lastError}</div>}
                    <div className="meta">
                      {n.kind.replace(/_/g, " ")} · queued {formatInstant(n.createdAt, tz)}
                      {n.scheduledFor ? ` · ${n.status === "scheduled" ? "goes out" : "was due"} ${formatInstant(n.scheduledFor, tz)}` : ""}
                      {n.sentAt ? ` · sent ${formatInstant(n.sentAt, tz)}` : ""}
                      {n.calendarMethod === "REQUEST"
                        ? " · with the calendar invitation"
                        : n.calendarMethod === "CANCEL"
                          ? " · removes the event from the customer's calendar"
                          : ""}
                    </div>
                    {(n.status === "queued" || n.status === "failed") && <RetryNotificationButton notificationId={n.id} />}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="panel" aria-labelledby="b-jobs">
            <h2 id="b-jobs">Background jobs</h2>
            {detail.jobs.length === 0 ? (
              <p className="muted small">No jobs waiting for this booking.</p>
            ) : (
              <ul className="feed">
                {detail.jobs.map((j) => (
                  <li key={j.id} data-severity={j.attempts >= j.maxAttempts ? "error" : j.lastError ? "warning" : "info"}>
                    <span className="mono">{j.task}</span> · attempt {j.attempts}/{j.maxAttempts}
                    {j.lockedAt ? " · running" : ` · next ${formatInstant(j.runAt, tz)}`}
                    {j.lastError && <div className="small">{j.lastError}</div>}
                  </li>
                ))}
              </ul>
            )}
            {jobIdsToRetry.length > 0 && <RetryJobsButton jobIds={jobIdsToRetry} label="Retry these jobs now" />}
          </section>

          <section className="panel" aria-labelledby="b-calendar">
            <h2 id="b-calendar">Calendar sync</h2>
            {detail.calendar.calendars.length === 0 ? (
              <p className="muted small">{b.artist.name} has no linked calendar.</p>
            ) : (
              <>
                <ul className="feed">
                  {detail.calendar.calendars.map((c) => (
                    <li key={c.id} data-severity={c.consecutiveFailures > 0 ? "error" : "info"}>
                      {c.displayName ?? c.calendarUrl} ({c.role === "write" ? "bookings go here" : "blocks time"}) · last success{" "}
                      {formatInstant(c.lastSuccessAt, tz)}
                      {c.consecutiveFailures > 0 && <div className="small">Failing: {c.consecutiveFailures} failed pulls in a row.</div>}
                      {c.lastError && <div className="small">{c.lastError}</div>}
                    </li>
                  ))}
                </ul>
                <p className="small">{inCalendarText(detail.calendar.objects, detail.calendar.calendars, Boolean(b.caldavHref))}</p>
              </>
            )}
            {detail.calendar.openConflicts.length > 0 && (
              <p className="notice warning small" role="status" data-testid="booking-calendar-conflicts">
                {detail.calendar.openConflicts.length === 1
                  ? "A calendar conflict about this booking waits"
                  : `${detail.calendar.openConflicts.length} calendar conflicts about this booking wait`}{" "}
                for a decision ({detail.calendar.openConflicts.map((c) => c.kind.replace(/_/g, " ")).join(", ")}).{" "}
                <Link href="/admin/calendars#conflicts">Resolve on Calendar sync</Link>
              </p>
            )}
            <p className="small muted">
              <Link href="/admin/calendars">Calendar sync</Link>
            </p>
          </section>
        </div>
      </div>
    </>
  );
}

/** Names the calendar that holds the booking's event, so an admin knows where the artist sees it. */
function inCalendarText(
  objects: { calendarId: string; updatedAt: string }[],
  calendars: { id: string; displayName: string | null; calendarUrl: string }[],
  hasHref: boolean,
): string {
  const names = objects.map((o) => {
    const c = calendars.find((cal) => cal.id === o.calendarId);
    return c ? (c.displayName ?? c.calendarUrl) : "an unlinked calendar";
  });
  if (names.length > 0) return `In the calendar as an event in ${names.join(", ")} (address under Technical details).`;
  return hasHref ? "In the calendar (address under Technical details)." : "Not in the calendar yet.";
}
