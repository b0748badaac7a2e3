import type { NotificationContext } from "@/lib/notifications/templates";

/** One booking's mail context (Tuesday 3 March 2026, 14:00–16:00 in Berlin) for the template tests; `overrides` replace fields. */
export function notificationContext(overrides: Partial<NotificationContext> = {}): NotificationContext {
  return {
    studioName: "Holdfast Studio",
    appUrl: "https://book.example",
    bookingId: "7d3e9a10-booking",
    artistName: "Mara",
    serviceName: "Fine-line tattoo",
    // Tuesday 3 March 2026, 14:00–16:00 in Berlin (CET).
    startsAt: new Date("2026-03-03T13:00:00Z"),
    endsAt: new Date("2026-03-03T15:00:00Z"),
    timezone: "Europe/Berlin",
    customerTimezone: null,
    customerName: "Anna Schmidt",
    customerEmail: "anna@example.com",
    customerPhone: "+49 170 1234567",
    notes: "Small swallow on the left wrist",
    manageUrl: "https://book.example/b/secret-token",
    ...overrides,
  };
}
