/**
 * Which instants an artist's calendar object makes busy within a window. Transparent ("show as
 * free") and cancelled events never block.
 *
 * The recurrence set is built here, per RFC 5545 §3.8.5, rather than with ical.js's
 * `Event.iterator()`, which loses cases real calendars contain. ical.js still parses the values
 * and steps each RRULE (`Recur.iterator`). The set is:
 * - DTSTART, always the first occurrence (also with RDATE and no RRULE), ∪ every RRULE's
 *   occurrences (several RRULEs: the union, each to its own end) ∪ every RDATE (a
 *   `VALUE=PERIOD` RDATE is an occurrence with its own end), minus every EXDATE;
 * - with RECURRENCE-ID overrides replacing the occurrence they name. They are matched by instant,
 *   so an override written in another zone than the master's DTSTART still replaces its
 *   occurrence; a DATE RECURRENCE-ID on a timed series names that day's occurrence. Overrides are
 *   placed by their own DTSTART independently of the window walk, so an occurrence moved into the
 *   window from outside it is found. `RANGE=THISANDFUTURE` (§3.2.13): the override's shift of the
 *   start, its duration and its status/transparency apply to it and every later occurrence.
 * - Several main VEVENTs for one UID (an edited copy beside the original; invalid per RFC 4791,
 *   written by real clients): the one with the highest SEQUENCE, then the latest DTSTAMP, wins;
 *   the others are superseded. Duplicate overrides of one occurrence are chosen the same way.
 * The series is iterated from DTSTART (starting later would shift BYDAY/COUNT).
 *
 * Decisions on events that are ambiguous or invalid, each chosen to block what the artist sees:
 * - DTEND before DTSTART (or a negative DURATION): the two ends are swapped, so the time between
 *   them is busy. Blocking nothing would hide an appointment the artist did write down, and a
 *   customer booking over it is worse than a slot offered a little less.
 * - A DATE DTSTART with a DURATION in hours (`PT4H`): calendar apps show it as an all-day event,
 *   so it blocks whole days — the duration rounded up to days, at least one.
 * - DTSTART and DTEND of different value types (one DATE, one DATE-TIME): each is read on its own
 *   (a DATE is the start of that day in the artist's zone) and the time between them is busy.
 */
import ICAL from "ical.js";
import { dateOnly, resolveInstant, tzidOf, type InstantResolution, type ParsedCalendarObject } from "./parse-calendar-object";

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
const DAY_SECONDS = 86_400;

function blocksTime(event: ICAL.Component): boolean {
  const status = String(event.getFirstPropertyValue("status") ?? "").toUpperCase();
  const transp = String(event.getFirstPropertyValue("transp") ?? "").toUpperCase();
  return status !== "CANCELLED" && transp !== "TRANSPARENT";
}

/** A date or date-time with the TZID parameter of the property it came from. */
type Moment = { time: ICAL.Time; tzid: string | null };

/**
 * How long an occurrence lasts: `wallSeconds` is added to its wall-clock start (a 10:00–11:00
 * series stays 10:00–11:00 local across DST; P1D is a calendar day), `exactMs` to the instant.
 */
type Span = { wallSeconds: number; exactMs: number };

const isUtc = (t: ICAL.Time) => t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === "UTC";

/** Whether two moments are written the same way, so their wall-clock difference means something. */
function sameClock(a: Moment, b: Moment): boolean {
  return a.time.isDate === b.time.isDate && isUtc(a.time) === isUtc(b.time) && (a.tzid ?? "") === (b.tzid ?? "");
}

const wallSeconds = (t: ICAL.Time) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) / 1000;

function shifted(t: ICAL.Time, seconds: number): ICAL.Time {
  const out = t.clone();
  if (seconds !== 0) out.addDuration(ICAL.Duration.fromSeconds(seconds));
  return out;
}

/** SEQUENCE, then DTSTAMP: which of several copies of one event is the artist's latest. */
function newestFirst(a: ICAL.Component, b: ICAL.Component): number {
  const seq = (e: ICAL.Component) => Number(e.getFirstPropertyValue("sequence") ?? 0) || 0;
  const stamp = (e: ICAL.Component) => {
    const v = e.getFirstPropertyValue("dtstamp");
    return v instanceof ICAL.Time ? v.toUnixTime() : 0;
  };
  return seq(b) - seq(a) || stamp(b) - stamp(a);
}

type Occurrence = {
  start: Moment;
  /** The original start's instant (the RECURRENCE-ID an override would name). */
  key: number;
  /** An RDATE period's own end. */
  end?: Moment;
};

type Override = { event: ICAL.Component; key: number; rid: Moment; thisAndFuture: boolean };

class Expander {
  readonly intervals: BusyInterval[] = [];
  readonly warnings = new Set<string>();

  constructor(private readonly window: ExpansionWindow) {}

  at(m: Moment): Date {
    const { instant, how } = resolveInstant(m.time, { tzid: m.tzid, fallbackZone: this.window.fallbackZone });
    this.note(how, m.tzid);
    return instant;
  }

  private note(how: InstantResolution, tzid: string | null) {
    if (how === "fallback") {
      this.warnings.add(tzid ? `unknown time zone "${tzid}" read as ${this.window.fallbackZone}` : `floating time read as ${this.window.fallbackZone}`);
    }
  }

  add(start: Date, end: Date, uid: string, recurrenceId: string | null) {
    if (end.getTime() < start.getTime()) {
      this.warnings.add(`${uid}: an end before its start; the time between them is treated as busy`);
      [start, end] = [end, start];
    }
    if (end.getTime() === start.getTime()) return; // zero-length events block nothing
    if (end.getTime() > this.window.from.getTime() && start.getTime() < this.window.to.getTime()) this.intervals.push({ start, end, uid, recurrenceId });
  }

  /** The span of an event's (or each of its occurrences') time: DTEND, else DURATION, else a day for a date, else zero. */
  spanOf(event: ICAL.Component, start: Moment): Span {
    const dtend = event.getFirstPropertyValue("dtend");
    if (dtend instanceof ICAL.Time) {
      const end = { time: dtend, tzid: tzidOf(event, "dtend") ?? start.tzid };
      if (sameClock(start, end)) return { wallSeconds: wallSeconds(dtend) - wallSeconds(start.time), exactMs: 0 };
      return { wallSeconds: 0, exactMs: this.at(end).getTime() - this.at(start).getTime() };
    }
    const duration = event.getFirstPropertyValue("duration");
    if (duration instanceof ICAL.Duration) {
      const seconds = duration.toSeconds();
      if (start.time.isDate) {
        const days = Math.max(1, Math.ceil(Math.abs(seconds) / DAY_SECONDS)) * Math.sign(seconds || 1);
        return { wallSeconds: days * DAY_SECONDS, exactMs: 0 };
      }
      // Days and weeks are calendar days (23 or 25 hours across DST), hours are exact.
      const nominal = (duration.weeks * 7 + duration.days) * DAY_SECONDS * (duration.isNegative ? -1 : 1);
      return { wallSeconds: nominal, exactMs: (seconds - nominal) * 1000 };
    }
    return { wallSeconds: start.time.isDate ? DAY_SECONDS : 0, exactMs: 0 };
  }

  endAfter(start: Moment, span: Span): Date {
    return new Date(this.at({ time: shifted(start.time, span.wallSeconds), tzid: start.tzid }).getTime() + span.exactMs);
  }

  /** A VEVENT on its own: a single event, or an override placed where it now is. */
  single(event: ICAL.Component, recurrenceId: string | null) {
    if (!blocksTime(event)) return;
    const start = { time: event.getFirstPropertyValue("dtstart") as ICAL.Time, tzid: tzidOf(event, "dtstart") };
    this.add(this.at(start), this.endAfter(start, this.spanOf(event, start)), String(event.getFirstPropertyValue("uid") ?? ""), recurrenceId);
  }

  /** The occurrences of DTSTART, RRULEs and RDATEs, minus EXDATEs, keyed by instant, up to `until`. */
  occurrences(master: ICAL.Component, until: number): Map<number, Occurrence> {
    const uid = String(master.getFirstPropertyValue("uid") ?? "");
    const dtstart: Moment = { time: master.getFirstPropertyValue("dtstart") as ICAL.Time, tzid: tzidOf(master, "dtstart") };
    const found = new Map<number, Occurrence>();
    const put = (o: Omit<Occurrence, "key">) => {
      const key = this.at(o.start).getTime();
      if (!found.has(key)) found.set(key, { ...o, key });
    };
    put({ start: dtstart });

    const limit = this.window.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    for (const property of master.getAllProperties("rrule")) {
      const rule = this.ruleFor(property.getFirstValue() as ICAL.Recur, dtstart);
      const iterator = rule.iterator(dtstart.time);
      // DTSTART counts as the first of COUNT occurrences even when the rule would not produce it.
      let allowed = rule.count ?? Number.POSITIVE_INFINITY;
      let steps = 0;
      for (let next = iterator.next(); next; next = iterator.next()) {
        if (steps === 0 && next.compare(dtstart.time) !== 0) allowed -= 1;
        if (++steps > allowed) break;
        if (steps > limit) {
          this.warnings.add(`stopped expanding ${uid} after ${limit} occurrences`);
          break;
        }
        const start = { time: next.clone(), tzid: dtstart.tzid };
        if (this.at(start).getTime() >= until) break;
        put({ start });
      }
    }

    for (const property of master.getAllProperties("rdate")) {
      const tzid = (property.getParameter("tzid") as string | undefined) || dtstart.tzid;
      for (const value of property.getValues() as (ICAL.Time | ICAL.Period)[]) {
        if (value instanceof ICAL.Period) {
          const end = value.end ?? shifted(value.start, value.duration?.toSeconds() ?? 0);
          put({ start: { time: value.start, tzid }, end: { time: end, tzid } });
        } else if (value.isDate && !dtstart.time.isDate) {
          // A date in a timed series: that day, at the series' time of day.
          const time = dtstart.time.clone();
          Object.assign(time, { year: value.year, month: value.month, day: value.day });
          put({ start: { time, tzid } });
        } else {
          put({ start: { time: value, tzid } });
        }
      }
    }

    for (const property of master.getAllProperties("exdate")) {
      const tzid = (property.getParameter("tzid") as string | undefined) || dtstart.tzid;
      for (const value of property.getValues() as ICAL.Time[]) {
        if (value.isDate !== dtstart.time.isDate) {
          // A DATE EXDATE on a timed series (or the reverse) removes that day's occurrences.
          const day = dateOnly(value);
          for (const [key, o] of found) if (dateOnly(o.start.time) === day) found.delete(key);
        } else {
          found.delete(this.at({ time: value, tzid }).getTime());
        }
      }
    }
    return found;
  }

  /**
   * The rule ical.js can step correctly. It compares UNTIL with each occurrence in its own notion
   * of the zone: for a TZID it does not know (no VTIMEZONE; resolved here from the tz database)
   * that is UTC, which would drop or add the last occurrence. UNTIL is then given as the wall time
   * in the zone the occurrences are really in.
   */
  ruleFor(rule: ICAL.Recur, dtstart: Moment): ICAL.Recur {
    const until = rule.until;
    if (!until || until.isDate || !isUtc(until) || dtstart.time.isDate || isUtc(dtstart.time)) return rule;
    const zone = dtstart.time.zone?.tzid;
    if (zone && zone !== "floating") return rule; // a VTIMEZONE ical.js applies itself
    const untilMs = Date.UTC(until.year, until.month - 1, until.day, until.hour, until.minute, until.second);
    // The wall time whose instant is UNTIL: shift by the zone's offset at that instant.
    const probe = dtstart.time.clone();
    Object.assign(probe, { year: until.year, month: until.month, day: until.day, hour: until.hour, minute: until.minute, second: until.second });
    const offsetMs = this.at({ time: probe, tzid: dtstart.tzid }).getTime() - untilMs;
    const local = shifted(probe, -Math.round(offsetMs / 1000));
    const copy = rule.clone();
    copy.until = local;
    return copy;
  }

  series(master: ICAL.Component, overrideEvents: ICAL.Component[]) {
    const uid = String(master.getFirstPropertyValue("uid") ?? "");
    const dtstart: Moment = { time: master.getFirstPropertyValue("dtstart") as ICAL.Time, tzid: tzidOf(master, "dtstart") };

    const overrides = new Map<number, Override>();
    for (const event of [...overrideEvents].sort(newestFirst)) {
      const rid = { time: event.getFirstPropertyValue("recurrence-id") as ICAL.Time, tzid: tzidOf(event, "recurrence-id") ?? dtstart.tzid };
      const key = this.at(rid).getTime();
      if (overrides.has(key)) continue; // an older copy of the same override
      const range = String(event.getFirstProperty("recurrence-id")?.getParameter("range") ?? "").toUpperCase();
      overrides.set(key, { event, key, rid, thisAndFuture: range === "THISANDFUTURE" });
    }
    // Overrides stand on their own: a moved occurrence blocks where it now is, wherever it was.
    for (const o of overrides.values()) this.single(o.event, new Date(o.key).toISOString());

    const futures = [...overrides.values()].filter((o) => o.thisAndFuture).sort((a, b) => a.key - b.key);
    const shiftOf = (o: Override): Span => {
      const start = { time: o.event.getFirstPropertyValue("dtstart") as ICAL.Time, tzid: tzidOf(o.event, "dtstart") };
      if (sameClock(o.rid, start)) return { wallSeconds: wallSeconds(start.time) - wallSeconds(o.rid.time), exactMs: 0 };
      return { wallSeconds: 0, exactMs: this.at(start).getTime() - o.key };
    };
    const shifts = new Map(futures.map((o) => [o, shiftOf(o)]));
    // A THISANDFUTURE override that moves the rest of the series earlier pulls occurrences from
    // beyond the window into it: walk the rule that much further.
    const earliest = Math.min(0, ...[...shifts.values()].map((s) => s.wallSeconds * 1000 + s.exactMs));
    const until = this.window.to.getTime() - earliest + (futures.length ? DAY_SECONDS * 1000 : 0);

    const masterSpan = this.spanOf(master, dtstart);
    const matched = new Set<Override>();
    const byDay = new Map<string, Override>();
    for (const o of overrides.values()) if (o.rid.time.isDate !== dtstart.time.isDate) byDay.set(dateOnly(o.rid.time), o);

    const occurrences = [...this.occurrences(master, until).values()].sort((a, b) => a.key - b.key);
    for (const occurrence of occurrences) {
      const override = overrides.get(occurrence.key) ?? byDay.get(dateOnly(occurrence.start.time));
      if (override) {
        matched.add(override);
        continue; // placed above, at its own time
      }
      let governing: Override | undefined;
      for (const f of futures) if (f.key < occurrence.key) governing = f;
      const recurrenceId = new Date(occurrence.key).toISOString();
      if (!governing) {
        if (!blocksTime(master)) continue;
        const end = occurrence.end ? this.at(occurrence.end) : this.endAfter(occurrence.start, masterSpan);
        this.add(this.at(occurrence.start), end, uid, recurrenceId);
        continue;
      }
      if (!blocksTime(governing.event)) continue;
      const shift = shifts.get(governing)!;
      const moved = { time: shifted(occurrence.start.time, shift.wallSeconds), tzid: occurrence.start.tzid };
      const start = new Date(this.at(moved).getTime() + shift.exactMs);
      const governingStart = { time: governing.event.getFirstPropertyValue("dtstart") as ICAL.Time, tzid: tzidOf(governing.event, "dtstart") };
      const span = this.spanOf(governing.event, governingStart);
      const end = new Date(this.at({ time: shifted(moved.time, span.wallSeconds), tzid: moved.tzid }).getTime() + shift.exactMs + span.exactMs);
      this.add(start, end, uid, recurrenceId);
    }
    for (const o of overrides.values()) {
      if (!matched.has(o) && o.key < until)
        this.warnings.add(`${uid}: an override names ${new Date(o.key).toISOString()}, which the series does not have; placed on its own`);
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
  for (const [uid, events] of byUid) {
    const masters = events.filter((e) => !e.hasProperty("recurrence-id")).sort(newestFirst);
    const overrides = events.filter((e) => e.hasProperty("recurrence-id"));
    const master = masters[0];
    if (masters.length > 1)
      expander.warnings.add(`${uid}: ${masters.length} main events for one UID; kept the one with the highest SEQUENCE (then latest DTSTAMP)`);
    if (master) expander.series(master, overrides);
    // Overrides without their master (an invitation to one occurrence): each is an event of its own.
    else
      for (const o of overrides) {
        const rid = { time: o.getFirstPropertyValue("recurrence-id") as ICAL.Time, tzid: tzidOf(o, "recurrence-id") ?? tzidOf(o, "dtstart") };
        expander.single(o, expander.at(rid).toISOString());
      }
  }
  return { intervals: expander.intervals, warnings: [...expander.warnings] };
}
