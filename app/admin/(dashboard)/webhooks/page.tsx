import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { formatInstant } from "@/components/admin/format";
import { studioTimezone } from "@/lib/admin/studio-setup";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { z } from "@/lib/zod";
import { HoldfastError } from "@/lib/errors";
import { getWebhookEndpoint, listWebhookEndpoints } from "@/lib/outgoing-webhooks/endpoint-commands";
import { WEBHOOK_EVENT_TYPES } from "@/lib/outgoing-webhooks/event-types";
import { EndpointDetail } from "./endpoint-detail";
import { CreateWebhookForm } from "./webhook-controls";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The endpoint chosen with ?endpoint=<id> (its log), or null; an unknown id shows the list with a notice. */
async function selectedEndpoint(db: ReturnType<typeof getDb>, raw: string | string[] | undefined) {
  const id = Array.isArray(raw) ? raw[0] : raw;
  if (!id) return { id: null, found: null };
  if (!z.uuid().safeParse(id).success) return { id, found: null };
  const found = await getWebhookEndpoint(db, id, { limit: 100 }).catch((err: unknown) => {
    if (err instanceof HoldfastError && err.code === "not_found") return null;
    throw err;
  });
  return { id, found };
}

export default async function WebhooksPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  await requireAdminPage("/admin/webhooks");
  const db = getDb();
  const [endpoints, tz, selected] = await Promise.all([listWebhookEndpoints(db), studioTimezone(db), selectedEndpoint(db, raw.endpoint)]);
  if (selected.found) return <EndpointDetail endpoint={selected.found.endpoint} deliveries={selected.found.deliveries} tz={tz} />;

  return (
    <>
      <h1>Webhooks</h1>
      {selected.id && (
        <p className="notice warning" role="status">
          That endpoint was not found (it may have been deleted).
        </p>
      )}
      <p className="muted">
        Holdfast POSTs a signed JSON message (Standard Webhooks: <span className="mono">webhook-id</span>, <span className="mono">webhook-timestamp</span>,{" "}
        <span className="mono">webhook-signature</span>) to each endpoint for the events it subscribed to: bookings requested, confirmed, rejected, cancelled,
        rescheduled or completed, and alerts raised or cleared. Messages carry ids, times, status, artist and service, never the customer&apos;s name, contact
        details or notes. A failed delivery is retried for about a day; an endpoint that fails for a whole day is disabled and raises an alert.
      </p>

      <section className="panel" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        {endpoints.length === 0 ? (
          <p className="muted">No endpoints yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data" data-testid="webhook-endpoints">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Events</th>
                  <th scope="col">State</th>
                  <th scope="col">Delivered</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Last delivered</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr key={e.id} data-endpoint-id={e.id}>
                    <td>
                      <Link href={`/admin/webhooks?endpoint=${e.id}`} className="mono">
                        {e.url}
                      </Link>
                      {e.description && <div className="small muted">{e.description}</div>}
                    </td>
                    <td className="small mono">{e.events.join(", ")}</td>
                    <td className="nowrap">
                      {!e.enabled ? (
                        <span className="status status-rejected">disabled</span>
                      ) : e.failingSince ? (
                        <span className="status status-pending">failing since {formatInstant(e.failingSince, tz)}</span>
                      ) : (
                        <span className="status status-confirmed">active</span>
                      )}
                    </td>
                    <td>{e.deliveries.delivered}</td>
                    <td>{e.deliveries.pending}</td>
                    <td>{e.deliveries.failed}</td>
                    <td className="small nowrap">{formatInstant(e.lastDeliveredAt, tz)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="add-webhook-title">
        <h2 id="add-webhook-title">Add an endpoint</h2>
        <CreateWebhookForm eventTypes={WEBHOOK_EVENT_TYPES} />
      </section>
    </>
  );
}
