import Link from "next/link";
import type { IncidentView } from "@/lib/watchdog/list-incidents";

/** On every admin page while something is broken: how many problems, which, and the way to the list. */
export function IncidentBanner({ incidents }: { incidents: IncidentView[] }) {
  if (incidents.length === 0) return null;
  const titles = [...new Set(incidents.map((i) => i.title))];
  return (
    <div className="notice danger" role="alert" data-testid="incident-banner" style={{ margin: 0, borderRadius: 0 }}>
      <strong>
        {incidents.length === 1 ? "1 problem" : `${incidents.length} problems`}: {titles.join("; ")}.
      </strong>{" "}
      <Link href="/admin/alerts">See what to do</Link>
    </div>
  );
}
