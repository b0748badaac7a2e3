import Link from "next/link";
import { formatInstant } from "@/components/admin/format";
import type { WebhookDeliveryView, WebhookEndpointView } from "@/lib/outgoing-webhooks/endpoint-commands";
import { DeleteEndpointButton, EnableEndpointButton, RetryDeliveryButton, SendTestButton } from "./webhook-controls";

const STATUS_CLASS: Record<string, string> = { delivered: "status-confirmed", pending: "status-pending", failed: "status-rejected" };

/** One endpoint: its state, Send test / Enable / Delete, and its delivery log (Retry per message). */
export function EndpointDetail({ endpoint, deliveries, tz }: { endpoint: WebhookEndpointView; deliveries: WebhookDeliveryView[]; tz: string }) {
  return (
    <>
      <p className="small">
        <Link href="/admin/webhooks">← Webhooks</Link>
      </p>
      <h1 className="mono" style={{ wordBreak: "break-all" }}>
        {endpoint.url}
      </h1>
      {endpoint.description && <p>{endpoint.description}</p>}
      {!endpoint.enabled && (
        <div className="notice error" role="alert">
          <p>
            Disabled {formatInstant(endpoint.disabledAt, tz)}: {endpoint.disabledReason ?? "by the failure rule"}. Nothing is sent to it until you enable it
            again; check the log below for what the receiver answered.
          </p>
          <EnableEndpointButton endpointId={endpoint.id} />
        </div>
      )}
      {endpoint.enabled && endpoint.failingSince && (
        <p className="notice warning" role="status">
          Failing since {formatInstant(endpoint.failingSince, tz)}. After a day of failures it is disabled.
        </p>
      )}
      <p className="small">
        Events: <span className="mono">{endpoint.events.join(", ")}</span>. Added {formatInstant(endpoint.createdAt, tz)}.
      </p>
      <div className="btn-row">
        {endpoint.enabled && <SendTestButton endpointId={endpoint.id} />}
        <DeleteEndpointButton endpointId={endpoint.id} />
      </div>

      <section className="panel" aria-labelledby="log-title">
        <h2 id="log-title">Delivery log</h2>
        <div className="table-wrap">
          <table className="data" data-testid="webhook-deliveries">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {deliveries.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    Nothing sent yet. Use “Send test” to try the receiver.
                  </td>
                </tr>
              )}
              {deliveries.map((d) => (
                <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                  <td className="small nowrap">{formatInstant(d.createdAt, tz)}</td>
                  <td>
                    <span className="mono">{d.eventType}</span>
                    <div className="small muted mono">{d.id}</div>
                    <details>
                      <summary className="small">Payload</summary>
                      <pre className="small pre-wrap mono">{JSON.stringify(d.payload, null, 2)}</pre>
                    </details>
                  </td>
                  <td className="nowrap">
                    <span className={`status ${STATUS_CLASS[d.status] ?? ""}`}>{d.status}</span>
                    {d.deliveredAt && <div className="small muted">{formatInstant(d.deliveredAt, tz)}</div>}
                  </td>
                  <td>{d.attempts}</td>
                  <td className="small">
                    {d.lastStatusCode !== null && <span className="mono">HTTP {d.lastStatusCode}</span>} {d.lastError ?? ""}
                    {d.lastAttemptAt && <div className="muted">{formatInstant(d.lastAttemptAt, tz)}</div>}
                  </td>
                  <td>{d.status !== "delivered" && endpoint.enabled && <RetryDeliveryButton deliveryId={d.id} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
