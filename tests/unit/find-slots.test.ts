import { describe, expect, it } from "vitest";
import { formatInTimeZone } from "date-fns-tz";
import {
  findSlots,
  localDatesBetween,
  nearestSlots,
  scheduleForDate,
  type BlockedInterval,
  type FindSlotsInput,
  type Slot,
  type SlotRules,
  type WeeklyHours,
} from "@/lib/availability/find-slots";

const DENVER = "America/Denver";
const BERLIN = "Europe/Berlin";

function everyDay(effectiveFrom: string, startTime: string, endTime: string): WeeklyHours[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ effectiveFrom, weekday, startTime, endTime }));
}

function rules(overrides: Partial<SlotRules> = {}): SlotRules {
  return {
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minNoticeMinutes: 0,
    bookingWindowDays: 400,
    slotStepMinutes: 30,
    ...overrides,
  };
}

function input(overrides: Partial<FindSlotsInput>): FindSlotsInput {
  return {
    timezone: "UTC",
    fromDate: "2026-06-15",
    toDate: "2026-06-15",
    now: new Date("2026-01-01T00:00:00Z"),
    hours: everyDay("2020-01-01", "09:00", "17:00"),
    rules: rules(),
    blocked: [],
    ...overrides,
  };
}

const isoStarts = (slots: Slot[]) => slots.map((slot) => slot.start.toISOString());
// date-fns-tz is an independent implementation, so it cross-checks our own zone conversion.
const wallStarts = (slots: Slot[], timezone: string) => slots.map((slot) => formatInTimeZone(slot.start, timezone, "HH:mm"));
const utc = (iso: string) => new Date(iso);
const block = (start: string, end: string): BlockedInterval => ({ start: utc(start), end: utc(end) });

describe("findSlots on a plain day", () => {
  it("offers exactly the hourly starts from 09:00 to 16:00 every 30 minutes in Berlin summer — customers would see missing or impossible times otherwise", () => {
    const slots = findSlots(input({ timezone: BERLIN }));
    expect(isoStarts(slots)).toEqual([
      "2026-06-15T07:00:00.000Z",
      "2026-06-15T07:30:00.000Z",
      "2026-06-15T08:00:00.000Z",
      "2026-06-15T08:30:00.000Z",
      "2026-06-15T09:00:00.000Z",
      "2026-06-15T09:30:00.000Z",
      "2026-06-15T10:00:00.000Z",
      "2026-06-15T10:30:00.000Z",
      "2026-06-15T11:00:00.000Z",
      "2026-06-15T11:30:00.000Z",
      "2026-06-15T12:00:00.000Z",
      "2026-06-15T12:30:00.000Z",
      "2026-06-15T13:00:00.000Z",
      "2026-06-15T13:30:00.000Z",
      "2026-06-15T14:00:00.000Z",
    ]);
    expect(slots.map((slot) => slot.end.getTime() - slot.start.getTime())).toEqual(Array(15).fill(60 * 60_000));
  });

  it.each([
    { zone: DENVER, date: "2026-07-15", expected: "2026-07-15T15:00:00.000Z" },
    { zone: DENVER, date: "2026-01-15", expected: "2026-01-15T16:00:00.000Z" },
    { zone: BERLIN, date: "2026-07-15", expected: "2026-07-15T07:00:00.000Z" },
    { zone: BERLIN, date: "2026-01-15", expected: "2026-01-15T08:00:00.000Z" },
  ])("puts 09:00 in $zone on $date at $expected — customers would turn up an hour early or late otherwise", ({ zone, date, expected }) => {
    const slots = findSlots(input({ timezone: zone, fromDate: date, toDate: date }));
    expect(slots[0]?.start.toISOString()).toBe(expected);
  });

  it("files slots under the artist's local day even when that is the previous UTC day — Berlin's early-morning hours would vanish from the calendar otherwise", () => {
    const slots = findSlots(input({ timezone: BERLIN, fromDate: "2026-01-15", toDate: "2026-01-15", hours: everyDay("2020-01-01", "00:00", "02:00") }));
    expect(isoStarts(slots)).toEqual(["2026-01-14T23:00:00.000Z", "2026-01-14T23:30:00.000Z", "2026-01-15T00:00:00.000Z"]);
  });
});

type DstCase = {
  name: string;
  zone: string;
  date: string;
  rangeEnd: string;
  expectedIso: string[];
  expectedWall: string[];
};

// Hours 00:00–06:00 straddle every transition; 60-minute service on a 30-minute grid.
const dstCases: DstCase[] = [
  {
    name: "Denver spring-forward (02:00 → 03:00)",
    zone: DENVER,
    date: "2026-03-08",
    rangeEnd: "2026-03-08T12:00:00.000Z",
    expectedIso: [
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T07:30:00.000Z",
      "2026-03-08T08:00:00.000Z",
      "2026-03-08T08:30:00.000Z",
      "2026-03-08T09:00:00.000Z",
      "2026-03-08T09:30:00.000Z",
      "2026-03-08T10:00:00.000Z",
      "2026-03-08T10:30:00.000Z",
      "2026-03-08T11:00:00.000Z",
    ],
    expectedWall: ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00"],
  },
  {
    name: "Denver fall-back (02:00 → 01:00)",
    zone: DENVER,
    date: "2026-11-01",
    rangeEnd: "2026-11-01T13:00:00.000Z",
    expectedIso: [
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T06:30:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T07:30:00.000Z",
      "2026-11-01T09:00:00.000Z",
      "2026-11-01T09:30:00.000Z",
      "2026-11-01T10:00:00.000Z",
      "2026-11-01T10:30:00.000Z",
      "2026-11-01T11:00:00.000Z",
      "2026-11-01T11:30:00.000Z",
      "2026-11-01T12:00:00.000Z",
    ],
    expectedWall: ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30", "05:00"],
  },
  {
    name: "Berlin spring-forward (02:00 → 03:00)",
    zone: BERLIN,
    date: "2026-03-29",
    rangeEnd: "2026-03-29T04:00:00.000Z",
    expectedIso: [
      "2026-03-28T23:00:00.000Z",
      "2026-03-28T23:30:00.000Z",
      "2026-03-29T00:00:00.000Z",
      "2026-03-29T00:30:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-03-29T02:00:00.000Z",
      "2026-03-29T02:30:00.000Z",
      "2026-03-29T03:00:00.000Z",
    ],
    expectedWall: ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00"],
  },
  {
    name: "Berlin fall-back (03:00 → 02:00)",
    zone: BERLIN,
    date: "2026-10-25",
    rangeEnd: "2026-10-25T05:00:00.000Z",
    expectedIso: [
      "2026-10-24T22:00:00.000Z",
      "2026-10-24T22:30:00.000Z",
      "2026-10-24T23:00:00.000Z",
      "2026-10-24T23:30:00.000Z",
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T02:00:00.000Z",
      "2026-10-25T02:30:00.000Z",
      "2026-10-25T03:00:00.000Z",
      "2026-10-25T03:30:00.000Z",
      "2026-10-25T04:00:00.000Z",
    ],
    expectedWall: ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30", "05:00"],
  },
];

function dstSlots(dstCase: DstCase): Slot[] {
  return findSlots(
    input({
      timezone: dstCase.zone,
      fromDate: dstCase.date,
      toDate: dstCase.date,
      hours: everyDay("2020-01-01", "00:00", "06:00"),
    }),
  );
}

describe("findSlots across daylight-saving transitions", () => {
  it("offers no slot inside the missing spring-forward hour in Denver — a customer could book a time that does not exist", () => {
    const [denverSpring] = dstCases;
    const slots = dstSlots(denverSpring as DstCase);
    expect(wallStarts(slots, DENVER).filter((wall) => wall.startsWith("02:"))).toEqual([]);
    expect(isoStarts(slots)).toEqual(denverSpring?.expectedIso);
  });

  it("offers no slot inside the missing spring-forward hour in Berlin — a customer could book a time that does not exist", () => {
    const berlinSpring = dstCases[2] as DstCase;
    const slots = dstSlots(berlinSpring);
    expect(wallStarts(slots, BERLIN).filter((wall) => wall.startsWith("02:"))).toEqual([]);
    expect(isoStarts(slots)).toEqual(berlinSpring.expectedIso);
  });

  it("lists 01:00 and 01:30 only once, at the first (MDT) occurrence, on the Denver fall-back night — the artist could be double-booked for the same wall-clock time", () => {
    const denverFall = dstCases[1] as DstCase;
    const slots = dstSlots(denverFall);
    expect(isoStarts(slots)).toEqual(denverFall.expectedIso);
    expect(formatInTimeZone(utc("2026-11-01T07:30:00Z"), DENVER, "HH:mm xxx")).toBe("01:30 -06:00");
  });

  it("lists 02:00 and 02:30 only once, at the first (CEST) occurrence, on the Berlin fall-back night — the artist could be double-booked for the same wall-clock time", () => {
    const berlinFall = dstCases[3] as DstCase;
    const slots = dstSlots(berlinFall);
    expect(isoStarts(slots)).toEqual(berlinFall.expectedIso);
    expect(formatInTimeZone(utc("2026-10-25T00:30:00Z"), BERLIN, "HH:mm xxx")).toBe("02:30 +02:00");
  });

  it.each(dstCases)(
    "keeps $name slots on unique, existing wall-clock times, exactly 60 real minutes long and inside the working hours — customers would get shortened, lengthened or after-hours appointments",
    (dstCase) => {
      const slots = dstSlots(dstCase);
      expect(wallStarts(slots, dstCase.zone)).toEqual(dstCase.expectedWall);
      expect(new Set(wallStarts(slots, dstCase.zone)).size).toBe(slots.length);
      for (const slot of slots) {
        expect(slot.end.getTime() - slot.start.getTime()).toBe(60 * 60_000);
        expect(slot.end.getTime()).toBeLessThanOrEqual(utc(dstCase.rangeEnd).getTime());
      }
      expect(slots.at(-1)?.end.toISOString()).toBe(dstCase.rangeEnd);
    },
  );

  it("skips a grid time in the missing hour instead of shifting it an hour later — customers would see an off-grid 03:15 start", () => {
    const slots = findSlots(
      input({
        timezone: DENVER,
        fromDate: "2026-03-08",
        toDate: "2026-03-08",
        hours: everyDay("2020-01-01", "01:30", "04:30"),
        rules: rules({ durationMinutes: 30, slotStepMinutes: 45 }),
      }),
    );
    // Grid: 01:30, 02:15 (does not exist), 03:00, 03:45.
    expect(wallStarts(slots, DENVER)).toEqual(["01:30", "03:00", "03:45"]);
    expect(isoStarts(slots)).toEqual(["2026-03-08T08:30:00.000Z", "2026-03-08T09:00:00.000Z", "2026-03-08T09:45:00.000Z"]);
  });

  it("ends a shift that stops inside the missing hour at the moment the clocks jump — the artist would be booked past their hours or lose a bookable slot", () => {
    const slots = findSlots(input({ timezone: DENVER, fromDate: "2026-03-08", toDate: "2026-03-08", hours: everyDay("2020-01-01", "00:00", "02:30") }));
    // 01:00 MST + 60 real minutes = 03:00 MDT, exactly when 02:00 became 03:00.
    expect(isoStarts(slots)).toEqual(["2026-03-08T07:00:00.000Z", "2026-03-08T07:30:00.000Z", "2026-03-08T08:00:00.000Z"]);
  });

  it("lets a service run 90 real minutes across the Berlin fall-back hour — the appointment would be cut short or overrun otherwise", () => {
    const slots = findSlots(
      input({
        timezone: BERLIN,
        fromDate: "2026-10-25",
        toDate: "2026-10-25",
        hours: everyDay("2020-01-01", "02:30", "03:00"),
        rules: rules({ durationMinutes: 90 }),
      }),
    );
    // 02:30 CEST (00:30Z) + 90 min = 02:00Z = 03:00 CET: the range end, so it just fits.
    expect(slots.map((slot) => [slot.start.toISOString(), slot.end.toISOString()])).toEqual([["2026-10-25T00:30:00.000Z", "2026-10-25T02:00:00.000Z"]]);
  });
});

describe("findSlots with buffers and blocked time", () => {
  const morning = everyDay("2020-01-01", "09:00", "12:00");
  const hourly = (overrides: Partial<SlotRules>) => rules({ slotStepMinutes: 60, ...overrides });
  const booking = block("2026-06-15T10:00:00Z", "2026-06-15T11:00:00Z");

  it("offers slots that only touch an existing booking — back-to-back appointments would be refused", () => {
    const slots = findSlots(input({ hours: morning, rules: hourly({}), blocked: [booking] }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z", "2026-06-15T11:00:00.000Z"]);
  });

  it("drops a slot whose after-buffer reaches into the next booking — the artist would get no clean-up time", () => {
    const slots = findSlots(input({ hours: morning, rules: hourly({ bufferAfterMinutes: 15 }), blocked: [booking] }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T11:00:00.000Z"]);
  });

  it("drops a slot whose before-buffer reaches back into the previous booking — the artist would get no set-up time", () => {
    const slots = findSlots(input({ hours: morning, rules: hourly({ bufferBeforeMinutes: 15 }), blocked: [booking] }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z"]);
  });

  it("keeps a slot whose buffer ends exactly where a booking starts — usable time would be wasted", () => {
    const laterBooking = block("2026-06-15T10:30:00Z", "2026-06-15T11:00:00Z");
    const slots = findSlots(input({ hours: morning, rules: hourly({ bufferAfterMinutes: 30 }), blocked: [laterBooking] }));
    // 11:00 + 60 min + 30 min buffer = 12:30 which no booking reaches; 10:00 overlaps the booking itself.
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z", "2026-06-15T11:00:00.000Z"]);
  });

  it("blocks slots under a long busy block even when a shorter one starts later — a customer could book over the artist's day off", () => {
    const slots = findSlots(
      input({
        hours: everyDay("2020-01-01", "09:00", "14:00"),
        rules: hourly({}),
        blocked: [block("2026-06-15T10:30:00Z", "2026-06-15T10:40:00Z"), block("2026-06-15T07:00:00Z", "2026-06-15T11:30:00Z")],
      }),
    );
    expect(isoStarts(slots)).toEqual(["2026-06-15T12:00:00.000Z", "2026-06-15T13:00:00.000Z"]);
  });

  it("ignores busy time on other days and empty intervals — whole days would go unbookable", () => {
    const slots = findSlots(
      input({
        hours: morning,
        rules: hourly({}),
        blocked: [block("2026-06-14T09:00:00Z", "2026-06-14T12:00:00Z"), block("2026-06-15T09:30:00Z", "2026-06-15T09:30:00Z")],
      }),
    );
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z", "2026-06-15T10:00:00.000Z", "2026-06-15T11:00:00.000Z"]);
  });

  it("agrees with a brute-force overlap check over 28 days and 3000 busy blocks — a faster lookup must never let a double booking through", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    // Spread over 280 days so roughly a tenth land in the 28-day window, as with a real booking history;
    // every 50th lasts up to two days to catch long blocks hidden behind shorter, later ones.
    const historyStart = utc("2026-01-01T00:00:00Z").getTime();
    const blocked: BlockedInterval[] = Array.from({ length: 3000 }, (_, i) => {
      const start = historyStart + Math.floor(random() * 280 * 96) * 15 * 60_000;
      const minutes = i % 50 === 0 ? 60 + Math.floor(random() * 2 * 24 * 60) : 5 + Math.floor(random() * 240);
      return { start: new Date(start), end: new Date(start + minutes * 60_000) };
    });
    const base = input({
      timezone: DENVER,
      fromDate: "2026-06-01",
      toDate: "2026-06-28",
      hours: everyDay("2020-01-01", "08:00", "20:00"),
      rules: rules({ slotStepMinutes: 15, bufferBeforeMinutes: 10, bufferAfterMinutes: 20 }),
    });
    const unblocked = findSlots(base);
    const expected = unblocked.filter((slot) => {
      const spanStart = slot.start.getTime() - 10 * 60_000;
      const spanEnd = slot.end.getTime() + 20 * 60_000;
      return !blocked.some((b) => spanStart < b.end.getTime() && b.start.getTime() < spanEnd);
    });
    const slots = findSlots({ ...base, blocked });
    expect(unblocked.length).toBe(28 * 45);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(unblocked.length);
    expect(isoStarts(slots)).toEqual(isoStarts(expected));
  });
});

describe("findSlots with notice, booking window and slot step", () => {
  it("hides slots starting sooner than the minimum notice — the artist could be booked with no time to prepare", () => {
    const slots = findSlots(input({ now: utc("2026-06-15T09:10:00Z"), rules: rules({ minNoticeMinutes: 120, slotStepMinutes: 60 }) }));
    expect(isoStarts(slots)).toEqual([
      "2026-06-15T12:00:00.000Z",
      "2026-06-15T13:00:00.000Z",
      "2026-06-15T14:00:00.000Z",
      "2026-06-15T15:00:00.000Z",
      "2026-06-15T16:00:00.000Z",
    ]);
  });

  it("still offers the slot starting exactly at the notice limit — a valid time would be hidden", () => {
    const slots = findSlots(input({ now: utc("2026-06-15T09:00:00Z"), rules: rules({ minNoticeMinutes: 120, slotStepMinutes: 60 }) }));
    expect(slots[0]?.start.toISOString()).toBe("2026-06-15T11:00:00.000Z");
    expect(slots).toHaveLength(6);
  });

  it("stops offering slots after the booking window, keeping the one exactly at its edge — customers could book further ahead than the studio allows", () => {
    const slots = findSlots(
      input({
        fromDate: "2026-06-15",
        toDate: "2026-06-20",
        now: utc("2026-06-15T12:00:00Z"),
        rules: rules({ bookingWindowDays: 2, slotStepMinutes: 60 }),
      }),
    );
    expect(slots[0]?.start.toISOString()).toBe("2026-06-15T12:00:00.000Z");
    expect(slots.at(-1)?.start.toISOString()).toBe("2026-06-17T12:00:00.000Z");
    expect(slots).toHaveLength(5 + 8 + 4);
  });

  it("uses the slot step for the grid: every 15 minutes vs every hour — customers would see too few or too many choices", () => {
    const twoHours = everyDay("2020-01-01", "09:00", "11:00");
    const fine = findSlots(input({ hours: twoHours, rules: rules({ slotStepMinutes: 15 }) }));
    const coarse = findSlots(input({ hours: twoHours, rules: rules({ slotStepMinutes: 60 }) }));
    expect(isoStarts(fine)).toEqual([
      "2026-06-15T09:00:00.000Z",
      "2026-06-15T09:15:00.000Z",
      "2026-06-15T09:30:00.000Z",
      "2026-06-15T09:45:00.000Z",
      "2026-06-15T10:00:00.000Z",
    ]);
    expect(isoStarts(coarse)).toEqual(["2026-06-15T09:00:00.000Z", "2026-06-15T10:00:00.000Z"]);
  });
});

describe("findSlots with schedules", () => {
  it("switches to new hours only from the date they take effect — changed hours would rewrite past days or start late", () => {
    const hours: WeeklyHours[] = [
      ...everyDay("2026-01-01", "09:00", "11:00"),
      // The new version drops Wednesday entirely: the artist stops working Wednesdays.
      ...[1, 2, 4, 5].map((weekday) => ({ effectiveFrom: "2026-06-17", weekday, startTime: "13:00:00", endTime: "15:00:00" })),
    ];
    const slots = findSlots(input({ fromDate: "2026-06-15", toDate: "2026-06-18", hours, rules: rules({ slotStepMinutes: 60 }) }));
    expect(isoStarts(slots)).toEqual([
      "2026-06-15T09:00:00.000Z",
      "2026-06-15T10:00:00.000Z",
      "2026-06-16T09:00:00.000Z",
      "2026-06-16T10:00:00.000Z",
      "2026-06-18T13:00:00.000Z",
      "2026-06-18T14:00:00.000Z",
    ]);
  });

  it("offers nothing before the first schedule version takes effect — customers could book an artist who has not started yet", () => {
    const slots = findSlots(
      input({
        fromDate: "2026-06-15",
        toDate: "2026-06-16",
        hours: everyDay("2026-06-16", "09:00", "11:00"),
        rules: rules({ slotStepMinutes: 60 }),
      }),
    );
    expect(isoStarts(slots)).toEqual(["2026-06-16T09:00:00.000Z", "2026-06-16T10:00:00.000Z"]);
  });

  it("offers both halves of a split shift but never the lunch break between them — customers could book the artist's break", () => {
    const hours: WeeklyHours[] = [
      { effectiveFrom: "2020-01-01", weekday: 1, startTime: "14:00", endTime: "16:00" },
      { effectiveFrom: "2020-01-01", weekday: 1, startTime: "09:00", endTime: "11:00" },
    ];
    const slots = findSlots(input({ hours, rules: rules({ durationMinutes: 90 }) }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z", "2026-06-15T09:30:00.000Z", "2026-06-15T14:00:00.000Z", "2026-06-15T14:30:00.000Z"]);
  });

  it("lists a start once when two ranges of the same day overlap — customers would see duplicate times", () => {
    const hours: WeeklyHours[] = [
      { effectiveFrom: "2020-01-01", weekday: 1, startTime: "09:00", endTime: "12:00" },
      { effectiveFrom: "2020-01-01", weekday: 1, startTime: "11:00", endTime: "13:00" },
    ];
    const slots = findSlots(input({ hours, rules: rules({ slotStepMinutes: 60 }) }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z", "2026-06-15T10:00:00.000Z", "2026-06-15T11:00:00.000Z", "2026-06-15T12:00:00.000Z"]);
  });

  it("offers nothing on weekdays without hours — customers could book the artist on a day off", () => {
    const mondaysOnly: WeeklyHours[] = [{ effectiveFrom: "2020-01-01", weekday: 1, startTime: "09:00", endTime: "10:00" }];
    const slots = findSlots(input({ fromDate: "2026-06-14", toDate: "2026-06-21", hours: mondaysOnly }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T09:00:00.000Z"]);
  });

  it("treats an end time of 24:00 as midnight — an artist working until midnight would lose their last slot or break the page", () => {
    const hours: WeeklyHours[] = [{ effectiveFrom: "2020-01-01", weekday: 1, startTime: "22:00:00", endTime: "24:00:00" }];
    const slots = findSlots(input({ timezone: BERLIN, hours, rules: rules({ slotStepMinutes: 60 }) }));
    expect(isoStarts(slots)).toEqual(["2026-06-15T20:00:00.000Z", "2026-06-15T21:00:00.000Z"]);
  });

  it("scheduleForDate returns only the in-force version's rows for that weekday — availability would mix old and new hours", () => {
    const oldMonday = { effectiveFrom: "2026-01-01", weekday: 1, startTime: "09:00", endTime: "17:00" };
    const newMondayLate = { effectiveFrom: "2026-06-01", weekday: 1, startTime: "14:00", endTime: "18:00" };
    const newMondayEarly = { effectiveFrom: "2026-06-01", weekday: 1, startTime: "08:00", endTime: "12:00" };
    const newTuesday = { effectiveFrom: "2026-06-01", weekday: 2, startTime: "10:00", endTime: "12:00" };
    const hours = [oldMonday, newMondayLate, newTuesday, newMondayEarly];
    expect(scheduleForDate(hours, "2026-05-25")).toEqual([oldMonday]);
    expect(scheduleForDate(hours, "2026-06-01")).toEqual([newMondayEarly, newMondayLate]);
    expect(scheduleForDate(hours, "2026-06-03")).toEqual([]);
    expect(scheduleForDate(hours, "2025-12-29")).toEqual([]);
  });
});

describe("date and nearest-slot helpers", () => {
  it("localDatesBetween walks across month ends and DST dates one local day at a time — days would be skipped or repeated in the calendar", () => {
    expect(localDatesBetween("2026-02-27", "2026-03-02")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(localDatesBetween("2026-10-24", "2026-10-26")).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
    expect(localDatesBetween("2026-06-15", "2026-06-15")).toEqual(["2026-06-15"]);
  });

  const at = (hour: number): Slot => ({
    start: new Date(Date.UTC(2026, 5, 15, hour)),
    end: new Date(Date.UTC(2026, 5, 15, hour + 1)),
  });

  it("nearestSlots suggests the closest alternatives in time order — a customer whose time is gone would be offered far-off times", () => {
    const slots = [at(13), at(9), at(11), at(12), at(10)];
    const nearest = nearestSlots(slots, utc("2026-06-15T11:20:00Z"), 3);
    expect(isoStarts(nearest)).toEqual(["2026-06-15T10:00:00.000Z", "2026-06-15T11:00:00.000Z", "2026-06-15T12:00:00.000Z"]);
  });

  it("nearestSlots prefers the earlier slot on a tie and copes with small or zero counts — suggestions would flicker or crash", () => {
    const slots = [at(9), at(10), at(11)];
    expect(isoStarts(nearestSlots(slots, utc("2026-06-15T10:30:00Z"), 1))).toEqual(["2026-06-15T10:00:00.000Z"]);
    expect(isoStarts(nearestSlots(slots, utc("2026-06-15T10:30:00Z"), 10))).toEqual([
      "2026-06-15T09:00:00.000Z",
      "2026-06-15T10:00:00.000Z",
      "2026-06-15T11:00:00.000Z",
    ]);
    expect(nearestSlots(slots, utc("2026-06-15T10:30:00Z"), 0)).toEqual([]);
  });
});

describe("findSlots input guards", () => {
  it("rejects an unknown time zone — slots would silently be computed in the wrong zone", () => {
    expect(() => findSlots(input({ timezone: "Mars/Olympus_Mons" }))).toThrow(RangeError);
    expect(() => findSlots(input({ timezone: "Mars/Olympus_Mons" }))).toThrow(/time zone/);
  });

  it("rejects a date range that runs backwards — a bad request would show an empty calendar instead of an error", () => {
    expect(() => findSlots(input({ fromDate: "2026-06-16", toDate: "2026-06-15" }))).toThrow(RangeError);
    expect(() => findSlots(input({ fromDate: "2026-02-30", toDate: "2026-03-01" }))).toThrow(/yyyy-MM-dd/);
  });

  it("rejects a zero slot step — the slot search would never finish", () => {
    expect(() => findSlots(input({ rules: rules({ slotStepMinutes: 0 }) }))).toThrow(RangeError);
    expect(() => findSlots(input({ rules: rules({ slotStepMinutes: -15 }) }))).toThrow(/slotStepMinutes/);
  });

  it("rejects a busy block that ends before it starts — guessing its meaning could allow a double booking", () => {
    const inverted = block("2026-06-15T11:00:00Z", "2026-06-15T10:00:00Z");
    expect(() => findSlots(input({ blocked: [inverted] }))).toThrow(RangeError);
  });
});
