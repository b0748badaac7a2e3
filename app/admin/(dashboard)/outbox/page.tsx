import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { durationText, formatInstant } from "@/components/admin/format";
import { RetryJobsButton, RetryNotificationButton } from "@/components/admin/retry-buttons";
import { getJobOverview, listOutbox, outboxQuerySchema } from "@/lib/admin/outbox";
import { studioTimezone } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";

export const metadata: Metadata = { title: "Outbox & jobs" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function OutboxPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  const parsed = outboxQuerySchema.safeParse({ status: one(raw.status), page: one(raw.page) });
  const query = parsed.success ? parsed.data : { page: 1, pageSize: 25 };
  await requireAdminPage("/admin/outbox");
  const db = getDb();
  const [outbox, jobs, tz] = await Promise.all([listOutbox(db, query), getJobOverview(db), studioTimezone(db)]);
  const retryable = jobs.problems.filter((j) => !j.locked).map((j) => j.id);
  const pages = Math.max(1, Math.ceil(outbox.total / outbox.pageSize));
  const link = (changes: Record<string, string>) => `/admin/outbox?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), ...changes })}`;

  return (
    <>
      <h1>Outbox &amp; jobs</h1>
      {!outbox.smtpConfigured && (
        <p className="notice warning" role="status">
          SMTP is not configured (SMTP_URL), so emails are kept here instead of being sent. Their text is below; they go out once SMTP is set and the app
          restarts.
        </p>
      )}

      <section className="panel" aria-labelledby="jobs-title" id="jobs">
        <h2 id="jobs-title">Job queue</h2>
        {jobs.queues.length === 0 ? (
          <p className="muted">No jobs waiting.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Job queues">
            <table className="data" data-testid="job-queues">
              <thead>
                <tr>
                  <th scope="col">Kind of job</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Due now</th>
                  <th scope="col">Oldest waiting</th>
                  <th scope="col">Running</th>
                  <th scope="col">Retrying</th>
                  <th scope="col">Dead</th>
                </tr>
              </thead>
              <tbody>
                {jobs.queues.map((q) => (
                  <tr key={q.task}>
                    <td className="mono">{q.task}</td>
                    <td>{q.waiting}</td>
                    <td>{q.due}</td>
                    <td>{q.oldestWaitingSeconds === null ? "—" : durationText(q.oldestWaitingSeconds)}</td>
                    <td>{q.running}</td>
                    <td>{q.retrying}</td>
                    <td>{q.dead}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <h3 style={{ marginTop: "1rem" }}>Failed and dead jobs</h3>
        {jobs.problems.length === 0 ? (
          <p className="muted">None. Failed jobs are retried with backoff; a job that runs out of attempts stays here until you retry it.</p>
        ) : (
          <>
            <RetryJobsButton jobIds={retryable} label={`Retry all ${retryable.length} now`} />
            <div className="table-wrap" style={{ marginTop: "0.5rem" }} tabIndex={0} role="region" aria-label="Jobs that failed">
              <table className="data" data-testid="problem-jobs">
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">State</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Next run</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {jobs.problems.map((j) => (
                    <tr key={j.id} data-job-id={j.id}>
                      <td>
                        <span className="mono">{j.task}</span>
                        <div className="small muted mono">{j.key ?? `#${j.id}`}</div>
                      </td>
                      <td>
                        {j.dead ? (
                          <span className="status status-rejected">dead</span>
                        ) : j.locked ? (
                          "running"
                        ) : (
                          <span className="status status-pending">retrying</span>
                        )}
                      </td>
                      <td>
                        {j.attempts}/{j.maxAttempts}
                      </td>
                      <td className="small">{j.lastError}</td>
                      <td className="small">{j.dead ? "—" : formatInstant(j.runAt, tz)}</td>
                      <td>{!j.locked && <RetryJobsButton jobIds={[j.id]} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="outbox-title">
        <h2 id="outbox-title">Emails</h2>
        <nav className="btn-row" aria-label="Filter emails by status">
          <Link className="btn small" href="/admin/outbox" aria-current={!query.status ? "page" : undefined}>
            All ({Object.values(outbox.byStatus).reduce((a, b) => a + b, 0)})
          </Link>
          {(["queued", "sent", "failed"] as const).map((s) => (
            <Link key={s} className="btn small" href={`/admin/outbox?status=${s}`} aria-current={query.status === s ? "page" : undefined}>
              {s} ({outbox.byStatus[s]})
            </Link>
          ))}
        </nav>
        <div className="table-wrap" style={{ marginTop: "0.6rem" }} tabIndex={0} role="region" aria-label="Outbox">
          <table className="data" data-testid="outbox">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {outbox.notifications.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No emails.
                  </td>
                </tr>
              )}
              {outbox.notifications.map((n) => (
                <tr key={n.id} data-notification-id={n.id} data-status={n.status}>
                  <td className="small nowrap">{formatInstant(n.createdAt, tz)}</td>
                  <td className="small">{n.recipient}</td>
                  <td>
                    {n.bookingId ? <Link href={`/admin/bookings/${n.bookingId}`}>{n.subject}</Link> : n.subject}
                    <div className="small muted">{n.kind.replace(/_/g, " ")}</div>
                    {n.status !== "sent" && (
                      <details>
                        <summary className="small">Message text</summary>
                        <pre className="small pre-wrap mono">{n.textBody}</pre>
                      </details>
                    )}
                  </td>
                  <td className="nowrap">
                    <span className={`status ${n.status === "sent" ? "status-confirmed" : n.status === "failed" ? "status-rejected" : "status-pending"}`}>
                      {n.status}
                    </span>
                    {n.sentAt && <div className="small muted">{formatInstant(n.sentAt, tz)}</div>}
                  </td>
                  <td>{n.attempts}</td>
                  <td className="small">{n.lastError ?? "—"}</td>
                  <td>{n.status !== "sent" && <RetryNotificationButton notificationId={n.id} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pages > 1 && (
          <nav className="pager" aria-label="Pages">
            {outbox.page > 1 ? (
              <Link className="btn" href={link({ page: String(outbox.page - 1) })}>
                ← Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="small">
              Page {outbox.page} of {pages}
            </span>
            {outbox.page < pages ? (
              <Link className="btn" href={link({ page: String(outbox.page + 1) })}>
                Older →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        )}
      </section>
    </>
  );
}
