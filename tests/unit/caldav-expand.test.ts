/**
 * Turning an artist's calendar objects into busy time: recurrence, overrides, time zones and
 * DST — each case is a way a customer could book a time the artist is not actually free.
 */
import { describe, expect, it } from "vitest";
import { expandBusyIntervals } from "@/lib/caldav/expand-busy-intervals";
import { parseCalendarObject, MalformedCalendarObjectError } from "@/lib/caldav/parse-calendar-object";
import { buildVTimezone } from "@/lib/time/vtimezone";

const CRLF = "\r\n";
const cal = (...parts: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...parts, "END:VCALENDAR", ""].join(CRLF);
const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", ...lines, "END:VEVENT"].join(CRLF);
const tz = (tzid: string, renameTo?: string) => {
  const text = buildVTimezone(tzid, new Date("2025-06-01T00:00:00Z"), new Date("2027-06-01T00:00:00Z")).trimEnd();
  return renameTo ? text.replace(`TZID:${tzid}`, `TZID:${renameTo}`) : text;
};

function expand(ics: string, from: string, to: string, fallbackZone = "Europe/Berlin") {
  return expandBusyIntervals(parseCalendarObject(ics), { from: new Date(from), to: new Date(to), fallbackZone });
}
const starts = (r: ReturnType<typeof expand>) => r.intervals.map((i) => i.start.toISOString()).sort();
const spans = (r: ReturnType<typeof expand>) => r.intervals.map((i) => `${i.start.toISOString()}/${i.end.toISOString()}`).sort();

describe("recurring events across daylight-saving changes", () => {
  it("keeps a weekly 10:00 in Denver at 10:00 local on both sides of the March change (17:00Z then 16:00Z)", () => {
    const ics = cal(
      tz("America/Denver"),
      ev("UID:w", "DTSTART;TZID=America/Denver:20260223T100000", "DTEND;TZID=America/Denver:20260223T110000", "RRULE:FREQ=WEEKLY"),
    );
    expect(starts(expand(ics, "2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z"))).toEqual([
      "2026-03-02T17:00:00.000Z",
      "2026-03-09T16:00:00.000Z",
      "2026-03-16T16:00:00.000Z",
    ]);
  });

  it("keeps a weekly 10:00 in Denver at 10:00 local across the November change (16:00Z then 17:00Z)", () => {
    const ics = cal(tz("America/Denver"), ev("UID:w", "DTSTART;TZID=America/Denver:20261019T100000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY"));
    expect(starts(expand(ics, "2026-10-25T00:00:00Z", "2026-11-03T00:00:00Z"))).toEqual(["2026-10-26T16:00:00.000Z", "2026-11-02T17:00:00.000Z"]);
  });

  it("keeps a weekly 10:00 in Berlin at 10:00 local across the March and October changes", () => {
    const ics = cal(
      tz("Europe/Berlin"),
      ev("UID:b", "DTSTART;TZID=Europe/Berlin:20260323T100000", "DTEND;TZID=Europe/Berlin:20260323T113000", "RRULE:FREQ=WEEKLY;BYDAY=MO"),
    );
    const march = expand(ics, "2026-03-22T00:00:00Z", "2026-04-01T00:00:00Z");
    expect(spans(march)).toEqual(["2026-03-23T09:00:00.000Z/2026-03-23T10:30:00.000Z", "2026-03-30T08:00:00.000Z/2026-03-30T09:30:00.000Z"]);
    const october = expand(ics, "2026-10-18T00:00:00Z", "2026-10-28T00:00:00Z");
    expect(starts(october)).toEqual(["2026-10-19T08:00:00.000Z", "2026-10-26T09:00:00.000Z"]);
  });

  it("applies a zone known only from the object's own VTIMEZONE (a Windows zone name) with its DST rules", () => {
    const ics = cal(
      tz("America/Denver", "Mountain Standard Time"),
      ev("UID:win", "DTSTART;TZID=Mountain Standard Time:20260302T100000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=2"),
    );
    expect(starts(expand(ics, "2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z"))).toEqual(["2026-03-02T17:00:00.000Z", "2026-03-09T16:00:00.000Z"]);
  });

  it("iterates from DTSTART, so a series begun two years ago still lands on the right weekday and stops at COUNT", () => {
    const old = cal(tz("Europe/Berlin"), ev("UID:o", "DTSTART;TZID=Europe/Berlin:20250106T180000", "DURATION:PT2H", "RRULE:FREQ=WEEKLY;BYDAY=MO,TH"));
    expect(starts(expand(old, "2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z"))).toEqual(["2026-12-03T17:00:00.000Z", "2026-12-07T17:00:00.000Z"]);
    const finished = cal(tz("Europe/Berlin"), ev("UID:f", "DTSTART;TZID=Europe/Berlin:20250106T180000", "DURATION:PT2H", "RRULE:FREQ=WEEKLY;COUNT=3"));
    expect(expand(finished, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z").intervals).toEqual([]);
  });
});

describe("exceptions to a series", () => {
  const master = ev(
    "UID:s",
    "SUMMARY:Class",
    "DTSTART;TZID=Europe/Berlin:20261102T120000",
    "DTEND;TZID=Europe/Berlin:20261102T130000",
    "RRULE:FREQ=WEEKLY;COUNT=5",
    "EXDATE;TZID=Europe/Berlin:20261109T120000",
  );

  it("leaves out EXDATE occurrences and places a moved occurrence at its new time only", () => {
    const moved = ev(
      "UID:s",
      "RECURRENCE-ID;TZID=Europe/Berlin:20261116T120000",
      "DTSTART;TZID=Europe/Berlin:20261117T150000",
      "DTEND;TZID=Europe/Berlin:20261117T160000",
    );
    const r = expand(cal(tz("Europe/Berlin"), master, moved), "2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z");
    expect(starts(r)).toEqual(["2026-11-02T11:00:00.000Z", "2026-11-17T14:00:00.000Z", "2026-11-23T11:00:00.000Z", "2026-11-30T11:00:00.000Z"]);
    expect(r.intervals.find((i) => i.start.toISOString() === "2026-11-17T14:00:00.000Z")!.recurrenceId).toBe("2026-11-16T11:00:00.000Z");
  });

  it("finds an occurrence moved into the window from outside it, and drops one moved out of it", () => {
    const intoWindow = ev(
      "UID:s",
      "RECURRENCE-ID;TZID=Europe/Berlin:20261102T120000",
      "DTSTART;TZID=Europe/Berlin:20261125T090000",
      "DTEND;TZID=Europe/Berlin:20261125T100000",
    );
    const outOfWindow = ev(
      "UID:s",
      "RECURRENCE-ID;TZID=Europe/Berlin:20261123T120000",
      "DTSTART;TZID=Europe/Berlin:20261228T120000",
      "DTEND;TZID=Europe/Berlin:20261228T130000",
    );
    const r = expand(cal(tz("Europe/Berlin"), master, intoWindow, outOfWindow), "2026-11-20T00:00:00Z", "2026-12-01T00:00:00Z");
    expect(starts(r)).toEqual(["2026-11-25T08:00:00.000Z", "2026-11-30T11:00:00.000Z"]);
  });

  it("does not count an occurrence twice when its override names RECURRENCE-ID in UTC", () => {
    const utcOverride = ev("UID:s", "RECURRENCE-ID:20261116T110000Z", "DTSTART;TZID=Europe/Berlin:20261116T140000", "DTEND;TZID=Europe/Berlin:20261116T150000");
    const r = expand(cal(tz("Europe/Berlin"), master, utcOverride), "2026-11-15T00:00:00Z", "2026-11-18T00:00:00Z");
    expect(starts(r)).toEqual(["2026-11-16T13:00:00.000Z"]);
  });

  it("frees a cancelled occurrence of a series", () => {
    const cancelled = ev(
      "UID:s",
      "RECURRENCE-ID;TZID=Europe/Berlin:20261123T120000",
      "STATUS:CANCELLED",
      "DTSTART;TZID=Europe/Berlin:20261123T120000",
      "DTEND;TZID=Europe/Berlin:20261123T130000",
    );
    const r = expand(cal(tz("Europe/Berlin"), master, cancelled), "2026-11-20T00:00:00Z", "2026-11-25T00:00:00Z");
    expect(r.intervals).toEqual([]);
  });
});

describe("single events", () => {
  it("blocks a whole local day for an all-day event, 23 hours on the day clocks go forward", () => {
    const r = expand(cal(ev("UID:a", "DTSTART;VALUE=DATE:20260329", "DTEND;VALUE=DATE:20260330")), "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    expect(spans(r)).toEqual(["2026-03-28T23:00:00.000Z/2026-03-29T22:00:00.000Z"]);
    const noEnd = expand(cal(ev("UID:d", "DTSTART;VALUE=DATE:20261224")), "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", "America/Denver");
    expect(spans(noEnd)).toEqual(["2026-12-24T07:00:00.000Z/2026-12-25T07:00:00.000Z"]);
  });

  it("honours DURATION, UTC times, and blocks nothing for zero-length events", () => {
    expect(spans(expand(cal(ev("UID:u", "DTSTART:20261201T100000Z", "DURATION:PT90M")), "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"))).toEqual([
      "2026-12-01T10:00:00.000Z/2026-12-01T11:30:00.000Z",
    ]);
    expect(expand(cal(ev("UID:z", "DTSTART:20261201T100000Z")), "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z").intervals).toEqual([]);
  });

  it("lets transparent (free) and cancelled events block nothing", () => {
    const r = expand(
      cal(
        ev("UID:t", "TRANSP:TRANSPARENT", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z"),
        ev("UID:c", "STATUS:CANCELLED", "DTSTART:20261201T120000Z", "DTEND:20261201T130000Z"),
      ),
      "2026-12-01T00:00:00Z",
      "2026-12-02T00:00:00Z",
    );
    expect(r.intervals).toEqual([]);
  });

  it("reads floating time and unknown zones in the artist's zone — explicitly, not in the server's", () => {
    const floating = expand(
      cal(ev("UID:f", "DTSTART:20261201T100000", "DTEND:20261201T110000")),
      "2026-12-01T00:00:00Z",
      "2026-12-02T00:00:00Z",
      "America/Denver",
    );
    expect(starts(floating)).toEqual(["2026-12-01T17:00:00.000Z"]);
    expect(floating.warnings.join()).toMatch(/floating/);
    const unknown = expand(
      cal(ev("UID:x", "DTSTART;TZID=Mars/Olympus_Mons:20261201T100000", "DTEND;TZID=Mars/Olympus_Mons:20261201T110000")),
      "2026-12-01T00:00:00Z",
      "2026-12-02T00:00:00Z",
    );
    expect(starts(unknown)).toEqual(["2026-12-01T09:00:00.000Z"]);
    expect(unknown.warnings.join()).toMatch(/Mars\/Olympus_Mons/);
  });

  it("resolves an IANA zone even without a VTIMEZONE, and prefixed TZIDs some clients write", () => {
    const bare = expand(cal(ev("UID:i", "DTSTART;TZID=America/Denver:20260701T100000", "DURATION:PT1H")), "2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z");
    expect(starts(bare)).toEqual(["2026-07-01T16:00:00.000Z"]);
    const prefixed = expand(
      cal(ev("UID:p", "DTSTART;TZID=/freeassociation.sourceforge.net/Europe/Berlin:20260701T100000", "DURATION:PT1H")),
      "2026-07-01T00:00:00Z",
      "2026-07-02T00:00:00Z",
    );
    expect(starts(prefixed)).toEqual(["2026-07-01T08:00:00.000Z"]);
    expect(prefixed.warnings).toEqual([]);
  });
});

describe("unreadable objects", () => {
  it("rejects text that is not iCalendar, and a VEVENT without a start, with a typed error", () => {
    expect(() => parseCalendarObject("this is not iCalendar")).toThrow(MalformedCalendarObjectError);
    expect(() => parseCalendarObject(cal(ev("UID:n", "SUMMARY:no start")))).toThrow(MalformedCalendarObjectError);
    expect(() => parseCalendarObject(cal(ev("UID:b", "DTSTART:2026-not-a-date")))).toThrow(MalformedCalendarObjectError);
  });
});

describe("recurrence sets real calendars contain (issue 9)", () => {
  const window = ["2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z"] as const;
  const expandAll = (ics: string, fallbackZone = "Europe/Berlin") => expand(ics, window[0], window[1], fallbackZone);

  it("blocks each RDATE;VALUE=PERIOD with its own end — else the expansion threw and the whole calendar stopped syncing", () => {
    const ics = cal(
      tz("Europe/Berlin"),
      ev(
        "UID:p",
        "DTSTART;TZID=Europe/Berlin:20261201T100000",
        "DTEND;TZID=Europe/Berlin:20261201T110000",
        "RDATE;VALUE=PERIOD:20261203T090000Z/20261203T120000Z,20261205T130000Z/PT30M",
        "RDATE;VALUE=PERIOD;TZID=Europe/Berlin:20261207T100000/20261207T120000",
      ),
    );
    expect(spans(expandAll(ics))).toEqual([
      "2026-12-01T09:00:00.000Z/2026-12-01T10:00:00.000Z",
      "2026-12-03T09:00:00.000Z/2026-12-03T12:00:00.000Z",
      "2026-12-05T13:00:00.000Z/2026-12-05T13:30:00.000Z",
      "2026-12-07T09:00:00.000Z/2026-12-07T11:00:00.000Z",
    ]);
  });

  it("keeps the master with the highest SEQUENCE, then the latest DTSTAMP, when a client wrote two for one UID — else the expansion threw", () => {
    const copy = (seq: number, stamp: string, hour: string) =>
      [
        "BEGIN:VEVENT",
        `DTSTAMP:${stamp}`,
        "UID:two",
        `SEQUENCE:${seq}`,
        `DTSTART:202612${"01"}T${hour}0000Z`,
        "DURATION:PT1H",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "END:VEVENT",
      ].join(CRLF);
    const bySequence = expandAll(cal(copy(1, "20260105T000000Z", "14"), copy(0, "20260109T000000Z", "10")));
    expect(starts(bySequence)).toEqual(["2026-12-01T14:00:00.000Z", "2026-12-08T14:00:00.000Z", "2026-12-15T14:00:00.000Z"]);
    expect(bySequence.warnings.join()).toMatch(/2 main events/);
    const byStamp = expandAll(cal(copy(2, "20260103T000000Z", "10"), copy(2, "20260104T000000Z", "16")));
    expect(starts(byStamp)).toEqual(["2026-12-01T16:00:00.000Z", "2026-12-08T16:00:00.000Z", "2026-12-15T16:00:00.000Z"]);
  });

  it("applies a RANGE=THISANDFUTURE override's shift and duration to it and every later occurrence, across DST — else all later occurrences vanished", () => {
    const ics = cal(
      tz("Europe/Berlin"),
      ev("UID:f", "DTSTART;TZID=Europe/Berlin:20261005T100000", "DTEND;TZID=Europe/Berlin:20261005T110000", "RRULE:FREQ=WEEKLY;COUNT=6"),
      ev(
        "UID:f",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20261019T100000",
        "DTSTART;TZID=Europe/Berlin:20261019T140000",
        "DTEND;TZID=Europe/Berlin:20261019T160000",
      ),
    );
    expect(spans(expandAll(ics))).toEqual([
      "2026-10-05T08:00:00.000Z/2026-10-05T09:00:00.000Z",
      "2026-10-12T08:00:00.000Z/2026-10-12T09:00:00.000Z",
      "2026-10-19T12:00:00.000Z/2026-10-19T14:00:00.000Z",
      "2026-10-26T13:00:00.000Z/2026-10-26T15:00:00.000Z", // 14:00 CET, after the clocks went back
      "2026-11-02T13:00:00.000Z/2026-11-02T15:00:00.000Z",
      "2026-11-09T13:00:00.000Z/2026-11-09T15:00:00.000Z",
    ]);
    const cancelledFromHere = cal(
      ev("UID:c", "DTSTART:20261005T100000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=4"),
      ev("UID:c", "RECURRENCE-ID;RANGE=THISANDFUTURE:20261019T100000Z", "STATUS:CANCELLED", "DTSTART:20261019T100000Z", "DURATION:PT1H"),
    );
    expect(starts(expandAll(cancelledFromHere))).toEqual(["2026-10-05T10:00:00.000Z", "2026-10-12T10:00:00.000Z"]);
  });

  it("keeps DTSTART as the first occurrence of an event with RDATE and no RRULE — else the first appointment did not block", () => {
    const ics = cal(ev("UID:r", "DTSTART:20261201T100000Z", "DURATION:PT1H", "RDATE:20261203T100000Z,20261210T100000Z"));
    expect(starts(expandAll(ics))).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-03T10:00:00.000Z", "2026-12-10T10:00:00.000Z"]);
  });

  it("takes the union of several RRULEs and RDATEs minus EXDATEs — else expansion stopped at the shorter rule's end", () => {
    const ics = cal(
      tz("Europe/Berlin"),
      ev(
        "UID:m",
        "DTSTART;TZID=Europe/Berlin:20261102T090000",
        "DURATION:PT1H",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4",
        "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=5",
        "EXDATE;TZID=Europe/Berlin:20261111T090000",
        "RDATE;TZID=Europe/Berlin:20261201T090000",
      ),
    );
    expect(starts(expandAll(ics))).toEqual(
      ["2026-11-02", "2026-11-05", "2026-11-08", "2026-11-09", "2026-11-14", "2026-11-16", "2026-11-23", "2026-12-01"].map((d) => `${d}T08:00:00.000Z`),
    );
  });

  it("counts DTSTART as the first of COUNT occurrences even when the rule would not produce it (RFC 5545 §3.3.10)", () => {
    const ics = cal(ev("UID:u", "DTSTART:20261102T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=3"));
    expect(starts(expandAll(ics))).toEqual(["2026-11-02T09:00:00.000Z", "2026-11-05T09:00:00.000Z", "2026-11-12T09:00:00.000Z"]);
  });

  it("reads a bare-date RECURRENCE-ID as a DATE, and drops only an override beyond repair — else the whole weekly all-day series was refused", () => {
    const master = ev("UID:a", "DTSTART;VALUE=DATE:20261102", "DTEND;VALUE=DATE:20261103", "RRULE:FREQ=WEEKLY;COUNT=4");
    const moved = ev("UID:a", "RECURRENCE-ID:20261109", "DTSTART;VALUE=DATE:20261110", "DTEND;VALUE=DATE:20261111");
    const lenient = expandAll(cal(master, moved));
    expect(starts(lenient)).toEqual(["2026-11-01T23:00:00.000Z", "2026-11-09T23:00:00.000Z", "2026-11-15T23:00:00.000Z", "2026-11-22T23:00:00.000Z"]);
    expect(parseCalendarObject(cal(master, moved)).warnings.join()).toMatch(/RECURRENCE-ID 2026-11-09 has no VALUE=DATE/);

    const broken = ev("UID:a", "RECURRENCE-ID:next-tuesday", "DTSTART;VALUE=DATE:20261117", "DTEND;VALUE=DATE:20261118");
    const noStart = ev("UID:a", "RECURRENCE-ID;VALUE=DATE:20261123", "SUMMARY:moved where?");
    const parsed = parseCalendarObject(cal(master, broken, noStart));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.warnings.join("\n")).toMatch(/dropped an override of a/);
    expect(starts(expandBusyIntervals(parsed, { from: new Date(window[0]), to: new Date(window[1]), fallbackZone: "Europe/Berlin" }))).toEqual([
      "2026-11-01T23:00:00.000Z",
      "2026-11-08T23:00:00.000Z",
      "2026-11-15T23:00:00.000Z",
      "2026-11-22T23:00:00.000Z",
    ]);
    // With its main event beyond repair there is no series left: the object is unreadable (and shown as skipped).
    expect(() => parseCalendarObject(cal(ev("UID:a", "DTSTART:someday", "RRULE:FREQ=WEEKLY"), moved))).toThrow(MalformedCalendarObjectError);
  });

  it("maps Windows zone names without a VTIMEZONE to IANA via CLDR — else they were read in the artist's zone, hours off", () => {
    const pacific = expandAll(cal(ev("UID:w1", "DTSTART;TZID=Pacific Standard Time:20261201T100000", "DURATION:PT1H")));
    expect(starts(pacific)).toEqual(["2026-12-01T18:00:00.000Z"]);
    expect(pacific.warnings).toEqual([]);
    const summer = expand(
      cal(ev("UID:w2", 'DTSTART;TZID="W. Europe Standard Time":20260701T100000', "DURATION:PT1H")),
      "2026-07-01T00:00:00Z",
      "2026-07-02T00:00:00Z",
      "America/Denver",
    );
    expect(starts(summer)).toEqual(["2026-07-01T08:00:00.000Z"]);
    // A UTC UNTIL on such a series still includes the last occurrence (10:00 CEST = 08:00Z) after the March change.
    const series = expand(
      cal(ev("UID:w3", "DTSTART;TZID=W. Europe Standard Time:20260316T100000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;UNTIL=20260330T080000Z")),
      "2026-03-01T00:00:00Z",
      "2026-05-01T00:00:00Z",
    );
    expect(starts(series)).toEqual(["2026-03-16T09:00:00.000Z", "2026-03-23T09:00:00.000Z", "2026-03-30T08:00:00.000Z"]);
    const unknown = expandAll(cal(ev("UID:w4", "DTSTART;TZID=Atlantis Standard Time:20261201T100000", "DURATION:PT1H")));
    expect(starts(unknown)).toEqual(["2026-12-01T09:00:00.000Z"]);
    expect(unknown.warnings.join()).toMatch(/unknown time zone "Atlantis Standard Time" read as Europe\/Berlin/);
  });

  it("decides the ambiguous ones so the artist's time stays blocked: swapped ends, DATE + hours, mixed DATE/DATE-TIME", () => {
    const swapped = expandAll(cal(ev("UID:s", "DTSTART:20261201T110000Z", "DTEND:20261201T100000Z")));
    expect(spans(swapped)).toEqual(["2026-12-01T10:00:00.000Z/2026-12-01T11:00:00.000Z"]);
    expect(swapped.warnings.join()).toMatch(/end before its start/);
    expect(spans(expandAll(cal(ev("UID:d1", "DTSTART;VALUE=DATE:20261201", "DURATION:PT4H"))))).toEqual(["2026-11-30T23:00:00.000Z/2026-12-01T23:00:00.000Z"]);
    expect(spans(expandAll(cal(ev("UID:d2", "DTSTART;VALUE=DATE:20261201", "DURATION:PT25H"))))).toEqual(["2026-11-30T23:00:00.000Z/2026-12-02T23:00:00.000Z"]);
    expect(spans(expandAll(cal(ev("UID:x1", "DTSTART;VALUE=DATE:20261201", "DTEND:20261201T120000Z"))))).toEqual([
      "2026-11-30T23:00:00.000Z/2026-12-01T12:00:00.000Z",
    ]);
    expect(spans(expandAll(cal(ev("UID:x2", "DTSTART:20261201T150000Z", "DTEND;VALUE=DATE:20261202"))))).toEqual([
      "2026-12-01T15:00:00.000Z/2026-12-01T23:00:00.000Z",
    ]);
  });
});
