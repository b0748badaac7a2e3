import type { JourneyStatus, JourneyStep, JourneyStepName } from "@/lib/bookings/booking-journey";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";

const STEP_LABELS: Record<JourneyStepName, string> = {
  created: "Created",
  status_changed: "Status changed",
  changed: "Changed",
  calendar_push_queued: "Calendar write queued",
  calendar_written: "Written to the artist's calendar",
  calendar_seen: "Seen in the artist's calendar",
  email_queued: "Email queued",
  email_sent: "Email sent",
};

/** The word (and a symbol) carries the status; the colour of the line only repeats it. */
const STATUS_LABELS: Record<JourneyStatus, string> = {
  done: "✓ done",
  pending: "… waiting",
  late: "⚠ LATE",
  failed: "✗ FAILED",
  skipped: "– skipped",
};

const SEVERITY: Record<JourneyStatus, string> = { done: "info", pending: "info", skipped: "info", late: "warning", failed: "error" };

/** "+4 s", "+3 min": how long after `from` a step happened. */
function after(from: string | null, at: string | null): string | null {
  if (!from || !at) return null;
  const seconds = Math.round((Date.parse(at) - Date.parse(from)) / 1000);
  if (seconds < 0) return null;
  return seconds < 120 ? `+${seconds} s` : seconds < 7200 ? `+${Math.round(seconds / 60)} min` : `+${Math.round(seconds / 3600)} h`;
}

/**
 * A booking's journey as a compact timeline: what happened when, what waits, and what is late
 * or failed (the same 60 s thresholds as the watchdog's alerts). Times on `timezone`'s clock.
 */
export function BookingJourney({ journey, timezone }: { journey: JourneyStep[]; timezone: string }) {
  const problems = journey.filter((s) => s.status === "late" || s.status === "failed").length;
  // Calendar steps count from the latest change; an email's send from its queueing.
  const offsets = journey.reduce<{ change: string | null; queued: string | null; out: (string | null)[] }>(
    (acc, s) => {
      const since = s.step === "email_sent" ? acc.queued : s.step.startsWith("calendar_") ? acc.change : null;
      acc.out.push(after(since, s.at));
      if (s.step === "created" || s.step === "status_changed" || s.step === "changed") acc.change = s.at;
      if (s.step === "email_queued") acc.queued = s.at;
      return acc;
    },
    { change: null, queued: null, out: [] },
  ).out;
  return (
    <section className="panel" aria-labelledby="b-journey">
      <h2 id="b-journey">Journey</h2>
      <p className="small muted">
        From the change to the artist&apos;s calendar and the customer&apos;s inbox. Late means not done within 60 s (the watchdog alerts then too); times in{" "}
        {timezone}.
      </p>
      {problems > 0 && (
        <p className="notice warning small" role="status" data-testid="journey-problems">
          {problems === 1 ? "1 step is late or failed." : `${problems} steps are late or failed.`}
        </p>
      )}
      <ol className="feed" data-testid="booking-journey">
        {journey.map((s, i) => {
          const offset = offsets[i];
          return (
            <li key={i} data-severity={SEVERITY[s.status]} data-step={s.step} data-status={s.status}>
              <strong>{STEP_LABELS[s.step]}</strong> ·{" "}
              {s.status === "late" || s.status === "failed" ? (
                <strong>{STATUS_LABELS[s.status]}</strong>
              ) : (
                <span className="muted">{STATUS_LABELS[s.status]}</span>
              )}
              {s.detail && <div className="small">{s.detail}</div>}
              <div className="meta">
                {s.at ? formatShortDateTimeInZone(new Date(s.at), timezone) : null}
                {offset ? ` (${offset})` : null}
                {!s.at && s.dueAt ? `${s.status === "late" ? "was due" : "due"} ${formatShortDateTimeInZone(new Date(s.dueAt), timezone)}` : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
