import type { ChangeEvent, HTMLInputTypeAttribute, Ref } from "react";

type TextFieldProps = {
  id: string;
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  hint?: string;
  errors?: string[];
  type?: HTMLInputTypeAttribute;
  autoComplete?: string;
  inputMode?: "text" | "email" | "tel" | "numeric";
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
  inputRef?: Ref<HTMLInputElement & HTMLTextAreaElement>;
};

/** A labelled input with its hint and its errors right under it, tied together for screen readers. */
export function TextField({ inputRef, ...props }: TextFieldProps) {
  const { id, errors = [], hint } = props;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value),
    onBlur: props.onBlur,
    "aria-invalid": errors.length > 0 ? true : undefined,
    "aria-describedby": describedBy,
    "aria-required": props.required ? true : undefined,
    maxLength: props.maxLength,
    ref: inputRef,
  };
  return (
    <div className={`field${errors.length > 0 ? " has-error" : ""}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? null : <span className="optional"> (optional)</span>}
      </label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {props.multiline ? (
        <textarea rows={4} {...common} />
      ) : (
        <input type={props.type ?? "text"} autoComplete={props.autoComplete} inputMode={props.inputMode} {...common} />
      )}
      {errors.length > 0 ? (
        <p className="field-error" id={errorId}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
