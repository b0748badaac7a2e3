import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { BookingsTable } from "@/components/admin/bookings-table";
import { FeedList } from "@/components/admin/feed-list";
import { formatInstant } from "@/components/admin/format";
import { LiveRefresh } from "@/components/admin/summary-poller";
import { getAdminFeed } from "@/lib/admin/feed";
import { getAdminSummary, listPendingRequests } from "@/lib/admin/summary";
import { studioTimezone } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";

export const metadata: Metadata = { title: "Requests" };
export const dynamic = "force-dynamic";

export default async function RequestsPage() {
  await requireAdminPage("/admin");
  const db = getDb();
  const [pending, summary, feed, timezone] = await Promise.all([
    listPendingRequests(db, { limit: 100 }),
    getAdminSummary(db),
    getAdminFeed(db, { limit: 30 }),
    studioTimezone(db),
  ]);
  return (
    <>
      <LiveRefresh latestEventId={summary.latestEventId} />
      <div className="page-head">
        <h1>Requests waiting for a decision</h1>
        <p className="muted small">
          {summary.pendingCount === 0
            ? "Nothing is waiting."
            : `${summary.pendingCount} pending, the oldest since ${formatInstant(summary.oldestPendingAt, timezone)}. Oldest first.`}
        </p>
      </div>
      {(summary.failedNotifications > 0 || summary.deadJobs > 0) && (
        <p className="notice error" role="alert">
          {summary.failedNotifications > 0 && `${summary.failedNotifications} email${summary.failedNotifications === 1 ? "" : "s"} could not be delivered. `}
          {summary.deadJobs > 0 && `${summary.deadJobs} background job${summary.deadJobs === 1 ? "" : "s"} ran out of attempts. `}
          <Link href="/admin/outbox">Open the outbox</Link>
        </p>
      )}
      <div className="grid-2">
        <section aria-labelledby="pending-title">
          <h2 id="pending-title" className="sr-only">
            Pending requests
          </h2>
          <BookingsTable rows={pending} caption="Pending requests, oldest first" showRequested={false} />
          {summary.pendingCount > pending.length && (
            <p className="small">
              Showing the oldest {pending.length}. <Link href="/admin/bookings?status=pending&sort=asc">See all pending requests</Link>
            </p>
          )}
        </section>
        <FeedList items={feed} timezone={timezone} />
      </div>
    </>
  );
}
