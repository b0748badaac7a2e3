const LABELS: Record<string, string> = {
  pending: "Pending",
  confirmed: "Confirmed",
  rejected: "Rejected",
  cancelled: "Cancelled",
  completed: "Completed",
  hold: "Hold",
  expired: "Expired",
};

/** A booking status as a pill; the word carries the meaning, the colour repeats it. */
export function StatusPill({ status }: { status: string }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
