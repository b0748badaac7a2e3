import { describe, expect, it } from "vitest";
import { formatDateSpan } from "@/lib/time/format-in-zone";

describe("formatDateSpan: the admin calendar's heading in human dates", () => {
  it("writes a week within one month as Mon 7 – Sun 13 Dec 2026", () => {
    expect(formatDateSpan("2026-12-07", "2026-12-13")).toBe("Mon 7 – Sun 13 Dec 2026");
  });

  it("names both months of a week across a month end, and both years across New Year", () => {
    expect(formatDateSpan("2026-11-30", "2026-12-06")).toBe("Mon 30 Nov – Sun 6 Dec 2026");
    expect(formatDateSpan("2026-12-28", "2027-01-03")).toBe("Mon 28 Dec 2026 – Sun 3 Jan 2027");
  });

  it("writes one day once", () => {
    expect(formatDateSpan("2026-12-09")).toBe("Wed 9 Dec 2026");
  });

  it("refuses a date that does not exist instead of printing Invalid Date", () => {
    expect(() => formatDateSpan("2026-13-40")).toThrow(RangeError);
  });
});
