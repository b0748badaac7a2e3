"use client";

import Link from "next/link";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";

export type SeriesOutcome = {
  bookings: { id: string; start: string }[];
  conflicts: { start: string; message: string; alternatives: { start: string; end: string }[] }[];
};

/**
 * What a repeat (or a phone booking with repeat) booked, and the weeks that were taken, each with
 * free times nearby to book in one click: one list for the New booking screen and the booking
 * page's series panel, so the two never tell an admin different things.
 */
export function SeriesOutcomeList(props: {
  outcome: SeriesOutcome;
  timezone: string;
  label: string;
  headingLevel: 2 | 3;
  pending?: boolean;
  onPick: (conflictStart: string, alternativeStart: string) => void;
}) {
  const { outcome, timezone } = props;
  const when = (iso: string) => formatShortDateTimeInZone(new Date(iso), timezone);
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  return (
    <section role="status" aria-label={props.label}>
      <Heading>Booked</Heading>
      <ul>
        {outcome.bookings.map((b) => (
          <li key={b.id}>
            <Link href={`/admin/bookings/${b.id}`}>{when(b.start)}</Link>
          </li>
        ))}
      </ul>
      {outcome.conflicts.length > 0 && (
        <>
          <h3>Taken — pick another time</h3>
          <ul>
            {outcome.conflicts.map((c) => (
              <li key={c.start}>
                {when(c.start)}: {c.message}.{" "}
                {c.alternatives.length === 0
                  ? "No free time nearby."
                  : c.alternatives.map((a) => (
                      <button key={a.start} type="button" className="btn small" disabled={props.pending} onClick={() => props.onPick(c.start, a.start)}>
                        Book {when(a.start)}
                      </button>
                    ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
