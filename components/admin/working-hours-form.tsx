"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { saveWorkingHoursAction } from "@/app/admin/actions";
import type { ActionError } from "@/lib/http/server-action";
import type { OutsideHoursBooking } from "@/lib/studio/working-hours";
import { OutsideHoursList } from "./outside-hours-list";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

type Range = { key: number; weekday: number; start: string; end: string };

/**
 * Weekly hours with the date they take effect. Saving adds a new version (the past keeps its
 * hours) and never moves a booking; the bookings that fall outside come back for review.
 */
export function WorkingHoursForm({
  artistId,
  timezone,
  today,
  initial,
}: {
  artistId: string;
  timezone: string;
  today: string;
  initial: { weekday: number; start: string; end: string }[];
}) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [effectiveFrom, setEffectiveFrom] = useState(today);
  const [ranges, setRanges] = useState<Range[]>(() => initial.map((r, i) => ({ ...r, key: i })));
  const [nextKey, setNextKey] = useState(initial.length);
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState<{ effectiveFrom: string; outsideHours: OutsideHoursBooking[] } | null>(null);

  const update = (key: number, patch: Partial<Range>) => setRanges((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = (weekday: number) => {
    const last = ranges.filter((r) => r.weekday === weekday).at(-1);
    setRanges((rs) => [...rs, { key: nextKey, weekday, start: last ? last.end : "10:00", end: last ? "20:00" : "18:00" }]);
    setNextKey((k) => k + 1);
  };
  const remove = (key: number) => setRanges((rs) => rs.filter((r) => r.key !== key));

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(null);
    startTransition(async () => {
      const result = await saveWorkingHoursAction({ artistId, effectiveFrom, hours: ranges.map(({ weekday, start, end }) => ({ weekday, start, end })) });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setSaved(result.data);
      router.refresh();
    });
  }

  return (
    <>
      <form onSubmit={onSubmit} className="panel" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Weekly working hours</h2>
        <p className="small muted">On the artist&apos;s clock ({timezone}). Days without a range are days off.</p>
        <div className="a-field" style={{ maxWidth: 260 }}>
          <label htmlFor={`${id}-from`}>Takes effect on</label>
          <input id={`${id}-from`} type="date" value={effectiveFrom} min={today} required onChange={(e) => setEffectiveFrom(e.target.value)} />
          {error?.fields?.effectiveFrom && <p className="a-field-error">{error.fields.effectiveFrom.join(" ")}</p>}
        </div>
        <table className="data hours-table">
          <tbody>
            {WEEKDAYS.map((name, i) => {
              const weekday = i + 1;
              const dayRanges = ranges.filter((r) => r.weekday === weekday);
              return (
                <tr key={weekday} data-weekday={weekday}>
                  <th scope="row">{name}</th>
                  <td>
                    {dayRanges.length === 0 && <span className="muted small">day off </span>}
                    {dayRanges.map((r, n) => (
                      <span key={r.key} className="btn-row" style={{ marginBottom: 4 }}>
                        <label className="sr-only" htmlFor={`${id}-${r.key}-s`}>
                          {name} range {n + 1} start
                        </label>
                        <input
                          id={`${id}-${r.key}-s`}
                          type="time"
                          value={r.start}
                          step={300}
                          required
                          onChange={(e) => update(r.key, { start: e.target.value })}
                        />
                        <span aria-hidden="true">–</span>
                        <label className="sr-only" htmlFor={`${id}-${r.key}-e`}>
                          {name} range {n + 1} end
                        </label>
                        <input id={`${id}-${r.key}-e`} type="time" value={r.end} step={300} required onChange={(e) => update(r.key, { end: e.target.value })} />
                        <button type="button" className="btn small" onClick={() => remove(r.key)} aria-label={`Remove ${name} range ${n + 1}`}>
                          Remove
                        </button>
                      </span>
                    ))}
                  </td>
                  <td>
                    <button type="button" className="btn small" onClick={() => add(weekday)}>
                      {/* The spoken name starts with the visible words, so voice control ("click Add a range") finds it. */}
                      Add a range<span className="sr-only"> on {name}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {error && (
          <div className="notice error" role="alert">
            <p>{error.message}</p>
            {error.fields &&
              Object.entries(error.fields)
                .filter(([k]) => k !== "effectiveFrom")
                .map(([k, v]) => (
                  <p key={k} className="small">
                    {v.join(" ")}
                  </p>
                ))}
          </div>
        )}
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={pending}>
            {pending ? "Saving…" : "Save hours"}
          </button>
        </div>
      </form>
      {saved && (
        <div aria-live="polite">
          <p className="notice ok" role="status">
            New hours saved; they take effect on {saved.effectiveFrom}. No booking was changed.
          </p>
          <OutsideHoursList bookings={saved.outsideHours} title="Bookings outside the new hours" testId="outside-hours-review" />
        </div>
      )}
    </>
  );
}
