"use client";

import type { KeyboardEvent } from "react";
import { addDays } from "@/lib/time/calendar-dates";
import { addMonths, DAY_STATE_SHORT, dayStateReason, slotsOnDay, type MonthDayState, type MonthSummary } from "@/lib/availability/summarize-month";
import { SlotButton } from "./slot-button";
import { longDay, monthLabel, monthName, shortDay, weekdayName } from "./format";
import type { MonthState } from "./use-month-slots";
import type { Slot } from "./use-week-slots";

type Props = {
  idPrefix: string;
  month: MonthState;
  summary: MonthSummary;
  minMonth: string;
  maxMonth: string;
  onMonthChange: (month: string) => void;
  /** The day whose times are listed: the first free day until the customer picks another. */
  selectedDate: string | null;
  onSelectDate: (date: string) => void;
  displayZone: string;
  /** "7 days", "24 hours": the service's minimum notice, for the "too soon" explanation. */
  noticeText: string;
  windowDays: number;
  onChoose: (slot: Slot) => void;
  busyStart: string | null;
  highlight?: string[];
};

const WEEKDAYS = [
  ["Mon", "Monday"],
  ["Tue", "Tuesday"],
  ["Wed", "Wednesday"],
  ["Thu", "Thursday"],
  ["Fri", "Friday"],
  ["Sat", "Saturday"],
  ["Sun", "Sunday"],
] as const;

const ARROW_STEPS: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

/**
 * Arrow keys move between the month's days as in a date picker (left/right a day, up/down a week,
 * Home/End the first and last bookable day), skipping the days that are past; Enter picks the day.
 * Tab still walks the days in order, so nothing a keyboard user already knows changes.
 */
function moveFocusInMonth(e: KeyboardEvent<HTMLTableElement>) {
  const from = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-date]");
  if (!from) return;
  const days = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>("button[data-date]"));
  let target: HTMLButtonElement | undefined;
  if (e.key === "Home") target = days[0];
  else if (e.key === "End") target = days.at(-1);
  else if (e.key in ARROW_STEPS) {
    const step = ARROW_STEPS[e.key]!;
    const byDate = new Map(days.map((d) => [d.dataset.date!, d]));
    for (let date = addDays(from.dataset.date!, step), n = 0; n < 6 && !target; date = addDays(date, step), n += 1) target = byDate.get(date);
  } else return;
  e.preventDefault();
  target?.focus();
}

const LEGEND_ORDER: MonthDayState[] = ["free", "fully_booked", "closed", "too_soon", "beyond_window"];

/**
 * A month of days, the ones with free times marked, every other day saying why not (in its
 * spoken name, in the legend, and when picked), and the picked day's times below. Days are the
 * calendar days of the zone the customer reads times in.
 */
export function MonthView(props: Props) {
  const { idPrefix, month, summary, displayZone, busyStart, selectedDate } = props;
  const loading = month.status === "loading";
  const reasons = { noticeText: props.noticeText, windowDays: props.windowDays };
  const days = summary.weeks.flat();
  const selected = selectedDate ? days.find((d) => d.date === selectedDate && d.inMonth) : undefined;
  const daySlots = selected && selected.state === "free" ? slotsOnDay(month.slots, selected.date, displayZone) : [];
  const nextFree = selected && selected.state !== "free" ? days.find((d) => d.inMonth && d.state === "free" && d.date > selected.date) : undefined;
  const counts = new Map<MonthDayState, number>();
  for (const d of days) if (d.inMonth) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
  const highlight = new Set(props.highlight ?? []);
  const labelId = `${idPrefix}-month`;

  return (
    <div className="month-view" data-month={summary.month} data-zone={displayZone}>
      <p className="first-free" data-testid="first-free-day" data-date={summary.firstFreeDate ?? ""}>
        {month.status !== "ready" ? (
          "\u00a0"
        ) : summary.firstFreeDate ? (
          <>
            First free day:{" "}
            {selectedDate === summary.firstFreeDate ? (
              <strong>{shortDay(summary.firstFreeDate)}</strong>
            ) : (
              <button type="button" className="link-button inline" onClick={() => props.onSelectDate(summary.firstFreeDate!)}>
                {shortDay(summary.firstFreeDate)}
              </button>
            )}
          </>
        ) : (
          <>No free times in {monthLabel(summary.month)}.</>
        )}
      </p>

      <div className="month-body">
        <div className="month-cal">
          <div className="week-nav month-nav">
            <button
              type="button"
              className="button secondary"
              onClick={() => props.onMonthChange(addMonths(summary.month, -1))}
              disabled={summary.month <= props.minMonth}
            >
              <span aria-hidden="true">←</span> Previous month
            </button>
            <p className="week-label" id={labelId}>
              {monthLabel(summary.month)}
            </p>
            <button
              type="button"
              className="button secondary"
              onClick={() => props.onMonthChange(addMonths(summary.month, 1))}
              disabled={summary.month >= props.maxMonth}
            >
              Next month <span aria-hidden="true">→</span>
            </button>
          </div>

          {month.status === "error" ? (
            <div className="notice danger" role="alert">
              <p>{month.error ?? "The free times could not be loaded."}</p>
              <button type="button" className="button secondary" onClick={() => props.onMonthChange(summary.month)}>
                Try again
              </button>
            </div>
          ) : null}

          <table className="month-grid" onKeyDown={moveFocusInMonth} aria-labelledby={labelId} aria-busy={loading} aria-describedby={`${idPrefix}-zone`}>
            <thead>
              <tr>
                {WEEKDAYS.map(([short, long]) => (
                  <th key={short} scope="col" abbr={long}>
                    {short}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary.weeks.map((week) => (
                <tr key={week[0]!.date}>
                  {week.map((day) => {
                    if (!day.inMonth) return <td key={day.date} className="month-cell outside" />;
                    const n = Number(day.date.slice(8));
                    if (day.state === "past" || loading) {
                      return (
                        <td key={day.date} className="month-cell">
                          <span className={`month-day state-${loading ? "loading" : "past"}`}>{n}</span>
                        </td>
                      );
                    }
                    const isSelected = day.date === selectedDate;
                    const spoken =
                      day.state === "free" ? `${day.freeCount === 1 ? "1 free time" : `${day.freeCount} free times`}` : dayStateReason(day.state, reasons);
                    return (
                      <td key={day.date} className="month-cell">
                        <button
                          type="button"
                          className={`month-day state-${day.state}${isSelected ? " selected" : ""}`}
                          data-date={day.date}
                          data-state={day.state}
                          aria-pressed={isSelected}
                          onClick={() => props.onSelectDate(day.date)}
                        >
                          <span className="sr-only">{weekdayName(day.date)} </span>
                          <span className="month-day-number">{n}</span>
                          <span className="sr-only">
                            {" "}
                            {monthName(day.date)}: {spoken}
                          </span>
                          <span className="month-day-mark" aria-hidden="true">
                            {day.state === "free" ? `${day.freeCount} free` : DAY_STATE_SHORT[day.state]}
                          </span>
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>

          <ul className="month-legend" aria-label={`${monthLabel(summary.month)} at a glance`}>
            {LEGEND_ORDER.filter((state) => counts.get(state)).map((state) => (
              <li key={state} className={`legend-${state}`}>
                <span className={`legend-swatch state-${state}`} aria-hidden="true" />
                {state === "free" ? "Free times" : dayStateReason(state, reasons)}: {counts.get(state)} {counts.get(state) === 1 ? "day" : "days"}
              </li>
            ))}
          </ul>
        </div>
        {selected ? (
          <section className="day-times" aria-labelledby={`${idPrefix}-day-title`} data-date={selected.date} data-state={selected.state}>
            <h3 id={`${idPrefix}-day-title`}>{longDay(selected.date)}</h3>
            {daySlots.length > 0 ? (
              <ul className="slot-list" aria-labelledby={`${idPrefix}-day-title`}>
                {daySlots.map((slot) => (
                  <li key={slot.start}>
                    <SlotButton
                      slot={slot}
                      date={selected.date}
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
              <>
                <p className="day-reason">{dayStateReason(selected.state, reasons)}.</p>
                {nextFree ? (
                  <button type="button" className="button secondary" onClick={() => props.onSelectDate(nextFree.date)}>
                    Next free day: {shortDay(nextFree.date)}
                  </button>
                ) : null}
              </>
            )}
          </section>
        ) : month.status === "ready" && !summary.firstFreeDate ? (
          <p className="notice">
            {props.maxMonth > summary.month ? "No free times this month. Try the next month." : "No free times left in the booking window."}
          </p>
        ) : null}
      </div>
    </div>
  );
}
