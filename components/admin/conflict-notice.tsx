"use client";

import { describeBookingChanges, type BookingSnapshot } from "@/lib/admin/describe-changes";
import type { ApiError } from "./api";
import { formatInstant } from "./format";

/**
 * What an admin sees when their action lost a race: nothing was changed, here is what someone else
 * changed (from the booking they saw to the booking as it is now), and who did it.
 */
export function ConflictNotice({ error, seen, timezone, onReload }: { error: ApiError; seen: BookingSnapshot; timezone: string; onReload: () => void }) {
  const changes = error.current ? describeBookingChanges(seen, error.current, timezone) : [];
  const last = error.lastChange;
  const stale = error.code === "stale_version";
  return (
    <div className="notice warning" role="alert" data-testid="conflict-notice">
      <p>
        <strong>{stale ? "Someone else changed this booking since you loaded it." : "This booking can no longer be changed that way."}</strong> Nothing was
        overwritten.
      </p>
      {changes.length > 0 && (
        <>
          <p>What changed:</p>
          <ul>
            {changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {last && (
        <p className="small">
          Last change by {last.actorLabel} at {formatInstant(last.at, timezone)}
          {last.reason ? ` — “${last.reason}”` : ""}.
        </p>
      )}
      <button type="button" className="btn small" onClick={onReload}>
        Show the current booking
      </button>
    </div>
  );
}
