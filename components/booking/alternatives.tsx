"use client";

import type { Ref } from "react";
import { localDateInZone, zoneAbbreviation } from "@/lib/time/format-in-zone";
import { clockTime, longDay, shortDay } from "./format";
import type { Slot } from "./use-week-slots";

type Props = {
  title: string;
  message: string;
  titleRef?: Ref<HTMLHeadingElement>;
  alternatives: Slot[];
  zone: string;
  zoneName: string;
  onChoose: (slot: Slot) => void;
  busyStart: string | null;
  chooseVerb?: string;
};

/** "That time was just taken" with the nearest free times as one-tap choices. */
export function Alternatives({ titleRef, ...props }: Props) {
  const { alternatives, zone, busyStart } = props;
  return (
    <section className="notice warning conflict" aria-labelledby="conflict-title" data-testid="slot-conflict">
      <h2 id="conflict-title" ref={titleRef} tabIndex={-1}>
        {props.title}
      </h2>
      <p>{props.message}</p>
      {alternatives.length > 0 ? (
        <>
          <p id="alternatives-intro">The nearest free times ({props.zoneName}):</p>
          <ul className="alternatives" aria-labelledby="alternatives-intro">
            {alternatives.map((slot) => {
              const date = localDateInZone(new Date(slot.start), zone);
              const time = clockTime(slot.start, zone);
              return (
                <li key={slot.start}>
                  <button
                    type="button"
                    className={`slot alternative${busyStart === slot.start ? " busy" : ""}`}
                    data-start={slot.start}
                    aria-disabled={busyStart !== null ? true : undefined}
                    onClick={() => {
                      if (busyStart === null) props.onChoose(slot);
                    }}
                  >
                    {/* Named by its visible text (voice control), with the zone and the action spoken after it. */}
                    <span className="alt-day">{shortDay(date)}</span> <span className="alt-time">{time}</span>
                    <span className="sr-only">
                      {" "}
                      {zoneAbbreviation(new Date(slot.start), zone)}, {longDay(date)}: {(props.chooseVerb ?? "Hold").toLowerCase()} this time
                    </span>
                    {busyStart === slot.start ? <span className="spinner" aria-hidden="true" /> : null}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p>There are no free times close to it. Please pick another time below.</p>
      )}
    </section>
  );
}
