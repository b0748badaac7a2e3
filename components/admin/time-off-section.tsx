"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { addTimeOffAction, removeTimeOffAction } from "@/app/admin/time-off-actions";
import type { ActionError } from "@/lib/http/server-action";
import { instantInZone } from "@/lib/time/zone-clock";
import { StatusPill } from "./status-pill";
import { When } from "./when";

export type TimeOffRow = { id: string; start: string; end: string; reason: string; inCalendar: boolean };
type Inside = { id: string; status: string; startsAt: string; endsAt: string; customerName: string | null };

/**
 * An artist's time off: whole days or a from–to range on the artist's clock. Adding it never
 * moves a booking: those already inside come back here, each linked to its page to move or cancel.
 */
export function TimeOffSection({ artistId, timezone, today, rows }: { artistId: string; timezone: string; today: string; rows: TimeOffRow[] }) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [mode, setMode] = useState<"days" | "hours">("days");
  const [start, setStart] = useState(today);
  const [end, setEnd] = useState(today);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ActionError | null>(null);
  const [inside, setInside] = useState<Inside[] | null>(null);

  // A from–to time is read on the artist's clock, whatever zone this browser is in.
  const asInstant = (local: string) => {
    const at = instantInZone(local, timezone);
    return Number.isNaN(at.getTime()) ? local : at.toISOString();
  };

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setInside(null);
    startTransition(async () => {
      const input = mode === "days" ? { start, end } : { start: asInstant(start), end: asInstant(end) };
      const result = await addTimeOffAction({ artistId, ...input, reason: reason || undefined });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setInside(result.data.bookingsInside);
      setReason("");
      router.refresh();
    });
  }

  function onRemove(timeOffId: string) {
    startTransition(async () => {
      const result = await removeTimeOffAction({ id: timeOffId });
      setError(result.ok ? null : result.error);
      router.refresh();
    });
  }

  function switchMode(next: "days" | "hours") {
    setMode(next);
    setStart(next === "days" ? today : `${today}T09:00`);
    setEnd(next === "days" ? today : `${today}T13:00`);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="time-off">
      <h2 id={`${id}-title`}>Time off</h2>
      <p className="small muted">
        On the artist&apos;s clock ({timezone}). Blocks those times for booking at once and is written as a busy event into the artist&apos;s calendar.
      </p>
      {rows.length === 0 ? (
        <p className="muted">No time off entered.</p>
      ) : (
        <ul className="feed">
          {rows.map((t) => (
            <li key={t.id} data-time-off-id={t.id}>
              <When start={t.start} end={t.end} timezone={timezone} />
              {t.reason && <strong> {t.reason}</strong>}
              <span className="small muted">{t.inCalendar ? " · in the artist's calendar" : " · not (yet) in a calendar"}</span>{" "}
              <button type="button" className="btn" disabled={pending} onClick={() => onRemove(t.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onSubmit}>
        <fieldset className="btn-row">
          <legend className="small">Enter</legend>
          <label>
            <input type="radio" name={`${id}-mode`} checked={mode === "days"} onChange={() => switchMode("days")} /> Whole days
          </label>
          <label>
            <input type="radio" name={`${id}-mode`} checked={mode === "hours"} onChange={() => switchMode("hours")} /> From–to time
          </label>
        </fieldset>
        <div className="btn-row">
          <div className="a-field">
            <label htmlFor={`${id}-start`}>{mode === "days" ? "First day" : "From"}</label>
            <input id={`${id}-start`} type={mode === "days" ? "date" : "datetime-local"} value={start} required onChange={(e) => setStart(e.target.value)} />
            {error?.fields?.start && <p className="a-field-error">{error.fields.start.join(" ")}</p>}
          </div>
          <div className="a-field">
            <label htmlFor={`${id}-end`}>{mode === "days" ? "Last day" : "Until"}</label>
            <input id={`${id}-end`} type={mode === "days" ? "date" : "datetime-local"} value={end} required onChange={(e) => setEnd(e.target.value)} />
            {error?.fields?.end && <p className="a-field-error">{error.fields.end.join(" ")}</p>}
          </div>
          <div className="a-field">
            <label htmlFor={`${id}-reason`}>Reason (optional)</label>
            <input id={`${id}-reason`} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
            {error?.fields?.reason && <p className="a-field-error">{error.fields.reason.join(" ")}</p>}
          </div>
        </div>
        {error && !error.fields && (
          <p className="a-field-error" role="alert">
            {error.message}
          </p>
        )}
        <button type="submit" className="btn primary" disabled={pending}>
          Add time off
        </button>
      </form>
      {inside && (
        <div role="status" data-testid="time-off-bookings-inside">
          {inside.length === 0 ? (
            <p className="small">Time off added. No booking falls inside it.</p>
          ) : (
            <>
              <p className="small">
                Time off added. {inside.length} booking{inside.length === 1 ? " is" : "s are"} inside it and {inside.length === 1 ? "was" : "were"} not changed:
                move or cancel {inside.length === 1 ? "it" : "each one"}.
              </p>
              <ul className="feed">
                {inside.map((b) => (
                  <li key={b.id} data-booking-id={b.id}>
                    <When start={b.startsAt} end={b.endsAt} timezone={timezone} /> <StatusPill status={b.status} />{" "}
                    <Link href={`/admin/bookings/${b.id}`}>{b.customerName ?? "(no name)"} — move or cancel</Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
