"use client";

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { bookingFormFields, bookingFormSchema, type BookingFormField, type BookingFormInput } from "@/lib/bookings/booking-form";
import { zodFieldErrors } from "@/lib/http/error-response";
import { TextField } from "@/components/ui/text-field";

export type DetailsValues = { name: string; email: string; phone: string; notes: string; consent: boolean };
export const emptyDetails: DetailsValues = { name: "", email: "", phone: "", notes: "", consent: false };
export type FieldErrors = Partial<Record<BookingFormField | string, string[]>>;

/** The form's values in the shape of the shared schema (and of the server action's input). */
export function toFormInput(v: DetailsValues): BookingFormInput {
  return { customer: { name: v.name, email: v.email, phone: v.phone || null }, notes: v.notes || null, consent: v.consent as true };
}

/** Validates with the schema the server uses too; field errors keyed by dotted path ("customer.email"). */
export function validateDetails(v: DetailsValues): FieldErrors {
  const parsed = bookingFormSchema.safeParse(toFormInput(v));
  return parsed.success ? {} : zodFieldErrors(parsed.error);
}

const fieldId = (field: string) => `f-${field.replace(/\./g, "-")}`;

type DetailsFormProps = {
  values: DetailsValues;
  onChange: (values: DetailsValues) => void;
  errors: FieldErrors;
  onErrors: (errors: FieldErrors) => void;
  onSubmit: () => void;
  submitting: boolean;
  /** False while there is no live hold (it ran out, or a new one is being placed). */
  canSubmit: boolean;
  submitLabel: string;
  artistName: string;
  studioName: string;
  policyText: string;
  /** A problem that is not about one field (rate limit, network), shown above the button. */
  formError: string | null;
  /** Bumped when the server answered with field errors: focus moves to the first of them. */
  serverErrorsSeq: number;
  /** Something the customer must know before they commit (the time is inside the cancellation notice), shown above the consent. */
  warning?: ReactNode;
};

/**
 * Name, email, phone, notes and consent. Checks each field when the customer leaves it and all of
 * them on submit, with the same zod schema the server applies; the server's own field errors land
 * in the same places.
 */
export function DetailsForm(props: DetailsFormProps) {
  const { values, errors } = props;
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showSummary, setShowSummary] = useState(false);
  const focusField = (field: string) => document.getElementById(fieldId(field))?.focus();

  const set = <K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) => props.onChange({ ...values, [key]: value });

  const revalidate = (field: string, next: DetailsValues = values) => {
    const all = validateDetails(next);
    const merged: FieldErrors = { ...errors };
    if (all[field]) merged[field] = all[field];
    else delete merged[field];
    props.onErrors(merged);
  };

  const blur = (field: string) => () => {
    setTouched((t) => new Set(t).add(field));
    revalidate(field);
  };

  const change = (field: string, key: "name" | "email" | "phone" | "notes") => (value: string) => {
    const next = { ...values, [key]: value };
    props.onChange(next);
    if (touched.has(field) || errors[field]) revalidate(field, next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (props.submitting || !props.canSubmit) return;
    const found = validateDetails(values);
    const invalid = bookingFormFields.filter((f) => found[f]);
    props.onErrors(found);
    setTouched(new Set(bookingFormFields));
    if (invalid.length > 0) {
      setShowSummary(true);
      focusField(invalid[0]!);
      return;
    }
    setShowSummary(true);
    props.onSubmit();
  };

  const { serverErrorsSeq } = props;
  const handledSeq = useRef(0);
  useEffect(() => {
    if (serverErrorsSeq === handledSeq.current) return;
    handledSeq.current = serverErrorsSeq;
    const first = bookingFormFields.find((f) => errors[f]);
    if (first) focusField(first);
  }, [serverErrorsSeq, errors]);

  const err = (field: BookingFormField) => errors[field];
  const liveInvalid = bookingFormFields.filter((f) => errors[f]);
  const summaryShown = showSummary && liveInvalid.length > 0;

  return (
    <form className="details-form" noValidate onSubmit={submit} aria-describedby={summaryShown ? "form-error-summary" : undefined}>
      {summaryShown ? (
        <div className="notice danger" role="alert" id="form-error-summary">
          <p>
            <strong>Please check {liveInvalid.length === 1 ? "this field" : `these ${liveInvalid.length} fields`}:</strong>
          </p>
          <ul>
            {liveInvalid.map((f) => (
              <li key={f}>
                <a href={`#${fieldId(f)}`}>{errors[f]![0]}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <TextField
        id={fieldId("customer.name")}
        name="name"
        label="Your name"
        required
        autoComplete="name"
        value={values.name}
        onChange={change("customer.name", "name")}
        onBlur={blur("customer.name")}
        errors={err("customer.name")}
        maxLength={120}
      />
      <TextField
        id={fieldId("customer.email")}
        name="email"
        label="Email"
        type="email"
        inputMode="email"
        required
        autoComplete="email"
        hint="We send your confirmation and your private link here."
        value={values.email}
        onChange={change("customer.email", "email")}
        onBlur={blur("customer.email")}
        errors={err("customer.email")}
        maxLength={254}
      />
      <TextField
        id={fieldId("customer.phone")}
        name="phone"
        label="Phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        hint="Only used if the studio needs to reach you quickly."
        value={values.phone}
        onChange={change("customer.phone", "phone")}
        onBlur={blur("customer.phone")}
        errors={err("customer.phone")}
        maxLength={40}
      />
      <TextField
        id={fieldId("notes")}
        name="notes"
        label={`Notes for ${props.artistName}`}
        multiline
        hint="Your idea, placement, size, or anything we should know."
        value={values.notes}
        onChange={change("notes", "notes")}
        onBlur={blur("notes")}
        errors={err("notes")}
        maxLength={2000}
      />

      <div className={`field checkbox-field${err("consent") ? " has-error" : ""}`}>
        {props.warning ? (
          <p className="notice warning" id="notice-warning" data-testid="notice-warning">
            {props.warning}
          </p>
        ) : null}
        {props.policyText ? (
          <div className="policy" id="studio-policy">
            <p className="policy-title">{props.studioName}&rsquo;s policy</p>
            <p>{props.policyText}</p>
          </div>
        ) : null}
        <div className="checkbox-row">
          <input
            type="checkbox"
            id={fieldId("consent")}
            name="consent"
            checked={values.consent}
            onChange={(e) => {
              const next = { ...values, consent: e.target.checked };
              set("consent", e.target.checked);
              if (touched.has("consent") || errors.consent) revalidate("consent", next);
            }}
            aria-invalid={err("consent") ? true : undefined}
            aria-describedby={
              [props.warning ? "notice-warning" : "", props.policyText ? "studio-policy" : "", err("consent") ? `${fieldId("consent")}-error` : ""]
                .filter(Boolean)
                .join(" ") || undefined
            }
          />
          <label htmlFor={fieldId("consent")}>I have read and accept the studio&rsquo;s policy</label>
        </div>
        {err("consent") ? (
          <p className="field-error" id={`${fieldId("consent")}-error`}>
            {err("consent")!.join(" ")}
          </p>
        ) : null}
      </div>

      {props.formError ? (
        <p className="notice danger" role="alert">
          {props.formError}
        </p>
      ) : null}

      <button
        type="submit"
        className="button primary wide"
        disabled={props.submitting || !props.canSubmit}
        aria-describedby={!props.canSubmit && !props.submitting ? "hold-status" : undefined}
      >
        {props.submitting ? (
          <>
            <span className="spinner" aria-hidden="true" /> Sending…
          </>
        ) : (
          props.submitLabel
        )}
      </button>
    </form>
  );
}
