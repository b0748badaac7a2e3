"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { callAdminApi, type ApiError } from "@/components/admin/api";
import { AdminCallButton } from "@/components/admin/admin-call-button";
import { FieldError } from "@/components/admin/field-errors";

/*
 * The Webhooks screen's controls. They call the same /api/admin/webhooks routes an integrator
 * scripts against (admin session, same-origin), so the screen and the API cannot drift apart.
 */

/** Register an endpoint; the answer's secret is shown here once and never again. */
export function CreateWebhookForm({ eventTypes }: { eventTypes: readonly string[] }) {
  const router = useRouter();
  const id = useId();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function toggle(type: string) {
    setEvents((current) => (current.includes(type) ? current.filter((t) => t !== type) : [...current, type]));
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setSecret(null);
    startTransition(async () => {
      const result = await callAdminApi<{ endpoint: { id: string }; secret: string }>("/api/admin/webhooks", {
        body: { url, events, ...(description ? { description } : {}) },
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setSecret(result.data.secret);
      setUrl("");
      setDescription("");
      setEvents([]);
      router.refresh();
    });
  }

  const describedBy = (name: string) => (error?.fields?.[name] ? { "aria-invalid": true, "aria-describedby": `${id}-${name}-error` } : {});

  return (
    <form onSubmit={submit} data-testid="create-webhook" noValidate>
      {error && !error.fields && (
        <p className="notice error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-grid">
        <div className="a-field wide">
          <label htmlFor={`${id}-url`}>Endpoint URL</label>
          <input
            id={`${id}-url`}
            name="url"
            type="text"
            inputMode="url"
            placeholder="https://hooks.example.com/holdfast"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            {...describedBy("url")}
          />
          <FieldError id={`${id}-url-error`} errors={error?.fields} name="url" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-description`}>Description (optional)</label>
          <input id={`${id}-description`} name="description" type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
          <FieldError id={`${id}-description-error`} errors={error?.fields} name="description" />
        </div>
      </div>
      <fieldset className="a-field wide" {...describedBy("events")}>
        <legend>Events</legend>
        <div className="btn-row">
          {eventTypes.map((type) => (
            <label key={type} className="small">
              <input type="checkbox" name="events" value={type} checked={events.includes(type)} onChange={() => toggle(type)} />{" "}
              <span className="mono">{type}</span>
            </label>
          ))}
        </div>
        <FieldError id={`${id}-events-error`} errors={error?.fields} name="events" />
      </fieldset>
      <div className="btn-row">
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Adding…" : "Add endpoint"}
        </button>
      </div>
      <div aria-live="polite">
        {secret && (
          <div className="notice warning" role="status" data-testid="webhook-secret">
            <p>
              <strong>Signing secret — copy it now, it is not shown again:</strong>
            </p>
            <p className="mono" style={{ wordBreak: "break-all" }}>
              {secret}
            </p>
            <p className="small">Give it to your receiver to verify the webhook-signature header (any Standard Webhooks library does this).</p>
          </div>
        )}
      </div>
    </form>
  );
}

export function SendTestButton({ endpointId }: { endpointId: string }) {
  return (
    <AdminCallButton
      label="Send test"
      busyLabel="Queuing…"
      run={async () => {
        const result = await callAdminApi<{ deliveryId: string }>(`/api/admin/webhooks/${endpointId}/test`, { body: {} });
        return result.ok ? `Test queued (${result.data.deliveryId})` : result.error.message;
      }}
    />
  );
}

export function EnableEndpointButton({ endpointId }: { endpointId: string }) {
  return (
    <AdminCallButton
      label="Enable again"
      busyLabel="Enabling…"
      run={async () => {
        const result = await callAdminApi(`/api/admin/webhooks/${endpointId}/enable`, { body: {} });
        return result.ok ? "Enabled" : result.error.message;
      }}
    />
  );
}

export function DeleteEndpointButton({ endpointId }: { endpointId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="btn-row">
      <button
        type="button"
        className="btn small danger"
        disabled={pending}
        onClick={() => {
          if (!window.confirm("Delete this endpoint and its delivery log? Messages still waiting are dropped.")) return;
          startTransition(async () => {
            const result = await callAdminApi(`/api/admin/webhooks/${endpointId}`, { method: "DELETE" });
            if (!result.ok) setError(result.error.message);
            else router.push("/admin/webhooks");
          });
        }}
      >
        {pending ? "Deleting…" : "Delete"}
      </button>
      {error && (
        <span role="alert" className="small">
          {error}
        </span>
      )}
    </span>
  );
}

export function RetryDeliveryButton({ deliveryId }: { deliveryId: string }) {
  return (
    <AdminCallButton
      label="Retry"
      busyLabel="Queuing…"
      run={async () => {
        const result = await callAdminApi(`/api/admin/webhooks/deliveries/${deliveryId}/retry`, { body: {} });
        return result.ok ? "Queued again" : result.error.message;
      }}
    />
  );
}
