import { describe, expect, it } from "vitest";
import { formatDuration, formatNotice } from "@/lib/time/format-duration";

describe("formatDuration: notice and windows in the units an admin reads", () => {
  it("shows a week of notice as 7 days, not 10080 min", () => {
    expect(formatDuration(10080)).toBe("7 days");
  });

  it("shows whole hours and a single day in the singular or plural", () => {
    expect(formatDuration(120)).toBe("2 hours");
    expect(formatDuration(60)).toBe("1 hour");
    expect(formatDuration(1440)).toBe("1 day");
    expect(formatDuration(45)).toBe("45 minutes");
    expect(formatDuration(1)).toBe("1 minute");
  });

  it("keeps every unit of an uneven period, so nothing is rounded away", () => {
    expect(formatDuration(1530)).toBe("1 day 1 hour 30 minutes");
    expect(formatDuration(90)).toBe("1 hour 30 minutes");
    expect(formatDuration(2 * 1440 + 6 * 60)).toBe("2 days 6 hours");
  });

  it("refuses a negative or impossible length instead of printing nonsense", () => {
    expect(() => formatDuration(-5)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });

  it("says none for a service that can be booked right up to its start", () => {
    expect(formatNotice(0)).toBe("none");
    expect(formatNotice(60)).toBe("1 hour");
  });
});
