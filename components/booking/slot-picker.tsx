"use client";

import type { Ref } from "react";
import { localDateInZone, zoneLabel } from "@/lib/time/format-in-zone";
import { SlotButton } from "./slot-button";
import { shortDay, weekLabel } from "./format";
import type { Slot, WeekState } from "./use-week-slots";
import { addDays, weekDates } from "@/lib/time/calendar-dates";
import { ZoneSelect } from "./zone-select";

export type SlotPickerProps = {
  idPrefix: string;
  title: string;
  titleRef?: Ref<HTMLHeadingElement>;
  week: WeekState;
  minWeek: string;
  maxWeek: string;
  onWeekChange: (monday: string) => void;
  studioZone: string;
  studioZoneLabel: string;
  browserZone: string | null;
  displayZone: string;
  onDisplayZoneChange: (zone: string) => void;
  onChoose: (slot: Slot) => void;
  /** The slot whose hold is being placed: shown as busy, and every slot refuses clicks meanwhile. */
  busyStart: string | null;
  /** Starts to point out (the alternatives after a conflict). */
  highlight?: string[];
  /** Only the week navigation and grid: the caller draws the heading, the zone switch and the zone note. */
  bare?: boolean;
};

/** Groups a week's slots by the calendar day they fall on in the zone the customer reads them in. */
export function slotsByDay(monday: string, slots: Slot[], zone: string) {
  const days = weekDates(monday).map((date) => ({ date, slots: [] as Slot[] }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  for (const slot of slots) byDate.get(localDateInZone(new Date(slot.start), zone))?.slots.push(slot);
  return days;
}

/** What the aria-live region says when a week of times has loaded. */
export function weekAnnouncement(monday: string, slots: Slot[], zone: string) {
  const count = slotsByDay(monday, slots, zone).reduce((n, d) => n + d.slots.length, 0);
  return `Week of ${weekLabel(monday, addDays(monday, 6))}: ${count === 0 ? "no free times" : count === 1 ? "1 free time" : `${count} free times`}.`;
}

/** A week of free start times, day by day, in the studio's zone or the customer's own. */
export function SlotPicker({ titleRef, ...props }: SlotPickerProps) {
  const { idPrefix, week, displayZone, studioZone, browserZone, busyStart } = props;
  const sunday = addDays(week.week, 6);
  const loading = week.status === "loading";
  const days = slotsByDay(week.week, week.slots, displayZone);
  const total = days.reduce((n, d) => n + d.slots.length, 0);
  const highlight = new Set(props.highlight ?? []);

  const header = (
    <>
      <h2 id={`${idPrefix}-title`} ref={titleRef} tabIndex={-1}>
        {props.title}
      </h2>
      <ZoneSelect
        id={`${idPrefix}-zone-select`}
        studioZone={studioZone}
        studioZoneLabel={props.studioZoneLabel}
        browserZone={browserZone}
        displayZone={displayZone}
        onChange={props.onDisplayZoneChange}
      />
      <ZoneNote id={`${idPrefix}-zone`} displayZone={displayZone} studioZone={studioZone} studioZoneLabel={props.studioZoneLabel} />
    </>
  );

  const body = (
    <>
      <div className="week-nav">
        <button type="button" className="button secondary" onClick={() => props.onWeekChange(addDays(week.week, -7))} disabled={week.week <= props.minWeek}>
          <span aria-hidden="true">←</span> Previous week
        </button>
        <p className="week-label" id={`${idPrefix}-week`}>
          {weekLabel(week.week, sunday)}
        </p>
        <button type="button" className="button secondary" onClick={() => props.onWeekChange(addDays(week.week, 7))} disabled={week.week >= props.maxWeek}>
          Next week <span aria-hidden="true">→</span>
        </button>
      </div>

      {loading ? (
        <p className="loading-line">
          <span className="spinner" aria-hidden="true" /> Loading free times…
        </p>
      ) : null}
      {week.status === "error" ? (
        <div className="notice danger" role="alert">
          <p>{week.error ?? "The free times could not be loaded."}</p>
          <button type="button" className="button secondary" onClick={() => props.onWeekChange(week.week)}>
            Try again
          </button>
        </div>
      ) : null}
      {week.status === "ready" && total === 0 ? <p className="notice">No free times this week. Try the next week.</p> : null}

      <ol className="week-grid" aria-busy={loading} aria-describedby={`${idPrefix}-zone`} data-week={week.week} data-zone={displayZone}>
        {days.map((day) => (
          <li key={day.date} className="day" data-date={day.date}>
            <h3 className="day-name" id={`${idPrefix}-day-${day.date}`}>
              {shortDay(day.date)}
            </h3>
            {day.slots.length > 0 ? (
              <ul className="slot-list" aria-labelledby={`${idPrefix}-day-${day.date}`}>
                {day.slots.map((slot) => (
                  <li key={slot.start}>
                    <SlotButton
                      slot={slot}
                      date={day.date}
                      displayZone={displayZone}
                      busyStart={busyStart}
                      loading={loading}
                      highlighted={highlight.has(slot.start)}
                      onChoose={props.onChoose}
                    />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="no-times">{loading ? "Loading…" : "No free times"}</p>
            )}
          </li>
        ))}
      </ol>
    </>
  );

  // Bare: the booking page's picker draws the heading and the zone switch itself, above its Month / Week toggle.
  if (props.bare) return <div className="week-view">{body}</div>;
  return (
    <section className="picker" aria-labelledby={`${idPrefix}-title`}>
      {header}
      {body}
    </section>
  );
}

/** "Times in Central European Time (Europe/Berlin)", and when the customer reads their own zone, where the studio is. */
export function ZoneNote({ id, displayZone, studioZone, studioZoneLabel }: { id: string; displayZone: string; studioZone: string; studioZoneLabel: string }) {
  const showingOwnZone = displayZone !== studioZone;
  return (
    <p className="zone-note" id={id}>
      Times in <strong>{showingOwnZone ? zoneLabel(displayZone) : studioZoneLabel}</strong>
      {showingOwnZone ? <> — your time zone. The studio is in {studioZoneLabel}.</> : null}
    </p>
  );
}
