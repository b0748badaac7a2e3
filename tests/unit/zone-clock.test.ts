import { afterEach, describe, expect, it } from "vitest";
import { formatInTimeZone, fromZonedTime } from "date-fns-tz";
import { dateTimeFormat, numberFormat } from "@/lib/time/intl-cache";
import { instantInZone, isValidTimeZone, offsetInZone, wallClockInZone, wallMsOf, ZoneClock } from "@/lib/time/zone-clock";

const at = (iso: string) => new Date(iso);
const HOUR_MS = 3_600_000;
// date-fns-tz goes through the process's local Date, so it misreads wall times that fall in the
// machine zone's own DST gap (run in Denver, it turns Kolkata's 02:01 on 8 March into 03:01). As
// an oracle it is only trusted with the process in UTC; our clock is tested in every zone below.
function withProcessInUtc(check: () => void) {
  const original = process.env.TZ;
  process.env.TZ = "UTC";
  try {
    check();
  } finally {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  }
}

const ZONES = ["UTC", "Europe/Berlin", "America/Denver", "Asia/Tokyo", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"];

describe("wallClockInZone", () => {
  it("reads the clock on both sides of the Denver and Berlin clock changes — every slot and printed time rests on this", () => {
    expect(wallClockInZone(at("2026-03-08T08:59:59Z"), "America/Denver")).toEqual({ year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 59 });
    expect(wallClockInZone(at("2026-03-08T09:00:00Z"), "America/Denver")).toEqual({ year: 2026, month: 3, day: 8, hour: 3, minute: 0, second: 0 });
    expect(wallClockInZone(at("2026-10-25T00:59:59Z"), "Europe/Berlin")).toEqual({ year: 2026, month: 10, day: 25, hour: 2, minute: 59, second: 59 });
    expect(wallClockInZone(at("2026-10-25T01:00:00Z"), "Europe/Berlin")).toEqual({ year: 2026, month: 10, day: 25, hour: 2, minute: 0, second: 0 });
  });

  it("shows midnight as 00, never 24, so a booking at midnight lands on the right day", () => {
    expect(wallClockInZone(at("2026-06-15T22:00:00Z"), "Europe/Berlin")).toMatchObject({ day: 16, hour: 0, minute: 0 });
  });

  it("agrees with date-fns-tz (an independent implementation) every 11 hours for over a year in zones with odd offsets and DST", () =>
    withProcessInUtc(() => {
      const from = Date.parse("2025-12-01T00:00:00Z");
      for (const zone of ZONES) {
        for (let ms = from; ms < from + 400 * 24 * HOUR_MS; ms += 11 * HOUR_MS + 60_000) {
          const w = wallClockInZone(new Date(ms), zone);
          const mine = `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")} ${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}:${String(w.second).padStart(2, "0")}`;
          expect(mine, `${zone} at ${new Date(ms).toISOString()}`).toBe(formatInTimeZone(ms, zone, "yyyy-MM-dd HH:mm:ss"));
        }
      }
    }));

  it("reads years before 1000 too, where Intl prints a short year and the slower parts route takes over (VTIMEZONE looks far back)", () => {
    // Berlin kept local mean time (+00:53:28) before 1893.
    expect(wallClockInZone(at("0050-03-01T00:00:00Z"), "Europe/Berlin")).toEqual({ year: 50, month: 3, day: 1, hour: 0, minute: 53, second: 28 });
    expect(offsetInZone(at("0050-03-01T00:00:00Z"), "Europe/Berlin")).toBe((53 * 60 + 28) * 1000);
    expect(wallMsOf({ year: 50, month: 3, day: 1, hour: 0, minute: 0, second: 0 })).toBe(Date.parse("0050-03-01T00:00:00Z"));
  });

  it("refuses an invalid date and an unknown zone with a RangeError instead of printing NaN", () => {
    expect(() => wallClockInZone(new Date(Number.NaN), "UTC")).toThrow(RangeError);
    expect(() => wallClockInZone(at("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
    expect(() => new ZoneClock("Mars/Olympus_Mons")).toThrow(RangeError);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone("America/Denver")).toBe(true);
  });
});

describe("offsetInZone", () => {
  it("gives the offset in force, with DST and half/quarter-hour zones", () => {
    expect(offsetInZone(at("2026-01-15T12:00:00Z"), "America/Denver")).toBe(-7 * HOUR_MS);
    expect(offsetInZone(at("2026-07-15T12:00:00Z"), "America/Denver")).toBe(-6 * HOUR_MS);
    expect(offsetInZone(at("2026-07-15T12:00:00Z"), "Asia/Kolkata")).toBe(5.5 * HOUR_MS);
    expect(offsetInZone(at("2026-01-15T12:00:00Z"), "Pacific/Chatham")).toBe(13.75 * HOUR_MS);
    // Lord Howe moves its clock by half an hour.
    expect(offsetInZone(at("2026-01-15T12:00:00Z"), "Australia/Lord_Howe")).toBe(11 * HOUR_MS);
    expect(offsetInZone(at("2026-07-15T12:00:00Z"), "Australia/Lord_Howe")).toBe(10.5 * HOUR_MS);
  });

  it("matches ZoneClock.offsetAt, milliseconds and all", () => {
    const clock = new ZoneClock("Europe/Berlin");
    for (const iso of ["2026-03-29T00:59:59.999Z", "2026-03-29T01:00:00.000Z", "2026-10-25T00:59:59.500Z", "2026-10-25T01:00:00.001Z"]) {
      expect(clock.offsetAt(Date.parse(iso)), iso).toBe(offsetInZone(at(iso), "Europe/Berlin"));
    }
    expect(clock.wallMsAt(Date.parse("2026-03-29T01:00:00Z"))).toBe(Date.parse("2026-03-29T03:00:00Z"));
  });
});

describe("instantInZone", () => {
  it("turns a local date and time into the instant, in and out of DST", () => {
    expect(instantInZone("2026-01-15T09:00", "America/Denver").toISOString()).toBe("2026-01-15T16:00:00.000Z");
    expect(instantInZone("2026-07-15T09:00:00", "America/Denver").toISOString()).toBe("2026-07-15T15:00:00.000Z");
    expect(instantInZone("2026-07-15", "Asia/Tokyo").toISOString()).toBe("2026-07-14T15:00:00.000Z");
  });

  it("takes the earlier of the two 01:30s on the Denver fall-back night whatever the machine's zone — an admin's reschedule must not move an hour", () => {
    expect(instantInZone("2026-11-01T01:30", "America/Denver").toISOString()).toBe("2026-11-01T07:30:00.000Z");
    expect(instantInZone("2026-10-25T02:30", "Europe/Berlin").toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("reads a time inside the spring-forward gap with the offset before it (RFC 5545 §3.3.5): 02:30 that never happened is 03:30 new time", () => {
    expect(instantInZone("2026-03-08T02:30", "America/Denver").toISOString()).toBe("2026-03-08T09:30:00.000Z");
    expect(instantInZone("2026-03-29T02:30", "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });

  it("agrees with date-fns-tz's fromZonedTime every 3¼ hours of a year where the wall time is unambiguous in DST zones", () =>
    withProcessInUtc(() => {
      const from = Date.parse("2026-01-01T00:00:00Z");
      for (const zone of ["America/Denver", "Europe/Berlin", "Australia/Lord_Howe"]) {
        const clock = new ZoneClock(zone);
        for (let wall = from; wall < from + 365 * 24 * HOUR_MS; wall += 3 * HOUR_MS + 15 * 60_000) {
          const local = new Date(wall).toISOString().slice(0, 19);
          const instant = clock.instantOf(wall);
          // Only where exactly one instant shows this wall time: the two libraries differ on purpose elsewhere.
          const readings = [-1, 1].map((d) => wall - clock.offsetAt(wall + d * 24 * HOUR_MS)).filter((i) => clock.wallMsAt(i) === wall);
          if (new Set(readings).size !== 1) continue;
          expect(instantInZone(local, zone).getTime(), `${zone} ${local}`).toBe(instant);
          expect(instant, `${zone} ${local}`).toBe(fromZonedTime(local, zone).getTime());
        }
      }
    }));

  it("gives Invalid Date for text that is not a real local date-time, so callers can refuse it", () => {
    for (const bad of ["", "2026-02-30", "2026-02-28T24:00", "2026-02-28T12:60", "2026-02-28T12", "28/02/2026", "2026-02-28T12:00Z"]) {
      expect(Number.isNaN(instantInZone(bad, "Europe/Berlin").getTime()), bad).toBe(true);
    }
  });
});

describe("independence from the machine's zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it("reads and converts identically with the process in UTC, Denver and Tokyo", () => {
    const run = () => [
      wallClockInZone(at("2026-11-01T08:30:00Z"), "America/Denver"),
      offsetInZone(at("2026-03-29T01:00:00Z"), "Europe/Berlin"),
      instantInZone("2026-11-01T01:30", "America/Denver").toISOString(),
      instantInZone("2026-03-08T02:30", "America/Denver").toISOString(),
    ];
    const results = ["UTC", "America/Denver", "Asia/Tokyo"].map((tz) => {
      process.env.TZ = tz;
      return run();
    });
    // Guard: the switch must really be in effect, or this test would prove nothing.
    expect(new Date("2026-07-14T12:00:00Z").getHours()).toBe(21);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe("the Intl formatter cache", () => {
  it("hands out one formatter per locale, options and zone, so hot paths do not rebuild them", () => {
    const options: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    expect(dateTimeFormat("en-GB", options, "Europe/Berlin")).toBe(dateTimeFormat("en-GB", { ...options }, "Europe/Berlin"));
    expect(dateTimeFormat("en-GB", options, "Europe/Berlin")).not.toBe(dateTimeFormat("en-GB", options, "Asia/Tokyo"));
    expect(dateTimeFormat("en-GB", options, "Asia/Tokyo").format(at("2026-07-14T12:00:00Z"))).toBe("21:00");
    expect(numberFormat("en-GB", { style: "currency", currency: "EUR" })).toBe(numberFormat("en-GB", { style: "currency", currency: "EUR" }));
  });

  it("does not cache a formatter for an unknown zone", () => {
    expect(() => dateTimeFormat("en-GB", {}, "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => dateTimeFormat("en-GB", {}, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});
