import Link from "next/link";
import type { FeedItem } from "@/lib/admin/feed";
import { formatInstant } from "./format";
import { MarkAlertsReadButton } from "./mark-alerts-read-button";

/** The in-app feed: alerts, new requests, cancellations and failures, newest first. */
export function FeedList({ items, timezone }: { items: FeedItem[]; timezone: string }) {
  const unread = items.filter((i) => i.unread).length;
  return (
    <section className="panel" aria-labelledby="feed-title">
      <div className="page-head">
        <h2 id="feed-title">Activity</h2>
        {unread > 0 && <MarkAlertsReadButton count={unread} />}
      </div>
      {items.length === 0 ? (
        <p className="muted">Nothing yet. New requests, cancellations and failures show up here.</p>
      ) : (
        <ul className="feed" data-testid="feed">
          {items.map((item) => (
            <li key={item.id} data-severity={item.severity} data-unread={item.unread} data-kind={item.kind}>
              <div>{item.href ? <Link href={item.href}>{item.title}</Link> : item.title}</div>
              {item.detail && <div className="small">{item.detail}</div>}
              <div className="meta">
                {formatInstant(item.at, timezone)} · {item.kind.replace(/_/g, " ")}
                {item.unread ? " · new" : ""}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
