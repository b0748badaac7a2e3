"use client";

import { useId } from "react";
import { saveArtistAction } from "@/app/admin/actions";
import { FieldError } from "./field-errors";
import { useSaveRecord } from "./use-save-record";

export type ArtistFormValues = {
  id?: string;
  name: string;
  slug: string;
  bio: string;
  email: string | null;
  timezone: string;
  active: boolean;
  notifyByEmail: boolean;
};

const ZONES = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

/** Create or edit an artist: name, slug (the booking link), bio, email and its mails, time zone, active. */
export function ArtistForm({ artist }: { artist: ArtistFormValues }) {
  const id = useId();
  const {
    pending,
    error,
    saved,
    submit,
    fieldProps: f,
  } = useSaveRecord(saveArtistAction, { formId: id, pathOfNew: artist.id ? null : (newId) => `/admin/studio/artists/${newId}` });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      id: artist.id,
      name: String(form.get("name") ?? ""),
      slug: String(form.get("slug") ?? ""),
      bio: String(form.get("bio") ?? ""),
      email: String(form.get("email") ?? "") || null,
      timezone: String(form.get("timezone") ?? ""),
      active: form.get("active") === "on",
      notifyByEmail: form.get("notifyByEmail") === "on",
    };
    submit(input);
  }

  return (
    <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{artist.id ? "Artist" : "New artist"}</h2>
      {error && !error.fields && (
        <p className="notice error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-grid">
        <div className="a-field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" type="text" defaultValue={artist.name} required maxLength={120} {...f("name")} />
          <FieldError id={`${id}-name-error`} errors={error?.fields} name="name" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-slug`}>Slug (booking link)</label>
          <input id={`${id}-slug`} name="slug" type="text" defaultValue={artist.slug} required pattern="[a-z0-9]+(-[a-z0-9]+)*" {...f("slug")} />
          <FieldError id={`${id}-slug-error`} errors={error?.fields} name="slug" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-email`}>Email (optional)</label>
          <input id={`${id}-email`} name="email" type="email" defaultValue={artist.email ?? ""} {...f("email")} />
          <FieldError id={`${id}-email-error`} errors={error?.fields} name="email" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-tz`}>Time zone</label>
          <input id={`${id}-tz`} name="timezone" type="text" list={`${id}-zones`} defaultValue={artist.timezone} required {...f("timezone")} />
          <datalist id={`${id}-zones`}>
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <FieldError id={`${id}-timezone-error`} errors={error?.fields} name="timezone" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-bio`}>Bio</label>
          <textarea id={`${id}-bio`} name="bio" defaultValue={artist.bio} maxLength={2000} {...f("bio")} />
        </div>
        <div className="a-field wide">
          <div className="a-field check">
            <input id={`${id}-notify`} name="notifyByEmail" type="checkbox" defaultChecked={artist.notifyByEmail} aria-describedby={`${id}-notify-hint`} />
            <label htmlFor={`${id}-notify`}>Also email the artist about customer changes</label>
          </div>
          <span className="small muted" id={`${id}-notify-hint`}>
            New requests and bookings, reschedules and cancellations, sent to the email above as well as to the studio.
          </span>
        </div>
        <div className="a-field check">
          <input id={`${id}-active`} name="active" type="checkbox" defaultChecked={artist.active} />
          <label htmlFor={`${id}-active`}>Active (customers can book)</label>
        </div>
      </div>
      <p className="small muted">Changing the zone never moves a booking; weekly hours are read on the new clock from then on.</p>
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Saving…" : artist.id ? "Save artist" : "Create artist"}
        </button>
        <span aria-live="polite">{saved && !pending && <span className="small">Saved.</span>}</span>
      </div>
    </form>
  );
}
