"use client";

import { useId } from "react";
import { saveStudioSettingsAction } from "@/app/admin/actions";
import type { StudioSettingsInput } from "@/lib/studio/update-studio-settings";
import { FieldError } from "./field-errors";
import { useSaveRecord } from "./use-save-record";

export type StudioSettingsValues = {
  name: string;
  email: string;
  address: string;
  phone: string;
  mapUrl: string;
  policyText: string;
  cancellationNoticeHours: number;
  customerCancelRefund: string;
  embedOrigins: string[];
};

const REFUND_CHOICES = [
  { value: "before_notice", label: "Only when they cancel before the notice period" },
  { value: "always", label: "Always" },
  { value: "never", label: "Never" },
] as const;

/**
 * The studio itself: its name and contact details (every customer page's footer and every email),
 * the policy customers accept, the cancellation notice and refund rule, and the sites that may
 * embed the booking page. One form, saved at once (lib/studio/update-studio-settings.ts).
 */
export function StudioSettingsForm({ settings }: { settings: StudioSettingsValues }) {
  const id = useId();
  const { pending, error, saved, submit, fieldProps: f } = useSaveRecord(saveStudioSettingsAction, { formId: id, pathOfNew: null });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "");
    submit({
      name: value("name"),
      email: value("email"),
      address: value("address"),
      phone: value("phone"),
      mapUrl: value("mapUrl"),
      policyText: value("policyText"),
      cancellationNoticeHours: value("cancellationNoticeHours"),
      customerCancelRefund: value("customerCancelRefund") as NonNullable<StudioSettingsInput["customerCancelRefund"]>,
      embedOrigins: value("embedOrigins")
        .split(/[\s,]+/)
        .map((o) => o.trim())
        .filter(Boolean),
    });
  }

  // Errors of one origin in the list ("embedOrigins.2") are shown under the list.
  const originErrors = error?.fields ? Object.entries(error.fields).filter(([k]) => k === "embedOrigins" || k.startsWith("embedOrigins.")) : [];

  return (
    <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`} noValidate data-testid="studio-settings-form">
      <h2 id={`${id}-title`}>Studio details and policy</h2>
      <p className="small muted">
        The name and contact details are shown to customers at the foot of every booking page and in every email; the address is the location of their calendar
        invitation.
      </p>
      {error && !error.fields && (
        <p className="notice error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-grid">
        <div className="a-field wide">
          <label htmlFor={`${id}-name`}>Studio name</label>
          <input id={`${id}-name`} name="name" type="text" defaultValue={settings.name} required maxLength={120} {...f("name")} />
          <FieldError id={`${id}-name-error`} errors={error?.fields} name="name" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-email`}>Studio email</label>
          <input id={`${id}-email`} name="email" type="email" defaultValue={settings.email} required maxLength={254} {...f("email")} />
          <FieldError id={`${id}-email-error`} errors={error?.fields} name="email" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-phone`}>Studio phone</label>
          <input id={`${id}-phone`} name="phone" type="text" inputMode="tel" defaultValue={settings.phone} maxLength={40} autoComplete="off" {...f("phone")} />
          <FieldError id={`${id}-phone-error`} errors={error?.fields} name="phone" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-address`}>Address (one line per line)</label>
          <textarea id={`${id}-address`} name="address" defaultValue={settings.address} rows={4} maxLength={500} {...f("address")} />
          <FieldError id={`${id}-address-error`} errors={error?.fields} name="address" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-map`}>Map link</label>
          <input
            id={`${id}-map`}
            name="mapUrl"
            type="text"
            inputMode="url"
            defaultValue={settings.mapUrl}
            placeholder="https://www.openstreetmap.org/…"
            maxLength={2000}
            {...f("mapUrl")}
          />
          <FieldError id={`${id}-mapUrl-error`} errors={error?.fields} name="mapUrl" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-policy`}>Studio policy (customers accept it when they book)</label>
          <textarea id={`${id}-policy`} name="policyText" defaultValue={settings.policyText} rows={5} maxLength={5000} {...f("policyText")} />
          <FieldError id={`${id}-policyText-error`} errors={error?.fields} name="policyText" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-notice`}>Cancellation notice (hours)</label>
          <input
            id={`${id}-notice`}
            name="cancellationNoticeHours"
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            step={1}
            defaultValue={settings.cancellationNoticeHours}
            {...f("cancellationNoticeHours")}
            aria-describedby={[`${id}-notice-hint`, f("cancellationNoticeHours")["aria-describedby"]].filter(Boolean).join(" ")}
          />
          <span id={`${id}-notice-hint`} className="small muted">
            Customers may cancel or move a booking online until this long before it starts.
          </span>
          <FieldError id={`${id}-cancellationNoticeHours-error`} errors={error?.fields} name="cancellationNoticeHours" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-refund`}>Deposit back when a customer cancels</label>
          <select id={`${id}-refund`} name="customerCancelRefund" defaultValue={settings.customerCancelRefund} {...f("customerCancelRefund")}>
            {REFUND_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-customerCancelRefund-error`} errors={error?.fields} name="customerCancelRefund" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-origins`}>Sites that may embed the booking page (one origin per line)</label>
          <textarea
            id={`${id}-origins`}
            name="embedOrigins"
            defaultValue={settings.embedOrigins.join("\n")}
            rows={3}
            placeholder="https://studio.example"
            aria-describedby={`${id}-origins-hint`}
            aria-invalid={originErrors.length > 0}
          />
          <span id={`${id}-origins-hint`} className="small muted">
            Each as https://name.example, without a path. Only these sites can show the booking page in a frame (see the README, &ldquo;Embed the booking
            page&rdquo;).
          </span>
          {originErrors.length > 0 && (
            <p className="a-field-error" id={`${id}-embedOrigins-error`}>
              {originErrors.map(([, messages]) => messages.join(" ")).join(" ")}
            </p>
          )}
        </div>
      </div>
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Saving…" : "Save studio details"}
        </button>
        <span aria-live="polite">{saved && !pending && <span className="small">Saved.</span>}</span>
      </div>
    </form>
  );
}
