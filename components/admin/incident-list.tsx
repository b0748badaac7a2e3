import Link from "next/link";
import type { IncidentView } from "@/lib/watchdog/list-incidents";
import { formatInstant } from "./format";

/** Incidents (open or past) with what each means and what to do; times on the studio's clock. */
export function IncidentList({ incidents, timezone, testId }: { incidents: IncidentView[]; timezone: string; testId: string }) {
  return (
    <ul className="incident-list" data-testid={testId} style={{ listStyle: "none", padding: 0 }}>
      {incidents.map((i) => (
        <li key={i.id} className={`notice ${i.clearedAt ? "ok" : i.severity === "warning" ? "warning" : "danger"}`} data-kind={i.kind}>
          <h3 style={{ marginTop: 0 }}>{i.title}</h3>
          <p>{i.message}</p>
          {i.meaning && (
            <p>
              <strong>What it means:</strong> {i.meaning}
            </p>
          )}
          {i.action && !i.clearedAt && (
            <p>
              <strong>What to do:</strong> {i.action}
            </p>
          )}
          <p className="muted">
            Since {formatInstant(i.beganAt, timezone)}
            {i.clearedAt ? `, recovered ${formatInstant(i.clearedAt, timezone)}` : `, last seen ${formatInstant(i.lastSeenAt, timezone)}`}
            {i.notifiedAt ? " · admins emailed" : ""} · <span className="mono">{i.subject}</span>
          </p>
          {i.bookingIds.length > 0 && (
            <p>
              Bookings affected:{" "}
              {i.bookingIds.slice(0, 10).map((id, n) => (
                <span key={id}>
                  {n > 0 && ", "}
                  <Link href={`/admin/bookings/${id}`} className="mono">
                    {id.slice(0, 8)}
                  </Link>
                </span>
              ))}
              {i.bookingIds.length > 10 ? ` and ${i.bookingIds.length - 10} more` : ""}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
