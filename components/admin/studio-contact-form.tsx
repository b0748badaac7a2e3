"use client";

import { useId } from "react";
import { saveStudioContactAction } from "@/app/admin/actions";
import { FieldError } from "./field-errors";
import { useSaveRecord } from "./use-save-record";

export type StudioContactValues = { email: string; address: string; phone: string; mapUrl: string };

/** The studio's address, phone, email and map link: what customers see in every page's footer and every email. */
export function StudioContactForm({ contact }: { contact: StudioContactValues }) {
  const id = useId();
  const { pending, error, saved, submit, fieldProps: f } = useSaveRecord(saveStudioContactAction, { formId: id, pathOfNew: null });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "");
    submit({ email: value("email"), address: value("address"), phone: value("phone"), mapUrl: value("mapUrl") });
  }

  return (
    <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>Studio contact details</h2>
      <p className="small muted">
        Shown to customers at the foot of every booking page and in every email; the address is the location of their calendar invitation.
      </p>
      {error && !error.fields && (
        <p className="notice error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-grid">
        <div className="a-field">
          <label htmlFor={`${id}-email`}>Studio email</label>
          <input id={`${id}-email`} name="email" type="email" defaultValue={contact.email} required maxLength={254} {...f("email")} />
          <FieldError id={`${id}-email-error`} errors={error?.fields} name="email" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-phone`}>Studio phone</label>
          <input id={`${id}-phone`} name="phone" type="text" inputMode="tel" defaultValue={contact.phone} maxLength={40} autoComplete="off" {...f("phone")} />
          <FieldError id={`${id}-phone-error`} errors={error?.fields} name="phone" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-address`}>Address (one line per line)</label>
          <textarea id={`${id}-address`} name="address" defaultValue={contact.address} rows={4} maxLength={500} {...f("address")} />
          <FieldError id={`${id}-address-error`} errors={error?.fields} name="address" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-map`}>Map link</label>
          <input
            id={`${id}-map`}
            name="mapUrl"
            type="text"
            inputMode="url"
            defaultValue={contact.mapUrl}
            placeholder="https://www.openstreetmap.org/…"
            maxLength={2000}
            {...f("mapUrl")}
          />
          <FieldError id={`${id}-mapUrl-error`} errors={error?.fields} name="mapUrl" />
        </div>
      </div>
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Saving…" : "Save contact details"}
        </button>
        <span aria-live="polite">{saved && !pending && <span className="small">Saved.</span>}</span>
      </div>
    </form>
  );
}
