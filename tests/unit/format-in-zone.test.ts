import { afterEach, describe, expect, it } from "vitest";
import {
  formatDateTimeInZone,
  formatShortDateTimeInZone,
  formatTimeRangeInZone,
  localDateInZone,
  zoneAbbreviation,
  zoneLabel,
} from "@/lib/time/format-in-zone";

const at = (iso: string) => new Date(iso);

describe("zoneLabel", () => {
  it("names the artist's zone in words a customer recognises, with the IANA id", () => {
    expect(zoneLabel("America/Denver", at("2026-01-13T12:00:00Z"))).toBe("Mountain Time (America/Denver)");
    expect(zoneLabel("Europe/Berlin", at("2026-07-14T12:00:00Z"))).toBe("Central European Time (Europe/Berlin)");
    expect(zoneLabel("Asia/Tokyo")).toBe("Japan Standard Time (Asia/Tokyo)");
  });

  it("shows the bare id instead of a meaningless 'GMT-05:00' name for offset-only zones", () => {
    expect(zoneLabel("Etc/GMT+5")).toBe("Etc/GMT+5");
  });

  it("rejects an unknown zone instead of silently printing server-local times", () => {
    expect(() => zoneLabel("Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("formatDateTimeInZone", () => {
  it("prints a Berlin winter appointment as CET with the zone id", () => {
    expect(formatDateTimeInZone(at("2026-03-03T13:00:00Z"), "Europe/Berlin")).toBe("Tuesday, 3 March 2026, 14:00 CET (Europe/Berlin)");
  });

  it("prints a Berlin summer appointment as CEST, not CET", () => {
    expect(formatDateTimeInZone(at("2026-07-14T12:00:00Z"), "Europe/Berlin")).toBe("Tuesday, 14 July 2026, 14:00 CEST (Europe/Berlin)");
  });

  it("prints Denver appointments as MST in winter and MDT in summer", () => {
    expect(formatDateTimeInZone(at("2026-01-13T21:00:00Z"), "America/Denver")).toBe("Tuesday, 13 January 2026, 14:00 MST (America/Denver)");
    expect(formatDateTimeInZone(at("2026-07-14T20:00:00Z"), "America/Denver")).toBe("Tuesday, 14 July 2026, 14:00 MDT (America/Denver)");
  });

  it("prints the numeric offset for zones without a common abbreviation (Tokyo)", () => {
    expect(formatDateTimeInZone(at("2026-03-03T05:00:00Z"), "Asia/Tokyo")).toBe("Tuesday, 3 March 2026, 14:00 GMT+9 (Asia/Tokyo)");
  });

  it("uses 24-hour time so an evening session never reads as morning", () => {
    expect(formatDateTimeInZone(at("2026-03-03T20:05:00Z"), "Europe/Berlin")).toBe("Tuesday, 3 March 2026, 21:05 CET (Europe/Berlin)");
    expect(formatDateTimeInZone(at("2026-03-02T23:00:00Z"), "Europe/Berlin")).toBe("Tuesday, 3 March 2026, 00:00 CET (Europe/Berlin)");
  });
});

describe("formatShortDateTimeInZone", () => {
  it("keeps the zone in the compact form used in email subjects", () => {
    expect(formatShortDateTimeInZone(at("2026-03-03T13:00:00Z"), "Europe/Berlin")).toBe("Tue 3 Mar, 14:00 CET");
    expect(formatShortDateTimeInZone(at("2026-07-14T20:00:00Z"), "America/Denver")).toBe("Tue 14 Jul, 14:00 MDT");
  });
});

describe("formatTimeRangeInZone", () => {
  it("prints a same-day session once with start–end, abbreviation and zone name", () => {
    expect(formatTimeRangeInZone(at("2026-03-03T13:00:00Z"), at("2026-03-03T15:00:00Z"), "Europe/Berlin")).toBe(
      "Tuesday, 3 March 2026, 14:00–16:00 CET (Central European Time, Europe/Berlin)",
    );
  });

  it("says CEST for a July afternoon in Berlin", () => {
    expect(formatTimeRangeInZone(at("2026-07-14T12:00:00Z"), at("2026-07-14T14:00:00Z"), "Europe/Berlin")).toBe(
      "Tuesday, 14 July 2026, 14:00–16:00 CEST (Central European Time, Europe/Berlin)",
    );
  });

  it("says MST in January and MDT in July for Denver", () => {
    expect(formatTimeRangeInZone(at("2026-01-13T21:00:00Z"), at("2026-01-13T23:00:00Z"), "America/Denver")).toBe(
      "Tuesday, 13 January 2026, 14:00–16:00 MST (Mountain Time, America/Denver)",
    );
    expect(formatTimeRangeInZone(at("2026-07-14T20:00:00Z"), at("2026-07-14T22:00:00Z"), "America/Denver")).toBe(
      "Tuesday, 14 July 2026, 14:00–16:00 MDT (Mountain Time, America/Denver)",
    );
  });

  it("prints both dates when a session runs past midnight", () => {
    expect(formatTimeRangeInZone(at("2026-03-03T22:00:00Z"), at("2026-03-04T01:00:00Z"), "Europe/Berlin")).toBe(
      "Tuesday, 3 March 2026, 23:00 – Wednesday, 4 March 2026, 02:00 CET (Central European Time, Europe/Berlin)",
    );
  });

  it("labels each end separately when the clocks change during the session", () => {
    // 00:00Z–02:00Z on 29 March 2026 is 01:00 CET to 04:00 CEST: two hours, not three.
    expect(formatTimeRangeInZone(at("2026-03-29T00:00:00Z"), at("2026-03-29T02:00:00Z"), "Europe/Berlin")).toBe(
      "Sunday, 29 March 2026, 01:00 CET–04:00 CEST (Central European Time, Europe/Berlin)",
    );
  });

  it("refuses an end before the start rather than printing a nonsense range", () => {
    expect(() => formatTimeRangeInZone(at("2026-03-03T15:00:00Z"), at("2026-03-03T13:00:00Z"), "Europe/Berlin")).toThrow(RangeError);
  });
});

describe("localDateInZone", () => {
  it("puts a late-UTC instant on the next day in Tokyo and the same day in Denver", () => {
    expect(localDateInZone(at("2026-03-03T23:30:00Z"), "Asia/Tokyo")).toBe("2026-03-04");
    expect(localDateInZone(at("2026-03-03T23:30:00Z"), "America/Denver")).toBe("2026-03-03");
    expect(localDateInZone(at("2026-03-03T23:30:00Z"), "Europe/Berlin")).toBe("2026-03-04");
  });
});

describe("independence from the server's time zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it("prints the same Berlin time whether the server runs in UTC or Asia/Kolkata", () => {
    const start = at("2026-07-14T12:00:00Z");
    const end = at("2026-07-14T14:00:00Z");
    process.env.TZ = "UTC";
    const inUtc = [formatTimeRangeInZone(start, end, "Europe/Berlin"), localDateInZone(at("2026-07-14T22:30:00Z"), "Europe/Berlin")];
    process.env.TZ = "Asia/Kolkata";
    // Guard: the switch must really be in effect, or this test would prove nothing.
    expect(new Date("2026-07-14T12:00:00Z").getHours()).toBe(17);
    const inKolkata = [formatTimeRangeInZone(start, end, "Europe/Berlin"), localDateInZone(at("2026-07-14T22:30:00Z"), "Europe/Berlin")];
    expect(inKolkata).toEqual(inUtc);
    expect(inKolkata).toEqual(["Tuesday, 14 July 2026, 14:00–16:00 CEST (Central European Time, Europe/Berlin)", "2026-07-15"]);
    expect(zoneAbbreviation(start, "America/Denver")).toBe("MDT");
  });
});
