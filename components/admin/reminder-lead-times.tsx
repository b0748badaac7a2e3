"use client";

import { useState } from "react";
import { describeLeadTime, MAX_REMINDER_LEAD_MINUTES, MAX_REMINDERS_PER_SERVICE } from "@/lib/notifications/plan-reminders";

const UNITS = [
  { value: "60", label: "hours" },
  { value: "1440", label: "days" },
  { value: "1", label: "minutes" },
] as const;

type Props = {
  idPrefix: string;
  /** Lead times in minutes, longest first. */
  value: number[];
  onChange: (next: number[]) => void;
  /** The form's field errors; this list's are under `reminderLeadMinutes` and `reminderLeadMinutes.<n>`. */
  errors?: Record<string, string[]>;
};

/**
 * A service's reminders as a list of "24 hours before" chips: add one by amount and unit, remove
 * any, none at all means no reminders. The server checks the same bounds again (lib/studio/schemas.ts).
 */
export function ReminderLeadTimes({ idPrefix, value, onChange, errors }: Props) {
  const [amount, setAmount] = useState("");
  const [unit, setUnit] = useState<string>("60");
  const [problem, setProblem] = useState<string | null>(null);
  const serverMessages = Object.entries(errors ?? {})
    .filter(([key]) => key === "reminderLeadMinutes" || key.startsWith("reminderLeadMinutes."))
    .flatMap(([, messages]) => messages);
  const messages = problem ? [problem, ...serverMessages] : serverMessages;
  const errorId = `${idPrefix}-error`;
  const full = value.length >= MAX_REMINDERS_PER_SERVICE;

  function add() {
    const n = Number(amount.replace(",", "."));
    const minutes = Math.round(n * Number(unit));
    if (!amount.trim() || !Number.isFinite(n) || minutes < 1) {
      setProblem("Enter how long before the appointment, like 2 hours");
      return;
    }
    if (minutes > MAX_REMINDER_LEAD_MINUTES) {
      setProblem(`A reminder can go out at most ${describeLeadTime(MAX_REMINDER_LEAD_MINUTES)} before`);
      return;
    }
    if (value.includes(minutes)) {
      setProblem(`There is already a reminder ${describeLeadTime(minutes)} before`);
      return;
    }
    setProblem(null);
    setAmount("");
    onChange([...value, minutes].sort((a, b) => b - a));
  }

  return (
    <fieldset className="a-field wide reminder-times" aria-describedby={messages.length ? errorId : `${idPrefix}-hint`}>
      <legend>Reminders</legend>
      {value.length === 0 ? (
        <p className="small muted" data-testid="no-reminders">
          No reminders: customers get only the confirmation.
        </p>
      ) : (
        <ul className="pill-list" aria-label="Reminders sent before each confirmed appointment">
          {value.map((minutes) => (
            <li key={minutes}>
              {describeLeadTime(minutes)} before{" "}
              <button
                type="button"
                className="btn small"
                aria-label={`Remove the reminder ${describeLeadTime(minutes)} before`}
                onClick={() => {
                  setProblem(null);
                  onChange(value.filter((m) => m !== minutes));
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="btn-row">
        <label htmlFor={`${idPrefix}-amount`}>Add a reminder</label>
        <input
          id={`${idPrefix}-amount`}
          type="number"
          min={1}
          step="any"
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the reminder instead of saving the whole service half-edited.
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
          disabled={full}
          aria-invalid={messages.length > 0}
          aria-describedby={messages.length ? errorId : undefined}
        />
        <select aria-label="Unit" value={unit} onChange={(e) => setUnit(e.target.value)} disabled={full}>
          {UNITS.map((u) => (
            <option key={u.value} value={u.value}>
              {u.label} before
            </option>
          ))}
        </select>
        <button type="button" className="btn small" onClick={add} disabled={full}>
          Add reminder
        </button>
      </div>
      <span className="small muted" id={`${idPrefix}-hint`}>
        {full
          ? `At most ${MAX_REMINDERS_PER_SERVICE} reminders per service.`
          : "Sent before each confirmed appointment; one that would fall before the booking was made is skipped."}
      </span>
      {messages.length > 0 ? (
        <p id={errorId} className="a-field-error" role="alert">
          {messages.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
