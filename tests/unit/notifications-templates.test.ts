import { describe, expect, it } from "vitest";
import { notificationContext as ctx } from "../support/notification-context";
import { escapeHtml, NOTIFICATION_KINDS, renderNotification, type NotificationKind } from "@/lib/notifications/templates";

const BERLIN_WINTER = "Tuesday, 3 March 2026, 14:00–16:00 CET (Central European Time, Europe/Berlin)";

describe("times are printed in the artist's zone, with the zone named", () => {
  it("shows a March Berlin booking as 14:00–16:00 CET", () => {
    const r = renderNotification("booking_confirmed", ctx());
    expect(r.subject).toBe("Confirmed: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET");
    expect(r.text).toContain(`When: ${BERLIN_WINTER}`);
    expect(r.html).toContain(BERLIN_WINTER);
  });

  it("shows a July Berlin booking as CEST, not CET", () => {
    const r = renderNotification("booking_confirmed", ctx({ startsAt: new Date("2026-07-14T12:00:00Z"), endsAt: new Date("2026-07-14T14:00:00Z") }));
    expect(r.subject).toBe("Confirmed: Fine-line tattoo with Mara on Tue 14 Jul, 14:00 CEST");
    expect(r.text).toContain("When: Tuesday, 14 July 2026, 14:00–16:00 CEST (Central European Time, Europe/Berlin)");
  });

  it("shows a Denver booking as MST in winter and MDT in summer", () => {
    const winter = renderNotification(
      "request_received",
      ctx({ timezone: "America/Denver", startsAt: new Date("2026-01-13T21:00:00Z"), endsAt: new Date("2026-01-13T23:00:00Z") }),
    );
    expect(winter.subject).toBe("Request received: Fine-line tattoo with Mara on Tue 13 Jan, 14:00 MST");
    expect(winter.text).toContain("When: Tuesday, 13 January 2026, 14:00–16:00 MST (Mountain Time, America/Denver)");

    const summer = renderNotification(
      "request_received",
      ctx({ timezone: "America/Denver", startsAt: new Date("2026-07-14T20:00:00Z"), endsAt: new Date("2026-07-14T22:00:00Z") }),
    );
    expect(summer.subject).toBe("Request received: Fine-line tattoo with Mara on Tue 14 Jul, 14:00 MDT");
    expect(summer.text).toContain("When: Tuesday, 14 July 2026, 14:00–16:00 MDT (Mountain Time, America/Denver)");
  });
});

describe("customer's own zone", () => {
  it("also shows a customer in Tokyo the time on their clock", () => {
    // 10:00–12:00 CET is 18:00–20:00 in Tokyo.
    const r = renderNotification(
      "booking_confirmed",
      ctx({ startsAt: new Date("2026-03-03T09:00:00Z"), endsAt: new Date("2026-03-03T11:00:00Z"), customerTimezone: "Asia/Tokyo" }),
    );
    expect(r.text).toContain("When: Tuesday, 3 March 2026, 10:00–12:00 CET (Central European Time, Europe/Berlin)");
    expect(r.text).toContain("Your time: Tuesday, 3 March 2026, 18:00–20:00 GMT+9 (Japan Standard Time, Asia/Tokyo)");
    expect(r.html).toContain("Tuesday, 3 March 2026, 18:00–20:00 GMT+9 (Japan Standard Time, Asia/Tokyo)");
  });

  it("tells the studio what time it is for the customer too", () => {
    const r = renderNotification("studio_new_request", ctx({ customerTimezone: "America/Denver" }));
    expect(r.text).toContain("Customer's time: Tuesday, 3 March 2026, 06:00–08:00 MST (Mountain Time, America/Denver)");
  });

  it("does not repeat the time when the customer's zone is the artist's or shows the same clock time", () => {
    for (const customerTimezone of ["Europe/Berlin", "Europe/Paris", null]) {
      const r = renderNotification("booking_confirmed", ctx({ customerTimezone }));
      expect(r.text).not.toContain("Your time");
    }
  });

  it("still sends the email when the browser reported a zone we don't know", () => {
    const r = renderNotification("booking_confirmed", ctx({ customerTimezone: "Not/AZone" }));
    expect(r.text).toContain(`When: ${BERLIN_WINTER}`);
    expect(r.text).not.toContain("Your time");
  });
});

describe("HTML safety", () => {
  it("escapes a <script> in customer notes instead of running it in the studio's mail client", () => {
    const r = renderNotification("studio_new_request", ctx({ notes: 'Hi!\n<script>alert("x")</script>', customerName: 'Eve <img src=x onerror="steal()">' }));
    expect(r.html).not.toContain("<script>");
    expect(r.html).not.toContain("<img");
    expect(r.html).toContain("Hi!<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(r.html).toContain("Eve &lt;img src=x onerror=&quot;steal()&quot;&gt;");
    // The plain-text part is not HTML and must show the notes as written.
    expect(r.text).toContain('<script>alert("x")</script>');
  });

  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  });

  it("does not turn a javascript: manage link into a clickable button", () => {
    const r = renderNotification("booking_confirmed", ctx({ manageUrl: "javascript:alert(1)" }));
    expect(r.html).not.toContain('href="javascript:');
  });

  it("keeps a newline in the customer's name out of the subject header", () => {
    const r = renderNotification("studio_new_request", ctx({ customerName: "Anna\r\nBcc: victim@example.com" }));
    expect(r.subject).toBe("New booking request: Anna Bcc: victim@example.com, Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET");
  });
});

describe("each kind says the right thing", () => {
  const expectedSubjects: Record<NotificationKind, string> = {
    request_received: "Request received: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    booking_confirmed: "Confirmed: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    booking_rejected: "Request declined: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    booking_cancelled: "Cancelled: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    booking_rescheduled: "New time: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    booking_reminder: "Reminder: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    deposit_refunded: "Deposit refunded: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    deposit_kept: "Missed appointment: Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    studio_new_request: "New booking request: Anna Schmidt, Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    studio_new_booking: "New booking: Anna Schmidt, Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
    studio_booking_rescheduled: "Moved by the customer: Anna Schmidt, Fine-line tattoo with Mara to Tue 3 Mar, 14:00 CET",
    studio_booking_cancelled: "Cancelled by the customer: Anna Schmidt, Fine-line tattoo with Mara on Tue 3 Mar, 14:00 CET",
  };

  for (const kind of NOTIFICATION_KINDS) {
    it(`renders ${kind} with its subject, the zoned time and a complete HTML page`, () => {
      const r = renderNotification(kind, ctx({ previousStartsAt: new Date("2026-03-02T13:00:00Z"), previousEndsAt: new Date("2026-03-02T15:00:00Z") }));
      expect(r.subject).toBe(expectedSubjects[kind]);
      expect(r.text).toContain(BERLIN_WINTER);
      expect(r.html.startsWith("<!doctype html>")).toBe(true);
      expect(r.html).toContain(BERLIN_WINTER);
      expect(r.html.trimEnd().endsWith("</html>")).toBe(true);
    });
  }

  it("tells the customer their request is pending and links to their private page", () => {
    const r = renderNotification("request_received", ctx());
    expect(r.text).toMatch(/^Hi Anna Schmidt,\n/);
    expect(r.text).toContain("It isn't confirmed yet");
    expect(r.text).toContain("View or cancel your request: https://book.example/b/secret-token");
    expect(r.html).toContain('href="https://book.example/b/secret-token"');
  });

  it("gives the reason for a declined request, and no empty Reason line when there is none", () => {
    expect(renderNotification("booking_rejected", ctx({ reason: "Mara is fully booked that week" })).text).toContain("Reason: Mara is fully booked that week");
    expect(renderNotification("booking_rejected", ctx({ reason: null })).text).not.toContain("Reason");
  });

  it("says 'you' cancelled when the customer did, and 'the studio' when the studio did", () => {
    const byCustomer = renderNotification("booking_cancelled", ctx({ cancelledBy: "customer" }));
    expect(byCustomer.text).toContain("Cancelled by: you");
    expect(byCustomer.text).toContain("As you asked, your booking has been cancelled.");

    const byStudio = renderNotification("booking_cancelled", ctx({ cancelledBy: "studio", reason: "Artist is ill" }));
    expect(byStudio.text).toContain("Cancelled by: the studio");
    expect(byStudio.text).toContain("We're sorry: Holdfast Studio has had to cancel your booking.");
    expect(byStudio.text).toContain("Reason: Artist is ill");
  });

  it("shows the new time and the old one when a booking is moved", () => {
    const r = renderNotification(
      "booking_rescheduled",
      ctx({
        startsAt: new Date("2026-07-14T12:00:00Z"),
        endsAt: new Date("2026-07-14T14:00:00Z"),
        previousStartsAt: new Date("2026-03-03T13:00:00Z"),
        previousEndsAt: new Date("2026-03-03T15:00:00Z"),
      }),
    );
    expect(r.text).toContain("New time: Tuesday, 14 July 2026, 14:00–16:00 CEST (Central European Time, Europe/Berlin)");
    expect(r.text).toContain(`Previously: ${BERLIN_WINTER}`);
    expect(r.html).toContain(`<s style="color:#5f6368">${BERLIN_WINTER}</s>`);
  });

  it("gives the studio who, what, when, contact details, notes and the dashboard link", () => {
    const r = renderNotification("studio_new_request", ctx({ notes: "Left wrist\nabout 5 cm" }));
    for (const line of [
      "Customer: Anna Schmidt",
      "Email: anna@example.com",
      "Phone: +49 170 1234567",
      "Service: Fine-line tattoo",
      "Artist: Mara",
      `When: ${BERLIN_WINTER}`,
      "Notes:\n  Left wrist\n  about 5 cm",
      "Review the request: https://book.example/admin/bookings/7d3e9a10-booking",
    ]) {
      expect(r.text).toContain(line);
    }
    expect(r.html).toContain('href="https://book.example/admin/bookings/7d3e9a10-booking"');
    expect(r.html).toContain('href="mailto:anna@example.com"');
    expect(r.text).not.toContain("secret-token");
  });

  it("leaves out the phone and notes lines when the customer gave none", () => {
    const r = renderNotification("studio_new_request", ctx({ customerPhone: null, notes: "  " }));
    expect(r.text).not.toContain("Phone:");
    expect(r.text).not.toContain("Notes");
  });

  it("greets a customer without a name politely", () => {
    expect(renderNotification("booking_confirmed", ctx({ customerName: "" })).text).toMatch(/^Hi there,\n/);
  });
});

describe("what the customer and the studio need around the booking", () => {
  const contact = { email: "hello@holdfast.example", phone: "+49 30 1234567", address: "Torstraße 1\n10119 Berlin", mapUrl: "https://osm.org/go/holdfast" };

  it("ends every customer email with the studio's address, phone, email and map link (they must be able to call)", () => {
    for (const kind of NOTIFICATION_KINDS.filter((k) => !k.startsWith("studio_"))) {
      const r = renderNotification(kind, ctx({ studioContact: contact }));
      expect(r.text).toContain("--\nHoldfast Studio\nTorstraße 1\n10119 Berlin\n+49 30 1234567\nhello@holdfast.example\nMap: https://osm.org/go/holdfast\n");
      expect(r.html).toContain('href="tel:+49301234567"');
      expect(r.html).toContain('href="mailto:hello@holdfast.example"');
      expect(r.html).toContain('href="https://osm.org/go/holdfast"');
    }
  });

  it("does not put the studio's footer on the studio's own mails", () => {
    const r = renderNotification("studio_new_booking", ctx({ studioContact: contact }));
    expect(r.text).not.toContain("Torstraße");
  });

  it("words an instantly confirmed booking as confirmed for the studio, never as waiting for approval", () => {
    const r = renderNotification("studio_new_booking", ctx());
    expect(r.text).not.toMatch(/approv/i);
    expect(r.text).toContain("already in the calendar");
  });

  it("tells the studio the old and the new time when a customer moves, and the reason when one cancels", () => {
    const moved = renderNotification(
      "studio_booking_rescheduled",
      ctx({ previousStartsAt: new Date("2026-03-02T13:00:00Z"), previousEndsAt: new Date("2026-03-02T15:00:00Z") }),
    );
    expect(moved.text).toContain(`New time: ${BERLIN_WINTER}`);
    expect(moved.text).toContain("Previously: Monday, 2 March 2026, 14:00–16:00 CET");
    expect(renderNotification("studio_booking_cancelled", ctx({ reason: "Flight cancelled" })).text).toContain("Reason: Flight cancelled");
    expect(renderNotification("studio_booking_cancelled", ctx({ reason: null })).text).toContain("Reason: none given");
  });

  it("puts the customer's own zone in the subject when they are elsewhere (Tokyo), the studio's in the studio's mail", () => {
    const tokyo = ctx({ customerTimezone: "Asia/Tokyo" });
    expect(renderNotification("booking_confirmed", tokyo).subject).toBe("Confirmed: Fine-line tattoo with Mara on Tue 3 Mar, 22:00 GMT+9");
    expect(renderNotification("studio_new_request", tokyo).subject).toMatch(/on Tue 3 Mar, 14:00 CET$/);
  });

  it("says how far ahead a reminder is", () => {
    expect(renderNotification("booking_reminder", ctx({ reminderLeadMinutes: 1440 })).text).toContain("is in 1 day.");
    expect(renderNotification("booking_reminder", ctx({ reminderLeadMinutes: 120 })).text).toContain("is in 2 hours.");
  });

  it("sends 'Request another time' to the same artist and service, not the home page", () => {
    const r = renderNotification("booking_rejected", ctx({ bookAgainUrl: "https://book.example/artists/mara?service=fine-line" }));
    expect(r.text).toContain("Request another time: https://book.example/artists/mara?service=fine-line");
  });

  it("prints the raw link so it can break anywhere on a phone", () => {
    const r = renderNotification("booking_confirmed", ctx({ manageUrl: `https://book.example/bookings/x?token=${"a".repeat(120)}` }));
    expect(r.html).toMatch(/word-break:break-all[^>]*>Or open this link: <a href="https:\/\/book\.example\/bookings\/x\?token=a{120}"/);
  });
});
