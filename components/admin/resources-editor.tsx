"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAdminApi, type ApiError } from "./api";

type Resource = { id: string; name: string; kind: string; active: boolean; cleanupMinutes: number };
type ServiceNeeds = { serviceId: string; serviceName: string; needs: { kind: string; resourceIds: string[] }[] };

function ErrorNote({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const fields = Object.entries(error.fields ?? {}).map(([k, v]) => `${k}: ${v.join(", ")}`);
  return (
    <p role="alert" className="error">
      {error.message}
      {fields.length > 0 && ` (${fields.join("; ")})`}
    </p>
  );
}

function ResourceRow({ resource }: { resource: Resource }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [draft, setDraft] = useState(resource);
  const [error, setError] = useState<ApiError | null>(null);
  const save = () =>
    startTransition(async () => {
      setError(null);
      const result = await callAdminApi(`/api/admin/resources/${resource.id}`, {
        method: "PATCH",
        body: { name: draft.name, kind: draft.kind, active: draft.active, cleanupMinutes: draft.cleanupMinutes },
      });
      if (!result.ok) return setError(result.error);
      router.refresh();
    });
  return (
    <tr data-testid={`resource-${resource.id}`}>
      <td>
        <input aria-label="Name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      </td>
      <td>
        <input aria-label="Kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })} size={10} />
      </td>
      <td>
        <input
          aria-label="Cleanup minutes"
          type="number"
          min={0}
          max={1440}
          value={draft.cleanupMinutes}
          onChange={(e) => setDraft({ ...draft, cleanupMinutes: Number(e.target.value) })}
        />
      </td>
      <td>
        <label>
          <input type="checkbox" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} /> active
        </label>
      </td>
      <td>
        <button type="button" className="btn small" onClick={save} disabled={pending}>
          Save
        </button>
        <ErrorNote error={error} />
      </td>
    </tr>
  );
}

function NewResourceForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [draft, setDraft] = useState({ name: "", kind: "room", cleanupMinutes: 0 });
  const [error, setError] = useState<ApiError | null>(null);
  const add = () =>
    startTransition(async () => {
      setError(null);
      const result = await callAdminApi("/api/admin/resources", { method: "POST", body: { ...draft, active: true } });
      if (!result.ok) return setError(result.error);
      setDraft({ ...draft, name: "" });
      router.refresh();
    });
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        add();
      }}
    >
      <label>
        Name <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
      </label>{" "}
      <label>
        Kind <input value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })} size={10} required />
      </label>{" "}
      <label>
        Cleanup (min){" "}
        <input type="number" min={0} max={1440} value={draft.cleanupMinutes} onChange={(e) => setDraft({ ...draft, cleanupMinutes: Number(e.target.value) })} />
      </label>{" "}
      <button type="submit" className="btn small" disabled={pending}>
        Add
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function ServiceNeedsRow({ service, kinds, resources }: { service: ServiceNeeds; kinds: string[]; resources: Resource[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [needs, setNeeds] = useState(service.needs);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const toggleKind = (kind: string, on: boolean) => setNeeds(on ? [...needs, { kind, resourceIds: [] }] : needs.filter((n) => n.kind !== kind));
  const toggleResource = (kind: string, id: string, on: boolean) =>
    setNeeds(needs.map((n) => (n.kind !== kind ? n : { kind, resourceIds: on ? [...n.resourceIds, id] : n.resourceIds.filter((r) => r !== id) })));
  const save = () =>
    startTransition(async () => {
      setError(null);
      setSaved(false);
      const result = await callAdminApi(`/api/admin/resources/services/${service.serviceId}`, { method: "PUT", body: { needs } });
      if (!result.ok) return setError(result.error);
      setSaved(true);
      router.refresh();
    });
  return (
    <tr>
      <th scope="row">{service.serviceName}</th>
      <td>
        {kinds.map((kind) => {
          const need = needs.find((n) => n.kind === kind);
          return (
            <fieldset key={kind} className="inline-fieldset">
              <legend className="sr-only">
                {service.serviceName}: {kind}
              </legend>
              <label>
                <input type="checkbox" checked={Boolean(need)} onChange={(e) => toggleKind(kind, e.target.checked)} /> needs a {kind}
              </label>
              {need && (
                <span className="small">
                  {" "}
                  only:{" "}
                  {resources
                    .filter((r) => r.kind === kind)
                    .map((r) => (
                      <label key={r.id}>
                        <input type="checkbox" checked={need.resourceIds.includes(r.id)} onChange={(e) => toggleResource(kind, r.id, e.target.checked)} />{" "}
                        {r.name}{" "}
                      </label>
                    ))}
                  <span className="muted">(none ticked: any active {kind})</span>
                </span>
              )}
            </fieldset>
          );
        })}
      </td>
      <td>
        <button type="button" className="btn small" onClick={save} disabled={pending}>
          Save
        </button>
        {saved && (
          <span role="status" className="small">
            {" "}
            Saved
          </span>
        )}
        <ErrorNote error={error} />
      </td>
    </tr>
  );
}

/** The Rooms and stations screen: the resources, and per service which kinds it needs and which resources it may use. */
export function ResourcesEditor({ resources, services }: { resources: Resource[]; services: ServiceNeeds[] }) {
  const kinds = [...new Set(resources.map((r) => r.kind))].sort();
  return (
    <>
      <section className="panel" aria-labelledby="res-list">
        <h2 id="res-list">Rooms and stations</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Cleanup after each use (min)</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => (
                <ResourceRow key={`${r.id}:${r.name}:${r.kind}:${r.active}:${r.cleanupMinutes}`} resource={r} />
              ))}
            </tbody>
          </table>
        </div>
        <h3>Add one</h3>
        <NewResourceForm />
      </section>
      <section className="panel" aria-labelledby="res-needs">
        <h2 id="res-needs">What each service needs</h2>
        <p className="small muted">A booking of the service takes one free resource of each ticked kind, together with the artist.</p>
        <div className="table-wrap">
          <table className="data">
            <tbody>
              {services.map((s) => (
                <ServiceNeedsRow key={`${s.serviceId}:${JSON.stringify(s.needs)}`} service={s} kinds={kinds} resources={resources} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
