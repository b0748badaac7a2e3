"use client";

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { bookingFormFields, bookingFormSchema } from "@/lib/bookings/booking-form";
import { zodFieldErrors } from "@/lib/http/zod-field-errors";
import { validateIntake } from "@/lib/intake/answers";
import { NO_INTAKE, type IntakeFormConfig } from "@/lib/intake/form-config";
import type { IntakeQuestion } from "@/lib/intake/questions";
import type { ShownImage } from "@/lib/media/media-urls";
import { TextField } from "@/components/ui/text-field";
import { toFormInput, type DetailsValues, type FieldErrors } from "./details-values";
import { ReferenceImagesPicker } from "./reference-images-picker";
import "../media.css";

export { emptyDetails, toFormInput, type DetailsValues, type FieldErrors } from "./details-values";

/** Validates with the schemas the server uses too; field errors keyed by dotted path ("customer.email", "intake.answers.size_cm"). */
export function validateDetails(v: DetailsValues, intake: IntakeFormConfig = NO_INTAKE): FieldErrors {
  const parsed = bookingFormSchema.safeParse(toFormInput(v));
  const errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
  const answers = validateIntake(intake, toFormInput(v).intake);
  return answers.ok ? errors : { ...errors, ...answers.fields };
}

/** Every field of the form in the order it shows them, for the error summary and focusing the first error. */
export function detailsFields(intake: IntakeFormConfig = NO_INTAKE): string[] {
  const [name, email, phone, notes, consent] = bookingFormFields;
  const questions = intake.questions.map((q) => `intake.answers.${q.id}`);
  return [name, email, phone, ...questions, notes, ...(intake.consentText.trim() ? ["intake.consent"] : []), consent];
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
  /** The service's intake questions, consent line and whether it takes reference images. */
  intake?: IntakeFormConfig;
  /** The live hold reference images attach to (null while there is none). */
  hold?: { id: string; token: string } | null;
};

/**
 * Name, email, phone, notes and consent. Checks each field when the customer leaves it and all of
 * them on submit, with the same zod schema the server applies; the server's own field errors land
 * in the same places.
 */
export function DetailsForm(props: DetailsFormProps) {
  const { values, errors } = props;
  const intake = props.intake ?? NO_INTAKE;
  const fields = detailsFields(intake);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  // Images belong to the hold they were uploaded to: a new hold (another time, or held again) starts without them.
  const [reference, setReference] = useState<{ holdId: string | null; images: ShownImage[] }>({ holdId: null, images: [] });
  const holdId = props.hold?.id ?? null;
  const referenceImages = reference.holdId === holdId ? reference.images : [];
  const referenceLost = reference.images.length > 0 && holdId !== null && reference.holdId !== holdId;
  const [showSummary, setShowSummary] = useState(false);
  const focusField = (field: string) => document.getElementById(fieldId(field))?.focus();

  const set = <K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) => props.onChange({ ...values, [key]: value });

  const revalidate = (field: string, next: DetailsValues = values) => {
    const all = validateDetails(next, intake);
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
    const found = validateDetails(values, intake);
    const invalid = fields.filter((f) => found[f]);
    props.onErrors(found);
    setTouched(new Set(fields));
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
    const first = fields.find((f) => errors[f]);
    if (first) focusField(first);
  }, [serverErrorsSeq, errors, fields]);

  const err = (field: string) => errors[field];
  const liveInvalid = fields.filter((f) => errors[f]);

  const answer = (q: IntakeQuestion) => values.intake?.[q.id] ?? "";
  const setAnswer = (q: IntakeQuestion, value: string, validateNow = false) => {
    const field = `intake.answers.${q.id}`;
    const next = { ...values, intake: { ...values.intake, [q.id]: value } };
    props.onChange(next);
    if (validateNow || touched.has(field) || errors[field]) revalidate(field, next);
  };
  const blurAnswer = (q: IntakeQuestion) => blur(`intake.answers.${q.id}`);
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
      {intake.questions.map((q) => (
        <IntakeQuestionField
          key={q.id}
          question={q}
          value={answer(q)}
          errors={err(`intake.answers.${q.id}`)}
          onChange={setAnswer}
          onBlur={blurAnswer(q)}
          currency={intake.currency}
        />
      ))}
      {intake.asksReferenceImages ? (
        <>
          {referenceLost ? (
            <p className="notice warning" role="status">
              Your hold changed, so the images you added went with the old one. Please add them again.
            </p>
          ) : null}
          <ReferenceImagesPicker hold={props.hold ?? null} images={referenceImages} onImagesChange={(images) => setReference({ holdId, images })} />
        </>
      ) : null}
      <TextField
        id={fieldId("notes")}
        name="notes"
        label={`Notes for ${props.artistName}`}
        multiline
        hint={intake.questions.length > 0 ? "Anything else we should know." : "Your idea, placement, size, or anything we should know."}
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
        {intake.consentText.trim() ? (
          <div className={`intake-consent${err("intake.consent") ? " has-error" : ""}`}>
            <label className="intake-check" htmlFor={fieldId("intake.consent")}>
              <input
                type="checkbox"
                id={fieldId("intake.consent")}
                name="intakeConsent"
                checked={values.intakeConsent ?? false}
                onChange={(e) => {
                  const next = { ...values, intakeConsent: e.target.checked };
                  props.onChange(next);
                  if (touched.has("intake.consent") || errors["intake.consent"]) revalidate("intake.consent", next);
                }}
                aria-invalid={err("intake.consent") ? true : undefined}
                aria-describedby={err("intake.consent") ? `${fieldId("intake.consent")}-error` : undefined}
              />
              <span>{intake.consentText}</span>
            </label>
            {err("intake.consent") ? (
              <p className="field-error" id={`${fieldId("intake.consent")}-error`}>
                {err("intake.consent")!.join(" ")}
              </p>
            ) : null}
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

type QuestionFieldProps = {
  question: IntakeQuestion;
  value: string;
  errors?: string[];
  currency: string;
  onChange: (q: IntakeQuestion, value: string, validateNow?: boolean) => void;
  onBlur: () => void;
};

/** One intake question, as the input its kind calls for; its id is the answer's field path, so server errors land on it. */
function IntakeQuestionField({ question: q, value, errors, currency, onChange, onBlur }: QuestionFieldProps) {
  const id = fieldId(`intake.answers.${q.id}`);
  const hasError = (errors?.length ?? 0) > 0;
  const errorId = `${id}-error`;
  const hintId = q.hint ? `${id}-hint` : undefined;
  const describedBy = [hintId, hasError ? errorId : ""].filter(Boolean).join(" ") || undefined;
  const error = hasError ? (
    <p className="field-error" id={errorId}>
      {errors!.join(" ")}
    </p>
  ) : null;
  const optional = q.required ? null : <span className="optional"> (optional)</span>;

  if (q.kind === "text" || q.kind === "long_text" || q.kind === "number" || q.kind === "money") {
    const unit = q.kind === "number" && q.unit ? q.unit : q.kind === "money" ? currency : "";
    return (
      <TextField
        id={id}
        name={`intake-${q.id}`}
        label={unit ? `${q.label} (${unit})` : q.label}
        required={q.required}
        multiline={q.kind === "long_text"}
        inputMode={q.kind === "number" || q.kind === "money" ? "numeric" : undefined}
        hint={q.hint || undefined}
        value={value}
        onChange={(v) => onChange(q, v)}
        onBlur={onBlur}
        errors={errors}
        maxLength={q.kind === "long_text" ? 2000 : 200}
      />
    );
  }
  if (q.kind === "select") {
    return (
      <div className={`field${hasError ? " has-error" : ""}`}>
        <label htmlFor={id}>
          {q.label}
          {optional}
        </label>
        {q.hint ? (
          <p className="hint" id={hintId}>
            {q.hint}
          </p>
        ) : null}
        <select
          id={id}
          name={`intake-${q.id}`}
          value={value}
          onChange={(e) => onChange(q, e.target.value, true)}
          onBlur={onBlur}
          aria-invalid={hasError ? true : undefined}
          aria-required={q.required ? true : undefined}
          aria-describedby={describedBy}
        >
          <option value="">Choose…</option>
          {q.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        {error}
      </div>
    );
  }
  // choice and yes/no: radio buttons in a fieldset; the first one takes focus for the error summary's link.
  const options =
    q.kind === "yes_no"
      ? [
          { value: "yes", label: "Yes" },
          { value: "no", label: "No" },
        ]
      : q.options.map((o) => ({ value: o, label: o }));
  return (
    <fieldset className={`intake-choice${hasError ? " has-error" : ""}`} aria-describedby={describedBy} aria-invalid={hasError ? true : undefined}>
      <legend>
        {q.label}
        {optional}
      </legend>
      {q.hint ? (
        <p className="hint" id={hintId}>
          {q.hint}
        </p>
      ) : null}
      <div className="choice-options">
        {options.map((o, i) => (
          <label key={o.value} htmlFor={i === 0 ? id : `${id}-${i}`}>
            <input
              type="radio"
              id={i === 0 ? id : `${id}-${i}`}
              name={`intake-${q.id}`}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(q, o.value, true)}
              onBlur={onBlur}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error}
    </fieldset>
  );
}
