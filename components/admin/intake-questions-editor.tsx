"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { saveServiceIntakeAction } from "@/app/admin/actions";
import type { ActionError } from "@/lib/http/server-action";
import {
  INTAKE_KIND_LABELS,
  INTAKE_PRESETS,
  INTAKE_QUESTION_KINDS,
  MAX_INTAKE_QUESTIONS,
  MAX_REFERENCE_IMAGES,
  type IntakeQuestion,
  type IntakeQuestionInput,
  type IntakeQuestionKind,
} from "@/lib/intake/questions";

/** One question as the editor holds it: every kind's fields at once, so switching kind keeps what was typed. */
type Draft = {
  key: number;
  id: string;
  kind: IntakeQuestionKind;
  label: string;
  hint: string;
  required: boolean;
  /** One option a line (select and choice). */
  optionsText: string;
  unit: string;
  min: string;
  max: string;
};

const HAS_OPTIONS: IntakeQuestionKind[] = ["select", "choice"];

function toDraft(q: IntakeQuestionInput | IntakeQuestion, key: number): Draft {
  return {
    key,
    id: q.id,
    kind: q.kind,
    label: q.label,
    hint: q.hint ?? "",
    required: q.required ?? false,
    optionsText: "options" in q ? q.options.join("\n") : "",
    unit: q.kind === "number" ? (q.unit ?? "") : "",
    min: q.kind === "number" && q.min !== undefined ? String(q.min) : "",
    max: q.kind === "number" && q.max !== undefined ? String(q.max) : "",
  };
}

/** A stable answer key from the label ("Approximate size" -> "approximate_size"), unique among the others. */
function idFromLabel(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .replace(/^(\d)/, "q_$1")
      .slice(0, 34) || "question";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

function fromDraft(d: Draft): IntakeQuestionInput {
  const common = { id: d.id, label: d.label, hint: d.hint, required: d.required };
  switch (d.kind) {
    case "select":
    case "choice":
      return {
        ...common,
        kind: d.kind,
        options: d.optionsText
          .split("\n")
          .map((o) => o.trim())
          .filter(Boolean),
      };
    case "number":
      return {
        ...common,
        kind: "number",
        unit: d.unit,
        ...(d.min.trim() !== "" ? { min: Number(d.min) } : {}),
        ...(d.max.trim() !== "" ? { max: Number(d.max) } : {}),
      };
    default:
      return { ...common, kind: d.kind };
  }
}

type Props = {
  serviceId: string;
  questions: IntakeQuestion[];
  asksReferenceImages: boolean;
  consentText: string;
};

/**
 * What a service asks with every request: the questions (the usual tattoo ones are presets), whether
 * reference images are asked for, and a consent line (e.g. 18+) the customer must tick. Requests
 * already sent keep the questions they were answered with.
 */
export function IntakeQuestionsEditor(props: Props) {
  const router = useRouter();
  const id = useId();
  const nextKey = useRef(props.questions.length);
  const [drafts, setDrafts] = useState<Draft[]>(() => props.questions.map((q, i) => toDraft(q, i)));
  const [asksImages, setAsksImages] = useState(props.asksReferenceImages);
  const [consentText, setConsentText] = useState(props.consentText);
  const [preset, setPreset] = useState(INTAKE_PRESETS[0]!.name);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);
  const full = drafts.length >= MAX_INTAKE_QUESTIONS;

  const update = (key: number, patch: Partial<Draft>) => setDrafts((list) => list.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  function add(question: IntakeQuestionInput) {
    const taken = new Set(drafts.map((d) => d.id));
    const draft = toDraft(question, nextKey.current++);
    if (taken.has(draft.id)) draft.id = idFromLabel(draft.label, taken);
    setDrafts((list) => [...list, draft]);
  }

  function addBlank() {
    const taken = new Set(drafts.map((d) => d.id));
    add({ id: idFromLabel("question", taken), kind: "text", label: "", required: false });
  }

  function move(index: number, by: -1 | 1) {
    setDrafts((list) => {
      const to = index + by;
      if (to < 0 || to >= list.length) return list;
      const copy = [...list];
      [copy[index], copy[to]] = [copy[to]!, copy[index]!];
      return copy;
    });
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const input = { serviceId: props.serviceId, questions: drafts.map(fromDraft), asksReferenceImages: asksImages, consentText };
    startTransition(async () => {
      const result = await saveServiceIntakeAction(input as never);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setSaved(true);
      router.refresh();
    });
  }

  const fieldError = (path: string) => {
    const messages = error?.fields?.[path];
    if (!messages?.length) return null;
    return (
      <p id={`${id}-${path}-error`} className="a-field-error">
        {messages.join(" ")}
      </p>
    );
  };
  const describedBy = (path: string) => ({
    "aria-invalid": Boolean(error?.fields?.[path]),
    "aria-describedby": error?.fields?.[path] ? `${id}-${path}-error` : undefined,
  });

  return (
    <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`} data-testid="intake-editor">
      <h2 id={`${id}-title`}>Request questions</h2>
      <p className="small muted">
        Asked on the booking form for this service. Answers appear on the booking detail, in the studio&apos;s email and behind a signed link in the
        artist&apos;s calendar event.
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error.message}
          {error.fields?.questions ? ` ${error.fields.questions.join(" ")}` : ""}
        </p>
      )}

      {drafts.length === 0 ? <p className="muted">No questions: the form asks only for name, contact and notes.</p> : null}
      <ol className="intake-editor-list" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {drafts.map((d, index) => {
          const p = `questions.${index}`;
          const q = `${id}-q${d.key}`;
          return (
            <li key={d.key} className="panel" data-testid="intake-question">
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend>
                  <strong>Question {index + 1}</strong>
                </legend>
                <div className="form-grid">
                  <div className="a-field wide">
                    <label htmlFor={`${q}-label`}>Question</label>
                    <input
                      id={`${q}-label`}
                      value={d.label}
                      maxLength={120}
                      required
                      onChange={(e) => update(d.key, { label: e.target.value })}
                      {...describedBy(`${p}.label`)}
                    />
                    {fieldError(`${p}.label`)}
                  </div>
                  <div className="a-field">
                    <label htmlFor={`${q}-kind`}>Answer type</label>
                    <select id={`${q}-kind`} value={d.kind} onChange={(e) => update(d.key, { kind: e.target.value as IntakeQuestionKind })}>
                      {INTAKE_QUESTION_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {INTAKE_KIND_LABELS[k]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="a-field">
                    <label htmlFor={`${q}-id`}>Answer key</label>
                    <input
                      id={`${q}-id`}
                      value={d.id}
                      maxLength={40}
                      onChange={(e) => update(d.key, { id: e.target.value.toLowerCase() })}
                      aria-invalid={Boolean(error?.fields?.[`${p}.id`])}
                      aria-describedby={error?.fields?.[`${p}.id`] ? `${id}-${p}.id-error` : `${q}-id-hint`}
                    />
                    <span className="small muted" id={`${q}-id-hint`}>
                      how the answer is stored and exported; keep it once requests use it
                    </span>
                    {fieldError(`${p}.id`)}
                  </div>
                  <div className="a-field wide">
                    <label htmlFor={`${q}-hint`}>Hint (optional)</label>
                    <input
                      id={`${q}-hint`}
                      value={d.hint}
                      maxLength={300}
                      onChange={(e) => update(d.key, { hint: e.target.value })}
                      {...describedBy(`${p}.hint`)}
                    />
                    {fieldError(`${p}.hint`)}
                  </div>
                  {HAS_OPTIONS.includes(d.kind) ? (
                    <div className="a-field wide">
                      <label htmlFor={`${q}-options`}>Options, one a line</label>
                      <textarea
                        id={`${q}-options`}
                        rows={4}
                        value={d.optionsText}
                        onChange={(e) => update(d.key, { optionsText: e.target.value })}
                        {...describedBy(`${p}.options`)}
                      />
                      {fieldError(`${p}.options`)}
                    </div>
                  ) : null}
                  {d.kind === "number" ? (
                    <>
                      <div className="a-field">
                        <label htmlFor={`${q}-unit`}>Unit</label>
                        <input
                          id={`${q}-unit`}
                          value={d.unit}
                          maxLength={12}
                          onChange={(e) => update(d.key, { unit: e.target.value })}
                          {...describedBy(`${p}.unit`)}
                        />
                        {fieldError(`${p}.unit`)}
                      </div>
                      <div className="a-field">
                        <label htmlFor={`${q}-min`}>Smallest</label>
                        <input
                          id={`${q}-min`}
                          type="number"
                          step="any"
                          value={d.min}
                          onChange={(e) => update(d.key, { min: e.target.value })}
                          {...describedBy(`${p}.min`)}
                        />
                        {fieldError(`${p}.min`)}
                      </div>
                      <div className="a-field">
                        <label htmlFor={`${q}-max`}>Largest</label>
                        <input
                          id={`${q}-max`}
                          type="number"
                          step="any"
                          value={d.max}
                          onChange={(e) => update(d.key, { max: e.target.value })}
                          {...describedBy(`${p}.max`)}
                        />
                        {fieldError(`${p}.max`)}
                      </div>
                    </>
                  ) : null}
                  <div className="a-field check">
                    <input id={`${q}-required`} type="checkbox" checked={d.required} onChange={(e) => update(d.key, { required: e.target.checked })} />
                    <label htmlFor={`${q}-required`}>Required</label>
                  </div>
                </div>
                <div className="btn-row">
                  <button type="button" className="btn" disabled={index === 0} onClick={() => move(index, -1)}>
                    Move question {index + 1} up
                  </button>
                  <button type="button" className="btn" disabled={index === drafts.length - 1} onClick={() => move(index, 1)}>
                    Move question {index + 1} down
                  </button>
                  <button type="button" className="btn" onClick={() => setDrafts((list) => list.filter((x) => x.key !== d.key))}>
                    Remove question {index + 1}
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>

      <div className="btn-row">
        <label htmlFor={`${id}-preset`} className="sr-only">
          Ready-made question
        </label>
        <select id={`${id}-preset`} value={preset} onChange={(e) => setPreset(e.target.value)} disabled={full}>
          {INTAKE_PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={full}
          onClick={() => {
            const chosen = INTAKE_PRESETS.find((p) => p.name === preset);
            if (chosen) add(chosen.question);
          }}
        >
          Add ready-made question
        </button>
        <button type="button" className="btn" disabled={full} onClick={addBlank}>
          Add blank question
        </button>
        {full ? <span className="small muted">At most {MAX_INTAKE_QUESTIONS} questions.</span> : null}
      </div>

      <div className="form-grid">
        <div className="a-field wide check">
          <input id={`${id}-images`} type="checkbox" checked={asksImages} onChange={(e) => setAsksImages(e.target.checked)} />
          <label htmlFor={`${id}-images`}>Ask for reference images (up to {MAX_REFERENCE_IMAGES}, 10 MB each)</label>
        </div>
        <div className="a-field wide">
          <label htmlFor={`${id}-consent`}>Consent line (optional)</label>
          <input
            id={`${id}-consent`}
            value={consentText}
            maxLength={200}
            placeholder="e.g. I confirm I am 18 or older."
            onChange={(e) => setConsentText(e.target.value)}
            aria-invalid={Boolean(error?.fields?.consentText)}
            aria-describedby={error?.fields?.consentText ? `${id}-consentText-error` : `${id}-consent-hint`}
          />
          <span className="small muted" id={`${id}-consent-hint`}>
            when set, the customer must tick it to send the request
          </span>
          {fieldError("consentText")}
        </div>
      </div>
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Saving…" : "Save questions"}
        </button>
        <span aria-live="polite">{saved && !pending && <span className="small">Saved.</span>}</span>
      </div>
    </form>
  );
}
