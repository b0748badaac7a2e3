/**
 * If these fail, a customer gets a reminder at the wrong time (an hour off after a DST change),
 * twice, after the appointment has started, or for a time that had already passed when they booked.
 */
import { fromZonedTime, formatInTimeZone } from "date-fns-tz";
import { describe, expect, it } from "vitest";
import { describeLeadTime, planReminders } from "@/lib/notifications/plan-reminders";

const at = (local: string, zone: string) => fromZonedTime(local, zone);
const wall = (d: Date, zone: string) => formatInTimeZone(d, zone, "yyyy-MM-dd HH:mm");

describe("planReminders", () => {
  const now = new Date("2027-01-04T09:00:00Z");

  it("plans one reminder per lead time, earliest first, with duplicates folded", () => {
    const startsAt = at("2027-01-20 14:00", "Europe/Berlin");
    const plan = planReminders({ startsAt, leadMinutes: [120, 2880, 120, 1440], now });
    expect(plan.map((r) => r.leadMinutes)).toEqual([2880, 1440, 120]);
    expect(plan.map((r) => wall(r.sendAt, "Europe/Berlin"))).toEqual(["2027-01-18 14:00", "2027-01-19 14:00", "2027-01-20 12:00"]);
  });

  it("plans nothing for a service without reminders", () => {
    expect(planReminders({ startsAt: at("2027-01-20 14:00", "Europe/Berlin"), leadMinutes: [], now })).toEqual([]);
  });

  it("skips a reminder whose time has passed when the booking is made, and keeps the later ones", () => {
    const startsAt = new Date(now.getTime() + 10 * 3_600_000); // booked 10 hours ahead
    const plan = planReminders({ startsAt, leadMinutes: [1440, 120], now });
    expect(plan).toEqual([{ leadMinutes: 120, sendAt: new Date(startsAt.getTime() - 120 * 60_000) }]);
    // exactly at the lead time is "passed" too: it would go out the instant the confirmation does
    expect(planReminders({ startsAt: new Date(now.getTime() + 120 * 60_000), leadMinutes: [120], now })).toEqual([]);
  });

  it("after a reschedule the plan follows the new time (the old reminders are replaced, not kept)", () => {
    const before = planReminders({ startsAt: at("2027-01-20 14:00", "Europe/Berlin"), leadMinutes: [1440], now });
    const after = planReminders({ startsAt: at("2027-01-27 11:00", "Europe/Berlin"), leadMinutes: [1440], now });
    expect(wall(before[0]!.sendAt, "Europe/Berlin")).toBe("2027-01-19 14:00");
    expect(wall(after[0]!.sendAt, "Europe/Berlin")).toBe("2027-01-26 11:00");
  });

  it("a booking cancelled before its reminders has nothing planned once it is moved into the past", () => {
    // Cancelling is a database step (the rows are marked cancelled); planning never resurrects a past start.
    expect(planReminders({ startsAt: new Date(now.getTime() - 60_000), leadMinutes: [1440, 60], now })).toEqual([]);
  });

  describe.each([
    // zone, the day clocks go forward, the day they go back
    ["Europe/Berlin", "2027-03-28", "2027-10-31"],
    ["America/Denver", "2027-03-14", "2027-11-07"],
  ])("across DST in %s", (zone, springForward, fallBack) => {
    it("a 24-hour reminder for 10:00 on the day clocks go forward is 24 real hours before: 09:00 on the wall the day before", () => {
      const startsAt = at(`${springForward} 10:00`, zone);
      const [reminder] = planReminders({ startsAt, leadMinutes: [1440], now });
      expect(startsAt.getTime() - reminder!.sendAt.getTime()).toBe(24 * 3_600_000);
      expect(wall(reminder!.sendAt, zone).slice(11)).toBe("09:00");
    });

    it("a 24-hour reminder for 10:00 on the day clocks go back reads 11:00 the day before", () => {
      const startsAt = at(`${fallBack} 10:00`, zone);
      const [reminder] = planReminders({ startsAt, leadMinutes: [1440], now });
      expect(startsAt.getTime() - reminder!.sendAt.getTime()).toBe(24 * 3_600_000);
      expect(wall(reminder!.sendAt, zone).slice(11)).toBe("11:00");
    });

    it("a 2-hour reminder across the changeover night is two real hours, never after the start", () => {
      const startsAt = at(`${springForward} 04:00`, zone); // clocks jumped at 02:00 (Denver) / 02:00 (Berlin)
      const [reminder] = planReminders({ startsAt, leadMinutes: [120], now });
      expect(startsAt.getTime() - reminder!.sendAt.getTime()).toBe(2 * 3_600_000);
      expect(reminder!.sendAt.getTime()).toBeLessThan(startsAt.getTime());
    });
  });
});

describe("describeLeadTime", () => {
  it("reads as a person would say it", () => {
    expect([1440, 2880, 60, 120, 90].map(describeLeadTime)).toEqual(["1 day", "2 days", "1 hour", "2 hours", "90 minutes"]);
  });
});
