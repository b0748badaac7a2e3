import { describe, expect, it } from "vitest";
import { formatInTimeZone } from "date-fns-tz";
import { findSlots, offersStart, type FindSlotsInput, type ResourceNeed, type SlotRules, type WeeklyHours } from "@/lib/availability/find-slots";

const BERLIN = "Europe/Berlin";
const NOW = new Date("2026-01-01T00:00:00Z");

const everyDay = (startTime: string, endTime: string): WeeklyHours[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ effectiveFrom: "2020-01-01", weekday, startTime, endTime }));

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  bookingWindowDays: 400,
  slotStepMinutes: 60,
  ...overrides,
});

const span = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const room = (id: string, blocked: { start: Date; end: Date }[], cleanupMinutes = 0) => ({ id, cleanupMinutes, blocked });

function slotsOn(date: string, overrides: Partial<FindSlotsInput>) {
  return findSlots({ timezone: BERLIN, fromDate: date, toDate: date, now: NOW, hours: everyDay("00:00", "06:00"), rules: rules(), blocked: [], ...overrides });
}
const localStarts = (slots: { start: Date }[]) => slots.map((s) => formatInTimeZone(s.start, BERLIN, "HH:mmXXX"));

describe("availability intersected with rooms and stations", () => {
  it("offers a start on the spring-forward night only where a room is free — a customer would otherwise be sold the hour the clocks skip into a busy room", async () => {
    // 2026-03-29: 02:00 does not exist in Berlin. The one room is taken 03:00–04:00 CEST (01:00–02:00Z).
    const resources: ResourceNeed[] = [{ kind: "room", options: [room("r1", [span("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")])] }];
    const slots = slotsOn("2026-03-29", { resources });
    expect(localStarts(slots)).toEqual(["00:00+01:00", "01:00+01:00", "04:00+02:00", "05:00+02:00"]);
    // Without the room need the artist alone decides: 03:00 is offered.
    expect(localStarts(slotsOn("2026-03-29", {}))).toContain("03:00+02:00");
  });

  it("counts the room's cleanup across the fall-back hour — the next customer would walk into a room still being cleaned", async () => {
    // 2026-10-25: 02:00–03:00 happens twice. A start at the first 02:00 (00:00Z) ends 01:00Z.
    // Room 1 (30 min cleanup) is taken in the repeated hour 02:00–03:00 CET (01:00–02:00Z); room 2 from 00:30Z to 01:00Z.
    const resources: ResourceNeed[] = [
      {
        kind: "room",
        options: [room("r1", [span("2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z")], 30), room("r2", [span("2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z")])],
      },
    ];
    const slots = slotsOn("2026-10-25", { resources });
    const starts = slots.map((s) => s.start.toISOString());
    expect(starts).not.toContain("2026-10-25T00:00:00.000Z"); // room 1 needs cleaning until 01:30Z, room 2 is taken
    expect(starts).toContain("2026-10-24T23:00:00.000Z"); // 01:00 CEST: ends 00:00Z, room 1 cleaned by 00:30Z, before its next use
    expect(starts).toContain("2026-10-25T02:00:00.000Z"); // 03:00 CET: room 1 is free again
  });

  it("needs a free resource of every kind, each on its own — a tattoo that needs a station and the laser room is not offered when only one is free", async () => {
    const day = "2026-06-15";
    const resources: ResourceNeed[] = [
      { kind: "station", options: [room("s1", [])] },
      { kind: "laser", options: [room("l1", [span("2026-06-15T01:00:00Z", "2026-06-15T03:00:00Z")])] },
    ];
    const starts = localStarts(slotsOn(day, { resources }));
    expect(starts).toEqual(["00:00+02:00", "01:00+02:00", "02:00+02:00", "05:00+02:00"]);
  });

  it("offers nothing when a needed kind has no usable resource — a massage with no treatment room must not be bookable", async () => {
    expect(slotsOn("2026-06-15", { resources: [{ kind: "room", options: [] }] })).toEqual([]);
  });

  it("still respects the artist's own busy time when a room is free — the therapist cannot be in two rooms", async () => {
    const resources: ResourceNeed[] = [{ kind: "room", options: [room("r1", [])] }];
    const blocked = [span("2026-06-14T23:00:00Z", "2026-06-15T00:00:00Z")]; // 01:00–02:00 CEST
    const starts = localStarts(slotsOn("2026-06-15", { resources, blocked }));
    expect(starts).not.toContain("01:00+02:00");
    expect(starts).toContain("02:00+02:00");
  });

  it("uses the service's after-buffer when it is longer than the room's cleanup — the artist's own buffer keeps the room too", async () => {
    const resources: ResourceNeed[] = [{ kind: "room", options: [room("r1", [span("2026-06-15T00:00:00Z", "2026-06-15T01:00:00Z")], 0)] }];
    // 01:00 CEST start (23:00Z) ends 00:00Z; with a 30 min after-buffer it would need the room until 00:30Z.
    const starts = localStarts(slotsOn("2026-06-15", { resources, rules: rules({ bufferAfterMinutes: 30 }) }));
    expect(starts).not.toContain("01:00+02:00");
    const plain = localStarts(slotsOn("2026-06-15", { resources }));
    expect(plain).toContain("01:00+02:00");
  });

  it("agrees with offersStart, the check a hold and a reschedule use", async () => {
    const resources: ResourceNeed[] = [{ kind: "room", options: [room("r1", [span("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")])] }];
    const base = { timezone: BERLIN, now: NOW, hours: everyDay("00:00", "06:00"), rules: rules(), blocked: [], resources };
    expect(offersStart(base, new Date("2026-03-29T01:00:00Z"))).toBe(false);
    expect(offersStart(base, new Date("2026-03-29T02:00:00Z"))).toBe(true);
  });
});
