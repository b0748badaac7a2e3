const LABELS: Record<string, string> = {
  pending: "Waiting for confirmation",
  confirmed: "Confirmed",
  cancelled: "Cancelled",
  rejected: "Declined by the studio",
  completed: "Completed",
  expired: "Expired",
  hold: "Held",
};

export function statusLabel(status: string) {
  return LABELS[status] ?? status;
}

/** The booking's status as a coloured pill; the text carries the meaning, the colour only repeats it. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
