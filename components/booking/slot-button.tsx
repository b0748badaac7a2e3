"use client";

import { zoneAbbreviation } from "@/lib/time/format-in-zone";
import { clockTime, longDay } from "./format";
import type { Slot } from "./use-week-slots";

/**
 * One free start in the month's day list and the week grid alike: its name says time, zone and
 * day; while a hold is being placed every start is disabled and the chosen one spins.
 */
export function SlotButton(props: {
  slot: Slot;
  date: string;
  displayZone: string;
  busyStart: string | null;
  loading: boolean;
  highlighted: boolean;
  onChoose: (slot: Slot) => void;
}) {
  const { slot, displayZone, busyStart, loading } = props;
  const time = clockTime(slot.start, displayZone);
  const busy = busyStart === slot.start;
  return (
    <button
      type="button"
      className={`slot${busy ? " busy" : ""}${props.highlighted ? " highlight" : ""}`}
      data-start={slot.start}
      aria-label={`${time} ${zoneAbbreviation(new Date(slot.start), displayZone)}, ${longDay(props.date)}`}
      aria-disabled={busyStart !== null || loading ? true : undefined}
      onClick={() => {
        if (busyStart !== null || loading) return;
        props.onChoose(slot);
      }}
    >
      {time}
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
    </button>
  );
}
