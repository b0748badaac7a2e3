"use client";

import { useRef, useState } from "react";
import { addToSeriesAction, cancelSeriesAction, repeatBookingAction } from "@/app/bookings/[id]/actions";
import { describeNoticeHours } from "@/lib/bookings/cancellation-notice";
import type { ActionResult } from "@/lib/http/server-action";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";

type Slot = { start: string; end: string };
type Outcome = { bookings: { id: string; start: string }[]; conflicts: { start: string; message: string; alternatives: Slot[] }[] };

type Props = {
  bookingId: string;
  token: string;
  /** The booking is confirmed, upcoming, and its service lets customers book it again. */
  canRepeat: boolean;
  /** The booking can still be cancelled (pending or confirmed, upcoming). */
  canCancel: boolean;
  timezone: string;
  noticeHours: number;
  maxCount: number;
  series: { id: string; bookings: { id: string; start: string; status: string }[] } | null;
};

async function call<T>(fn: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await fn();
  } catch {
    return { ok: false, error: { code: "network", message: "We could not reach the studio. Check your connection and try again." } };
  }
}

/** "Book again every N weeks" and, for a booking of a series, "cancel this one / this and the following", through the signed link. */
export function SeriesActions(props: Props) {
  const { timezone: tz } = props;
  const [everyWeeks, setEveryWeeks] = useState(4);
  const [count, setCount] = useState(2);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const inFlight = useRef(false);
  const when = (iso: string) => formatShortDateTimeInZone(new Date(iso), tz);
  const position = props.series ? props.series.bookings.findIndex((b) => b.id === props.bookingId) + 1 : 0;

  async function run<T>(fn: () => Promise<ActionResult<T>>, onOk: (data: T) => void) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    setMessage(null);
    const res = await call(fn);
    inFlight.current = false;
    setBusy(false);
    if (res.ok) onOk(res.data);
    else setError(res.error.message);
  }

  const repeat = () => run(() => repeatBookingAction({ bookingId: props.bookingId, token: props.token, everyWeeks, count }), setOutcome);
  const pick = (conflictStart: string, start: string) =>
    run(
      () => addToSeriesAction({ bookingId: props.bookingId, token: props.token, start }),
      (data) =>
        setOutcome((prev) => ({
          bookings: [...(prev?.bookings ?? []), ...data.bookings],
          conflicts: (prev?.conflicts ?? []).filter((c) => c.start !== conflictStart),
        })),
    );
  const cancel = (scope: "this" | "following") =>
    run(
      () => cancelSeriesAction({ bookingId: props.bookingId, token: props.token, scope }),
      (data) => {
        const n = data.cancelled.length;
        const kept = data.refused.map((r) => when(r.start)).join(", ");
        setMessage(
          `${n === 1 ? "1 booking is" : `${n} bookings are`} cancelled.` +
            (kept ? ` ${kept} starts within ${describeNoticeHours(props.noticeHours)} and could not be cancelled online; please contact the studio.` : ""),
        );
      },
    );

  if (!props.canRepeat && !props.series) return null;

  return (
    <section className="manage-actions" aria-labelledby="series-title" aria-busy={busy}>
      <h2 id="series-title">{props.series ? `Series: ${position} of ${props.series.bookings.length}` : "Book again"}</h2>
      {props.series ? (
        <ol aria-label="Your bookings of this series">
          {props.series.bookings.map((b) => (
            <li key={b.id} aria-current={b.id === props.bookingId ? "true" : undefined}>
              {when(b.start)}
              {b.id === props.bookingId ? " (this one)" : ""} · {b.status}
            </li>
          ))}
        </ol>
      ) : null}
      {props.series && props.canCancel ? (
        <div className="actions" role="group" aria-label="Cancel in this series">
          <button type="button" className="button secondary" disabled={busy} onClick={() => void cancel("this")}>
            Cancel this one
          </button>
          <button type="button" className="button danger" disabled={busy} onClick={() => void cancel("following")}>
            Cancel this and the following
          </button>
        </div>
      ) : null}

      {props.canRepeat ? (
        <div className="card">
          <h3>Book again every few weeks</h3>
          <div className="field">
            <label htmlFor="repeat-every">Every (weeks)</label>
            <input id="repeat-every" type="number" min={1} max={8} value={everyWeeks} onChange={(e) => setEveryWeeks(Number(e.target.value))} />
          </div>
          <div className="field">
            <label htmlFor="repeat-count">How many more times</label>
            <input id="repeat-count" type="number" min={2} max={props.maxCount} value={count} onChange={(e) => setCount(Number(e.target.value))} />
          </div>
          <p className="hint">Same time of day; each booking is confirmed on its own and emailed to you with its calendar invitation.</p>
          <button type="button" className="button primary" disabled={busy} onClick={() => void repeat()}>
            {busy ? "Booking…" : `Book again every ${everyWeeks} week${everyWeeks === 1 ? "" : "s"}`}
          </button>
        </div>
      ) : null}

      {message ? (
        <p className="notice ok" role="status">
          {message}
        </p>
      ) : null}
      {error ? (
        <p className="notice danger" role="alert">
          {error}
        </p>
      ) : null}
      {outcome ? (
        <div role="status" aria-label="Booked again">
          {outcome.bookings.length > 0 ? (
            <>
              <p>Booked:</p>
              <ul>
                {outcome.bookings.map((b) => (
                  <li key={b.id}>{when(b.start)}</li>
                ))}
              </ul>
            </>
          ) : null}
          {outcome.conflicts.length > 0 ? (
            <>
              <p>These times are taken — pick another one:</p>
              <ul>
                {outcome.conflicts.map((c) => (
                  <li key={c.start}>
                    {when(c.start)}:{" "}
                    {c.alternatives.length === 0
                      ? "no free time nearby."
                      : c.alternatives.map((a) => (
                          <button key={a.start} type="button" className="button secondary" disabled={busy} onClick={() => void pick(c.start, a.start)}>
                            Book {when(a.start)}
                          </button>
                        ))}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
