"use client";

import { useId, useState } from "react";
import { saveServiceAction } from "@/app/admin/actions";
import type { Service } from "@/db/schema";
import { formatPrice } from "@/lib/studio/format-price";
import { depositValueOrError, type DepositKind } from "@/lib/studio/schemas";
import { FieldError } from "./field-errors";
import { ReminderLeadTimes } from "./reminder-lead-times";
import { useSaveRecord } from "./use-save-record";

type NumberField = { name: keyof Service & string; label: string; min: number; hint?: string };

const NUMBERS: NumberField[] = [
  { name: "durationMinutes", label: "Duration (minutes)", min: 5 },
  { name: "bufferBeforeMinutes", label: "Buffer before (minutes)", min: 0, hint: "setup time, blocked but not booked" },
  { name: "bufferAfterMinutes", label: "Buffer after (minutes)", min: 0, hint: "clean-up time" },
  { name: "minNoticeMinutes", label: "Minimum notice (minutes)", min: 0 },
  { name: "bookingWindowDays", label: "Booking window (days ahead)", min: 1 },
  { name: "slotStepMinutes", label: "Slot step (minutes)", min: 5, hint: "how far apart offered start times are" },
];

/** The deposit input as the admin sees it: a fixed amount in major units like the price, a percentage as it is. */
function depositInputText(kind: string | undefined, value: number | undefined): string {
  if (kind === "fixed" && value) return (value / 100).toFixed(2);
  if (kind === "percent" && value) return String(value);
  return "";
}

/** What the customer will be asked for, from the form's current values, or why it is not valid yet. */
function depositPreview(kind: DepositKind, value: string, priceText: string, currency: string): string {
  if (kind === "none") return "No deposit: customers book without paying.";
  const priceCents = Math.round(Number(priceText.replace(",", ".")) * 100);
  if (!Number.isFinite(priceCents)) return "Enter the price first.";
  const result = depositValueOrError(kind, value.trim() === "" ? undefined : value.trim(), priceCents);
  if ("error" in result) return result.error;
  const code = /^[A-Za-z]{3}$/.test(currency.trim()) ? currency.trim().toUpperCase() : "EUR";
  const cents = kind === "fixed" ? result.value : Math.round((priceCents * result.value) / 100);
  return kind === "fixed"
    ? `Deposit: ${formatPrice(cents, code)}, paid when booking.`
    : `Deposit: ${formatPrice(cents, code)} (${result.value}% of ${formatPrice(priceCents, code)}), paid when booking.`;
}

/** Create or edit a service: duration, buffers, price, deposit, auto-confirm, notice, window, step, reminders. */
export function ServiceForm({ service }: { service: Partial<Service> }) {
  const id = useId();
  const [reminders, setReminders] = useState<number[]>(() => [...(service.reminderLeadMinutes ?? [])]);
  const [depositKind, setDepositKind] = useState<DepositKind>(() =>
    service.depositKind === "fixed" || service.depositKind === "percent" ? service.depositKind : "none",
  );
  const [depositValue, setDepositValue] = useState(() => depositInputText(service.depositKind, service.depositValue));
  const [priceText, setPriceText] = useState(() => (service.priceCents !== undefined ? (service.priceCents / 100).toFixed(2) : ""));
  const [currency, setCurrency] = useState(service.currency ?? "EUR");
  const {
    pending,
    error,
    saved,
    submit,
    fieldProps: f,
  } = useSaveRecord(saveServiceAction, { formId: id, pathOfNew: service.id ? null : (newId) => `/admin/studio/services/${newId}` });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "");
    const input = {
      id: service.id,
      name: value("name"),
      slug: value("slug"),
      description: value("description"),
      durationMinutes: value("durationMinutes"),
      bufferBeforeMinutes: value("bufferBeforeMinutes"),
      bufferAfterMinutes: value("bufferAfterMinutes"),
      priceCents: value("price"),
      currency: value("currency"),
      autoConfirm: form.get("autoConfirm") === "on",
      customerCanRepeat: form.get("customerCanRepeat") === "on",
      minNoticeMinutes: value("minNoticeMinutes"),
      bookingWindowDays: value("bookingWindowDays"),
      slotStepMinutes: value("slotStepMinutes"),
      reminderLeadMinutes: reminders,
      active: form.get("active") === "on",
      depositKind,
      // "None" clears the amount; a string is read in major units (fixed) or as the percentage.
      depositValue: depositKind === "none" ? "" : depositValue,
    };
    submit(input as never);
  }

  return (
    <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{service.id ? "Service" : "New service"}</h2>
      {error && !error.fields && (
        <p className="notice error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-grid">
        <div className="a-field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" type="text" defaultValue={service.name ?? ""} required {...f("name")} />
          <FieldError id={`${id}-name-error`} errors={error?.fields} name="name" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-slug`}>Slug</label>
          <input id={`${id}-slug`} name="slug" type="text" defaultValue={service.slug ?? ""} required {...f("slug")} />
          <FieldError id={`${id}-slug-error`} errors={error?.fields} name="slug" />
        </div>
        {NUMBERS.map((n) => (
          <div className="a-field" key={n.name}>
            <label htmlFor={`${id}-${n.name}`}>{n.label}</label>
            <input
              id={`${id}-${n.name}`}
              name={n.name}
              type="number"
              min={n.min}
              step={1}
              defaultValue={String(service[n.name] ?? "")}
              required
              {...f(n.name)}
            />
            {n.hint && <span className="small muted">{n.hint}</span>}
            <FieldError id={`${id}-${n.name}-error`} errors={error?.fields} name={n.name} />
          </div>
        ))}
        <div className="a-field">
          <label htmlFor={`${id}-price`}>Price</label>
          <input
            id={`${id}-price`}
            name="price"
            type="text"
            inputMode="decimal"
            value={priceText}
            onChange={(e) => setPriceText(e.target.value)}
            {...f("priceCents")}
          />
          <FieldError id={`${id}-priceCents-error`} errors={error?.fields} name="priceCents" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-currency`}>Currency</label>
          <input
            id={`${id}-currency`}
            name="currency"
            type="text"
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            maxLength={3}
            {...f("currency")}
          />
          <FieldError id={`${id}-currency-error`} errors={error?.fields} name="currency" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-depositKind`}>Deposit</label>
          <select
            id={`${id}-depositKind`}
            name="depositKind"
            value={depositKind}
            onChange={(e) => setDepositKind(e.target.value as DepositKind)}
            {...f("depositKind")}
          >
            <option value="none">None</option>
            <option value="fixed">Fixed amount</option>
            <option value="percent">Percentage of the price</option>
          </select>
          <FieldError id={`${id}-depositKind-error`} errors={error?.fields} name="depositKind" />
        </div>
        <div className="a-field">
          <label htmlFor={`${id}-depositValue`}>{depositKind === "percent" ? "Deposit (% of the price)" : "Deposit amount"}</label>
          <input
            id={`${id}-depositValue`}
            name="depositValue"
            type="text"
            inputMode={depositKind === "percent" ? "numeric" : "decimal"}
            value={depositKind === "none" ? "" : depositValue}
            onChange={(e) => setDepositValue(e.target.value)}
            disabled={depositKind === "none"}
            {...f("depositValue")}
            aria-describedby={[`${id}-depositPreview`, f("depositValue")["aria-describedby"]].filter(Boolean).join(" ")}
          />
          <span id={`${id}-depositPreview`} className="small muted" aria-live="polite">
            {depositPreview(depositKind, depositValue, priceText, currency)}
          </span>
          <FieldError id={`${id}-depositValue-error`} errors={error?.fields} name="depositValue" />
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-description`}>Description</label>
          <textarea id={`${id}-description`} name="description" defaultValue={service.description ?? ""} />
        </div>
        <ReminderLeadTimes idPrefix={`${id}-reminders`} value={reminders} onChange={setReminders} errors={error?.fields} />
        <div className="a-field check">
          <input id={`${id}-auto`} name="autoConfirm" type="checkbox" defaultChecked={service.autoConfirm ?? false} />
          <label htmlFor={`${id}-auto`}>Confirm requests automatically</label>
        </div>
        <div className="a-field check">
          <input id={`${id}-repeat`} name="customerCanRepeat" type="checkbox" defaultChecked={service.customerCanRepeat ?? false} />
          <label htmlFor={`${id}-repeat`}>Customers may book this again every few weeks</label>
        </div>
        <div className="a-field check">
          <input id={`${id}-active`} name="active" type="checkbox" defaultChecked={service.active ?? true} />
          <label htmlFor={`${id}-active`}>Active</label>
        </div>
      </div>
      <p className="small muted">Existing bookings keep the duration and buffers they were booked with.</p>
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Saving…" : service.id ? "Save service" : "Create service"}
        </button>
        <span aria-live="polite">{saved && !pending && <span className="small">Saved.</span>}</span>
      </div>
    </form>
  );
}
