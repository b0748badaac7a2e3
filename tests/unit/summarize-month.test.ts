import { describe, expect, it } from "vitest";
import { findSlots, type SlotRules, type WeeklyHours } from "@/lib/availability/find-slots";
import { addMonths, monthAvailabilityRange, monthGrid, summarizeMonth, type MonthSummary } from "@/lib/availability/summarize-month";

const BERLIN = "Europe/Berlin";
const TOKYO = "Asia/Tokyo";

const tueToSat = (startTime: string, endTime: string): WeeklyHours[] =>
  [2, 3, 4, 5, 6].map((weekday) => ({ effectiveFrom: "2020-01-01", weekday, startTime, endTime }));

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  bookingWindowDays: 90,
  slotStepMinutes: 60,
  ...overrides,
});

/** The free slots the loader would answer for a month's range: the schedule minus what is booked. */
function freeSlots(month: string, hours: WeeklyHours[], r: SlotRules, now: Date, blocked: { start: Date; end: Date }[] = []) {
  const { from, to } = monthAvailabilityRange(month);
  return findSlots({ timezone: BERLIN, fromDate: from, toDate: to, now, hours, rules: r, blocked }).map((s) => ({ start: s.start.toISOString() }));
}

const day = (summary: MonthSummary, date: string) => {
  const found = summary.weeks.flat().find((d) => d.date === date);
  if (!found) throw new Error(`${date} is not in the grid of ${summary.month}`);
  return found;
};

describe("month grid", () => {
  it("covers whole Monday-first weeks, so the calendar never starts a month on the wrong weekday", () => {
    expect(monthGrid("2026-12")).toEqual({ first: "2026-11-30", last: "2027-01-03" });
    expect(monthGrid("2026-10")).toEqual({ first: "2026-09-28", last: "2026-11-01" });
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2027-01", -1)).toBe("2026-12");
  });

  it("asks availability for at most 62 days, so one call of the availability loader covers a month in any zone", () => {
    for (const month of ["2026-02", "2026-03", "2026-08", "2027-05"]) {
      const { from, to } = monthAvailabilityRange(month);
      const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
      expect(span).toBeLessThan(62);
    }
  });
});

describe("summarizeMonth", () => {
  it("explains every day of December in Berlin: past, too soon for a week's notice, closed on Sunday and Monday, fully booked, free, beyond the window", () => {
    const now = new Date("2026-12-02T09:00:00Z"); // Wed 2 Dec, 10:00 in Berlin
    const hours = tueToSat("10:00", "18:00");
    const r = rules({ minNoticeMinutes: 7 * 24 * 60, bookingWindowDays: 14 });
    // Everything on Thu 10 Dec is booked; Wed 9 Dec keeps two free times.
    const all = freeSlots("2026-12", hours, r, now);
    const slots = all.filter(
      (s) => !s.start.startsWith("2026-12-10") && (!s.start.startsWith("2026-12-09") || ["T09:00", "T13:00"].includes(s.start.slice(10, 16))),
    );

    const summary = summarizeMonth({ month: "2026-12", displayZone: BERLIN, studioZone: BERLIN, now, hours, rules: r, slots });

    expect(day(summary, "2026-11-30")).toMatchObject({ inMonth: false, state: "past" });
    expect(day(summary, "2026-12-01").state).toBe("past");
    expect(day(summary, "2026-12-02").state).toBe("too_soon"); // today
    expect(day(summary, "2026-12-08").state).toBe("too_soon"); // Tuesday, less than 7 days ahead
    expect(day(summary, "2026-12-06").state).toBe("closed"); // Sunday
    expect(day(summary, "2026-12-07").state).toBe("closed"); // Monday
    expect(day(summary, "2026-12-09")).toMatchObject({ state: "free", freeCount: 2 });
    expect(day(summary, "2026-12-10")).toMatchObject({ state: "fully_booked", freeCount: 0 });
    expect(day(summary, "2026-12-11").state).toBe("free");
    // The window ends 14 days after now (Wed 16 Dec 10:00 Berlin): the 10:00 start still counts, Thursday does not.
    expect(day(summary, "2026-12-16").state).toBe("free");
    expect(day(summary, "2026-12-16").freeCount).toBe(1);
    expect(day(summary, "2026-12-17").state).toBe("beyond_window");
    expect(day(summary, "2026-12-20").state).toBe("closed");
    expect(summary.firstFreeDate).toBe("2026-12-09");
    expect(summary.weeks).toHaveLength(5);
    for (const week of summary.weeks) expect(week).toHaveLength(7);
  });

  it("shows a day of the artist's time off as closed, and a day half off with the rest booked as fully booked", () => {
    const now = new Date("2026-12-02T09:00:00Z");
    const hours = tueToSat("10:00", "18:00");
    const r = rules();
    // Fri 11 Dec off all day; Sat 12 Dec off until 14:00 and the afternoon booked.
    const timeOff = [
      { start: "2026-12-11T00:00:00+01:00", end: "2026-12-12T00:00:00+01:00" },
      { start: "2026-12-12T00:00:00+01:00", end: "2026-12-12T14:00:00+01:00" },
    ];
    const blocked = [...timeOff, { start: "2026-12-12T14:00:00+01:00", end: "2026-12-12T18:00:00+01:00" }].map((t) => ({
      start: new Date(t.start),
      end: new Date(t.end),
    }));
    const slots = freeSlots("2026-12", hours, r, now, blocked);

    const summary = summarizeMonth({ month: "2026-12", displayZone: BERLIN, studioZone: BERLIN, now, hours, rules: r, slots, timeOff });

    expect(day(summary, "2026-12-11")).toMatchObject({ state: "closed", freeCount: 0 });
    expect(day(summary, "2026-12-12")).toMatchObject({ state: "fully_booked", freeCount: 0 });
    expect(day(summary, "2026-12-10").state).toBe("free");
    // Without the time off passed in, the same day can only be explained as fully booked.
    const unaware = summarizeMonth({ month: "2026-12", displayZone: BERLIN, studioZone: BERLIN, now, hours, rules: r, slots });
    expect(day(unaware, "2026-12-11").state).toBe("fully_booked");
  });

  it("counts the day the clocks go back (Berlin, 25 October) as one day with its usual times, neither split nor doubled", () => {
    const now = new Date("2026-09-30T12:00:00Z");
    const hours: WeeklyHours[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ effectiveFrom: "2020-01-01", weekday, startTime: "10:00", endTime: "18:00" }));
    const r = rules();
    const blocked = [{ start: new Date("2026-10-22T00:00:00+02:00"), end: new Date("2026-10-23T00:00:00+02:00") }];
    const slots = freeSlots("2026-10", hours, r, now, blocked);

    const summary = summarizeMonth({ month: "2026-10", displayZone: BERLIN, studioZone: BERLIN, now, hours, rules: r, slots });

    expect(day(summary, "2026-10-24")).toMatchObject({ state: "free", freeCount: 8 });
    expect(day(summary, "2026-10-25")).toMatchObject({ state: "free", freeCount: 8 });
    expect(day(summary, "2026-10-26")).toMatchObject({ state: "free", freeCount: 8 });
    expect(day(summary, "2026-10-22")).toMatchObject({ state: "fully_booked", freeCount: 0 });
    expect(day(summary, "2026-09-29").state).toBe("past");
    expect(summary.firstFreeDate).toBe("2026-10-01");
    const inMonth = summary.weeks.flat().filter((d) => d.inMonth);
    expect(inMonth).toHaveLength(31);
    expect(inMonth.filter((d) => d.state === "free")).toHaveLength(30);
  });

  it("a visitor reading Tokyo time sees Berlin evening times on the next Tokyo day, and the day boundary moves by an hour when Berlin leaves summer time", () => {
    const now = new Date("2026-09-30T12:00:00Z");
    const hours = tueToSat("16:00", "22:00"); // starts 16:00 … 21:00 Berlin
    const r = rules();
    const slots = freeSlots("2026-10", hours, r, now);

    const summary = summarizeMonth({ month: "2026-10", displayZone: TOKYO, studioZone: BERLIN, now, hours, rules: r, slots });

    // Summer time (Tokyo = Berlin + 7 h): 16:00 Berlin is 23:00 the same Tokyo day, 17:00–21:00 fall on the next.
    expect(day(summary, "2026-10-13")).toMatchObject({ state: "free", freeCount: 1 }); // Tue: only Tuesday 16:00 Berlin
    expect(day(summary, "2026-10-14")).toMatchObject({ state: "free", freeCount: 6 }); // Wed: Tue 17–21 + Wed 16:00
    expect(day(summary, "2026-10-18")).toMatchObject({ state: "free", freeCount: 5 }); // Sun: Saturday evening in Berlin
    expect(day(summary, "2026-10-19").state).toBe("closed"); // Mon: Berlin Sunday and Monday are closed
    // Winter time (Tokyo = Berlin + 8 h): every start moves to the next Tokyo day.
    expect(day(summary, "2026-10-27").state).toBe("closed"); // Tue
    expect(day(summary, "2026-10-28")).toMatchObject({ state: "free", freeCount: 6 }); // Wed: all of Berlin Tuesday
    expect(day(summary, "2026-11-01")).toMatchObject({ inMonth: false, state: "free", freeCount: 6 });

    // The same slots read in Berlin: Tuesday to Saturday, six each.
    const berlin = summarizeMonth({ month: "2026-10", displayZone: BERLIN, studioZone: BERLIN, now, hours, rules: r, slots });
    expect(day(berlin, "2026-10-13")).toMatchObject({ state: "free", freeCount: 6 });
    expect(day(berlin, "2026-10-18").state).toBe("closed");
    expect(day(berlin, "2026-10-27")).toMatchObject({ state: "free", freeCount: 6 });
    expect(berlin.firstFreeDate).toBe("2026-10-01"); // Thursday
    expect(summary.firstFreeDate).toBe("2026-10-01");
  });

  it("a month wholly beyond the booking window has no first free day and says so for each open day", () => {
    const now = new Date("2026-12-02T09:00:00Z");
    const hours = tueToSat("10:00", "18:00");
    const r = rules({ bookingWindowDays: 30 });
    const summary = summarizeMonth({ month: "2027-02", displayZone: BERLIN, studioZone: BERLIN, now, hours, rules: r, slots: [] });
    expect(summary.firstFreeDate).toBeNull();
    expect(day(summary, "2027-02-02").state).toBe("beyond_window");
    expect(day(summary, "2027-02-07").state).toBe("closed");
  });

  it("ignores a stale slot from before today, so yesterday is never offered", () => {
    const now = new Date("2026-12-02T09:00:00Z");
    const hours = tueToSat("10:00", "18:00");
    const summary = summarizeMonth({
      month: "2026-12",
      displayZone: BERLIN,
      studioZone: BERLIN,
      now,
      hours,
      rules: rules(),
      slots: [{ start: "2026-12-01T09:00:00.000Z" }, { start: "2026-12-03T09:00:00.000Z" }],
    });
    expect(day(summary, "2026-12-01").state).toBe("past");
    expect(summary.firstFreeDate).toBe("2026-12-03");
  });
});
