import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { IncidentList } from "@/components/admin/incident-list";
import { studioTimezone } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { INCIDENT_KINDS, INCIDENT_KIND_INFO } from "@/lib/watchdog/incident-kinds";
import { listIncidents } from "@/lib/watchdog/list-incidents";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

export default async function AlertsPage() {
  await requireAdminPage("/admin/alerts");
  const db = getDb();
  const [{ open, past }, tz] = await Promise.all([listIncidents(db), studioTimezone(db)]);
  return (
    <>
      <h1>Alerts</h1>
      <p className="muted">
        The watchdog checks every 30 seconds that bookings reach the artists&apos; calendars, emails go out and the background work runs. Each problem is one
        alert until its cause is gone; admins get an email when one opens.
      </p>

      <section className="panel" aria-labelledby="open-title">
        <h2 id="open-title">Open ({open.length})</h2>
        {open.length === 0 ? (
          <p className="notice ok" data-testid="no-open-incidents">
            Nothing is broken right now.
          </p>
        ) : (
          <IncidentList incidents={open} timezone={tz} testId="open-incidents" />
        )}
      </section>

      <section className="panel" aria-labelledby="past-title">
        <h2 id="past-title">Recovered</h2>
        {past.length === 0 ? <p className="muted">No earlier alerts.</p> : <IncidentList incidents={past} timezone={tz} testId="past-incidents" />}
      </section>

      <section className="panel" aria-labelledby="kinds-title">
        <h2 id="kinds-title">What each alert means</h2>
        <dl>
          {INCIDENT_KINDS.map((kind) => (
            <div key={kind}>
              <dt>
                <strong>{INCIDENT_KIND_INFO[kind].title}</strong> <span className="mono muted">{kind}</span>
              </dt>
              <dd>
                {INCIDENT_KIND_INFO[kind].meaning} {INCIDENT_KIND_INFO[kind].action}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
