"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { setArtistServicesAction } from "@/app/admin/actions";
import { OutcomeMessage } from "./field-errors";

/** Which services an artist offers. */
export function ArtistServicesForm({
  artistId,
  services,
  selected,
}: {
  artistId: string;
  services: { id: string; name: string; active: boolean }[];
  selected: string[];
}) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const serviceIds = form.getAll("serviceId").map(String);
    startTransition(async () => {
      const result = await setArtistServicesAction({ artistId, serviceIds });
      setMessage(result.ok ? { ok: true, text: `Saved: ${result.data.serviceIds.length} service(s).` } : { ok: false, text: result.error.message });
      if (result.ok) router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Services offered</h2>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="sr-only">Services this artist offers</legend>
        <div className="form-grid">
          {services.map((s) => (
            <div className="a-field check" key={s.id}>
              <input id={`${id}-${s.id}`} type="checkbox" name="serviceId" value={s.id} defaultChecked={selected.includes(s.id)} />
              <label htmlFor={`${id}-${s.id}`}>
                {s.name}
                {s.active ? "" : " (inactive)"}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Saving…" : "Save services"}
        </button>
        <OutcomeMessage message={message} />
      </div>
    </form>
  );
}
