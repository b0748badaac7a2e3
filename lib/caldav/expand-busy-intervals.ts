/**
 * Which instants an artist's calendar object makes busy within a window: single events,
 * RRULE/RDATE series minus EXDATEs, and RECURRENCE-ID overrides. Transparent ("show as free")
 * and cancelled events never block.
 *
 * Overrides are related to their master (ical.js's `exceptions`) and are also matched by instant,
 * so an override whose RECURRENCE-ID is written in another zone than the master's DTSTART still
 * replaces its occurrence instead of adding a second one. Overrides are placed by their own
 * DTSTART independently of the window walk, so an occurrence moved into the window from outside
 * it is found. The series is iterated from DTSTART (starting later would shift BYDAY/COUNT).
 */
import ICAL from "ical.js";
import { resolveInstant, tzidOf, type InstantResolution, type ParsedCalendarObject } from "./parse-calendar-object";

export type BusyInterval = {
  start: Date;
  end: Date;
  uid: string;
  /** UTC ISO instant of the occurrence this interval stands for (null for single events). */
  recurrenceId: string | null;
};

export type ExpansionResult = { intervals: BusyInterval[]; warnings: string[] };

export type ExpansionWindow = { from: Date; to: Date; fallbackZone: string; maxIterations?: number };

const DEFAULT_MAX_ITERATIONS = 50_000;

function blocksTime(event: ICAL.Component): boolean {
  const status = String(event.getFirstPropertyValue("status") ?? "").toUpperCase();
  const transp = String(event.getFirstPropertyValue("transp") ?? "").toUpperCase();
  return status !== "CANCELLED" && transp !== "TRANSPARENT";
}

function overlaps(start: Date, end: Date, window: ExpansionWindow): boolean {
  return end.getTime() > window.from.getTime() && start.getTime() < window.to.getTime();
}

class Expander {
  readonly intervals: BusyInterval[] = [];
  readonly warnings = new Set<string>();

  constructor(private readonly window: ExpansionWindow) {}

  instant(t: ICAL.Time, tzid: string | null): Date {
    const { instant, how } = resolveInstant(t, { tzid, fallbackZone: this.window.fallbackZone });
    this.note(how, tzid);
    return instant;
  }

  private note(how: InstantResolution, tzid: string | null) {
    if (how === "fallback") {
      this.warnings.add(tzid ? `unknown time zone "${tzid}" read as ${this.window.fallbackZone}` : `floating time read as ${this.window.fallbackZone}`);
    }
  }

  add(start: Date, end: Date, uid: string, recurrenceId: string | null) {
    if (end.getTime() <= start.getTime()) return; // zero-length events block nothing
    if (overlaps(start, end, this.window)) this.intervals.push({ start, end, uid, recurrenceId });
  }

  /** End of a single (non-recurring) VEVENT: DTEND, else DURATION, else one day for a date, else zero. */
  endOf(event: ICAL.Component, start: ICAL.Time): Date {
    const dtend = event.getFirstPropertyValue("dtend");
    if (dtend instanceof ICAL.Time) return this.instant(dtend, tzidOf(event, "dtend") ?? tzidOf(event, "dtstart"));
    const end = start.clone();
    const duration = event.getFirstPropertyValue("duration");
    if (duration instanceof ICAL.Duration) end.addDuration(duration);
    else if (start.isDate) end.day += 1;
    return this.instant(end, tzidOf(event, "dtstart"));
  }

  single(event: ICAL.Component) {
    if (!blocksTime(event)) return;
    const start = event.getFirstPropertyValue("dtstart");
    if (!(start instanceof ICAL.Time)) return;
    const uid = String(event.getFirstPropertyValue("uid") ?? "");
    const recurrence = event.getFirstPropertyValue("recurrence-id");
    const recurrenceId = recurrence instanceof ICAL.Time ? this.instant(recurrence, tzidOf(event, "recurrence-id")).toISOString() : null;
    this.add(this.instant(start, tzidOf(event, "dtstart")), this.endOf(event, start), uid, recurrenceId);
  }

  series(master: ICAL.Component, overrides: ICAL.Component[]) {
    const tzid = tzidOf(master, "dtstart");
    const uid = String(master.getFirstPropertyValue("uid") ?? "");
    const replaced = new Set<number>();
    for (const o of overrides) {
      const rid = o.getFirstPropertyValue("recurrence-id");
      if (rid instanceof ICAL.Time) replaced.add(this.instant(rid, tzidOf(o, "recurrence-id") ?? tzid).getTime());
    }
    // Overrides stand on their own: a moved occurrence blocks where it now is, wherever it was.
    for (const o of overrides) this.single(o);
    if (!blocksTime(master)) return;

    const event = new ICAL.Event(master, { exceptions: overrides, strictExceptions: false });
    const iterator = event.iterator();
    const limit = this.window.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    let count = 0;
    for (let occurrence = iterator.next(); occurrence; occurrence = iterator.next()) {
      if (++count > limit) {
        this.warnings.add(`stopped expanding ${uid} after ${limit} occurrences`);
        break;
      }
      const start = this.instant(occurrence, tzid);
      if (start.getTime() >= this.window.to.getTime()) break;
      if (replaced.has(start.getTime())) continue;
      const details = event.getOccurrenceDetails(occurrence);
      if (details.item !== event) continue; // an override (already placed above)
      this.add(start, this.instant(details.endDate, tzid), uid, start.toISOString());
    }
  }
}

/** Busy intervals of one calendar object within [from, to). */
export function expandBusyIntervals(parsed: ParsedCalendarObject, window: ExpansionWindow): ExpansionResult {
  const expander = new Expander(window);
  const byUid = new Map<string, ICAL.Component[]>();
  for (const event of parsed.events) {
    const uid = String(event.getFirstPropertyValue("uid") ?? "");
    byUid.set(uid, [...(byUid.get(uid) ?? []), event]);
  }
  for (const events of byUid.values()) {
    const master = events.find((e) => !e.hasProperty("recurrence-id"));
    const overrides = events.filter((e) => e !== master);
    if (master && (master.hasProperty("rrule") || master.hasProperty("rdate"))) expander.series(master, overrides);
    else for (const e of events) expander.single(e);
  }
  return { intervals: expander.intervals, warnings: [...expander.warnings] };
}
