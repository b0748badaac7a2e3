/**
 * The customer's calendar invitations (iTIP over iMIP). If these fail, Gmail, Outlook or Apple
 * Calendar treat a confirmation as a one-off import (no update when the studio moves it), keep a
 * cancelled appointment in the customer's calendar, or show it at the wrong time or place.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { Booking } from "@/db/schema";
import { buildCustomerBookingEvent, customerEventUid, studioLocation, type CustomerBookingEventInput } from "@/lib/ical/build-booking-event";

const bookingId = "6d1f7d4c-2b1e-4f33-9a64-0c9f5b1e2a10";
const now = new Date("2027-02-01T08:00:00Z");
const booking: CustomerBookingEventInput["booking"] & Pick<Booking, "status"> = {
  id: bookingId,
  status: "confirmed",
  startsAt: new Date("2027-03-29T08:00:00Z"), // 10:00 in Berlin, the day after clocks go forward
  endsAt: new Date("2027-03-29T10:00:00Z"),
  version: 3,
  caldavUid: `${bookingId}-replaced@holdfast`, // the artist's UID may change; the customer's never does
  customerName: "Ana Example",
  customerEmail: "ana@example.com",
};

function invitation(overrides: Partial<CustomerBookingEventInput> = {}, method: "REQUEST" | "CANCEL" | "PUBLISH" = "REQUEST") {
  return buildCustomerBookingEvent(
    {
      booking,
      serviceName: "Fine line",
      artistName: "Mara",
      studioName: "Holdfast Studio",
      studioContact: { email: "hello@holdfast.example", address: "Torstraße 1\n10119 Berlin" },
      timezone: "Europe/Berlin",
      manageUrl: `https://book.example/bookings/${bookingId}?token=t`,
      now,
      ...overrides,
    },
    method,
  );
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return { calendar, vevent: calendar.getFirstSubcomponent("vevent")!, vtimezone: calendar.getFirstSubcomponent("vtimezone") };
}

describe("the customer's invitation", () => {
  it("is a REQUEST from the studio to the customer, at the studio's address, in the artist's zone", () => {
    const { calendar, vevent, vtimezone } = parse(invitation());
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    const organizer = vevent.getFirstProperty("organizer")!;
    expect(organizer.getFirstValue()).toBe("mailto:hello@holdfast.example");
    expect(organizer.getParameter("cn")).toBe("Holdfast Studio");
    const attendee = vevent.getFirstProperty("attendee")!;
    expect(attendee.getFirstValue()).toBe("mailto:ana@example.com");
    expect(attendee.getParameter("cn")).toBe("Ana Example");
    expect(vevent.getFirstPropertyValue("location")).toBe("Torstraße 1, 10119 Berlin");
    expect(vevent.getFirstPropertyValue("uid")).toBe(customerEventUid(bookingId));
    expect(vevent.getFirstPropertyValue("sequence")).toBe(3);
    expect(vevent.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(vtimezone?.getFirstPropertyValue("tzid")).toBe("Europe/Berlin");
    const start = vevent.getFirstProperty("dtstart")!;
    expect(start.getParameter("tzid")).toBe("Europe/Berlin");
    const event = new ICAL.Event(vevent);
    event.startDate.zone = new ICAL.Timezone(vtimezone!);
    expect(event.startDate.toJSDate().toISOString()).toBe(booking.startsAt.toISOString());
    expect(String(vevent.getFirstPropertyValue("description"))).toContain("Where: Torstraße 1, 10119 Berlin");
  });

  it("an update keeps the UID and raises SEQUENCE, so the client moves the event instead of adding one", () => {
    const first = parse(invitation()).vevent;
    const moved = parse(
      invitation({ booking: { ...booking, version: 4, startsAt: new Date("2027-03-30T08:00:00Z"), endsAt: new Date("2027-03-30T10:00:00Z") } }),
    ).vevent;
    expect(moved.getFirstPropertyValue("uid")).toBe(first.getFirstPropertyValue("uid"));
    expect(Number(moved.getFirstPropertyValue("sequence"))).toBeGreaterThan(Number(first.getFirstPropertyValue("sequence")));
  });

  it("a cancellation is METHOD:CANCEL with the same UID, STATUS:CANCELLED and a higher SEQUENCE", () => {
    const cancelled = parse(invitation({ booking: { ...booking, status: "cancelled", version: 5 } }, "CANCEL"));
    expect(cancelled.calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(cancelled.vevent.getFirstPropertyValue("uid")).toBe(customerEventUid(bookingId));
    expect(cancelled.vevent.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(cancelled.vevent.getFirstPropertyValue("sequence")).toBe(5);
    expect(cancelled.vevent.getFirstPropertyValue("transp")).toBe("TRANSPARENT");
    expect(cancelled.vevent.getFirstProperty("organizer")).not.toBeNull();
    expect(cancelled.vevent.getFirstProperty("attendee")).not.toBeNull();
  });

  it("the download stays a PUBLISH of the current state, without organizer or attendee (an import, not an invitation)", () => {
    const { calendar, vevent } = parse(invitation({}, "PUBLISH"));
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(vevent.getFirstProperty("organizer")).toBeNull();
    expect(vevent.getFirstProperty("attendee")).toBeNull();
    expect(vevent.getFirstPropertyValue("uid")).toBe(customerEventUid(bookingId));
  });

  it("refuses to build an invitation without the studio's email (it would have no organizer to come from)", () => {
    expect(() => invitation({ studioContact: { email: "", address: "x" } })).toThrow(/studio's and the customer's email/);
  });

  it("keeps hostile names and addresses to one property per line", () => {
    const hostile = "Ana\r\nATTENDEE:mailto:evil@example.com\r\nMETHOD:PUBLISH";
    const ics = invitation({
      booking: { ...booking, customerName: hostile },
      studioName: `Studio\nORGANIZER:mailto:evil@example.com`,
      studioContact: { email: "hello@holdfast.example", address: `Street 1\r\nLOCATION:elsewhere\r\nEND:VEVENT` },
    });
    const unfolded = ics.replace(/\r\n[ \t]/g, "");
    const lines = unfolded.split("\r\n");
    expect(lines.filter((l) => /^ATTENDEE[;:]/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^ORGANIZER[;:]/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^METHOD:/.test(l))).toEqual(["METHOD:REQUEST"]);
    expect(lines.filter((l) => l === "END:VEVENT")).toHaveLength(1);
    const { vevent } = parse(ics);
    expect(vevent.getFirstProperty("attendee")!.getFirstValue()).toBe("mailto:ana@example.com");
    expect(vevent.getFirstPropertyValue("location")).toBe("Street 1, LOCATION:elsewhere, END:VEVENT");
  });
});

describe("studioLocation", () => {
  it("joins the address lines with commas and drops blank ones", () => {
    expect(studioLocation("Torstraße 1\n\n 10119 Berlin \n")).toBe("Torstraße 1, 10119 Berlin");
    expect(studioLocation("")).toBe("");
    expect(studioLocation(null)).toBe("");
  });
});
