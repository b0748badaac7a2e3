"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { SeriesOutcomeList } from "./series-outcome";
import { addToSeriesAction, cancelSeriesAction, repeatBookingAction } from "@/app/admin/bookings-actions";
import type { ActionError } from "@/lib/http/server-action";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";

type Slot = { start: string; end: string };
type Outcome = { bookings: { id: string; start: string }[]; conflicts: { start: string; message: string; alternatives: Slot[] }[] };
type Props = {
  booking: { id: string; status: string; version: number; timezone: string };
  series: { id: string; bookings: { id: string; start: string; status: string }[] } | null;
};

const when = (iso: string, timezone: string) => formatShortDateTimeInZone(new Date(iso), timezone);

/**
 * The booking's repeat series on its detail page: "Series: n of m" with the other occurrences,
 * "Repeat this booking" for a confirmed one (taken weeks listed with alternatives, one click books
 * one into the same series), and cancelling "this one" or "this and the following".
 */
export function BookingSeriesPanel({ booking, series }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [everyWeeks, setEveryWeeks] = useState(1);
  const [count, setCount] = useState(4);
  const [notify, setNotify] = useState(true);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const tz = booking.timezone;
  const position = series ? series.bookings.findIndex((b) => b.id === booking.id) + 1 : 0;
  const open = booking.status === "pending" || booking.status === "confirmed";

  const repeat = () =>
    startTransition(async () => {
      setError(null);
      setMessage(null);
      const result = await repeatBookingAction({ bookingId: booking.id, everyWeeks, count, notify });
      if (!result.ok) return setError(result.error);
      setOutcome(result.data);
      router.refresh();
    });

  const pick = (conflictStart: string, start: string) =>
    startTransition(async () => {
      setError(null);
      const result = await addToSeriesAction({ bookingId: booking.id, start, notify });
      if (!result.ok) return setError(result.error);
      setOutcome((prev) => ({
        bookings: [...(prev?.bookings ?? []), ...result.data.bookings],
        conflicts: (prev?.conflicts ?? []).filter((c) => c.start !== conflictStart),
      }));
      router.refresh();
    });

  const cancel = (scope: "this" | "following") =>
    startTransition(async () => {
      setError(null);
      setMessage(null);
      const result = await cancelSeriesAction({ bookingId: booking.id, version: booking.version, scope });
      if (!result.ok) return setError(result.error);
      const n = result.data.cancelled.length;
      setMessage(`Cancelled ${n} booking${n === 1 ? "" : "s"}.`);
      router.refresh();
    });

  if (!series && booking.status !== "confirmed") return null;

  return (
    <section className="panel" aria-labelledby="b-series" aria-busy={pending} data-testid="booking-series">
      <h2 id="b-series">{series ? `Series: ${position} of ${series.bookings.length}` : "Repeat"}</h2>
      {series && (
        <ol className="small" aria-label="Bookings of this series">
          {series.bookings.map((s) => (
            <li key={s.id} aria-current={s.id === booking.id ? "true" : undefined}>
              {s.id === booking.id ? <strong>{when(s.start, tz)} (this one)</strong> : <Link href={`/admin/bookings/${s.id}`}>{when(s.start, tz)}</Link>} ·{" "}
              {s.status}
            </li>
          ))}
        </ol>
      )}
      {series && open && (
        <div className="btn-row" role="group" aria-label="Cancel">
          <button type="button" className="btn small" disabled={pending} onClick={() => cancel("this")}>
            Cancel this one
          </button>
          <button type="button" className="btn small danger" disabled={pending} onClick={() => cancel("following")}>
            Cancel this and the following
          </button>
        </div>
      )}

      {booking.status === "confirmed" && (
        <fieldset>
          <legend>Repeat this booking</legend>
          <label>
            Every <input type="number" min={1} max={8} value={everyWeeks} onChange={(e) => setEveryWeeks(Number(e.target.value))} aria-label="Every N weeks" />{" "}
            weeks, <input type="number" min={2} max={12} value={count} onChange={(e) => setCount(Number(e.target.value))} aria-label="Number of new bookings" />{" "}
            more times
          </label>
          <label>
            <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Notify the customer (a confirmation with invitation for
            each)
          </label>
          <button type="button" className="btn primary" disabled={pending} onClick={repeat}>
            {pending ? "Booking…" : "Repeat"}
          </button>
        </fieldset>
      )}

      {message && <p role="status">{message}</p>}
      {error && (
        <div role="alert" className="error">
          <p>{error.message}</p>
          {error.alternatives?.length ? <p className="small">Free nearby: {error.alternatives.map((a) => when(a.start, tz)).join(", ")}</p> : null}
        </div>
      )}

      {outcome && (
        <SeriesOutcomeList
          outcome={outcome}
          timezone={tz}
          label="Repeat result"
          headingLevel={3}
          pending={pending}
          onPick={(conflict, at) => pick(conflict, at)}
        />
      )}
    </section>
  );
}
