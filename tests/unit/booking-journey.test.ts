/**
 * The steps of a booking's journey (lib/bookings/booking-journey.ts), on a fixed clock. If these
 * fail, an admin looking at a booking is told its calendar event or email is fine while it is
 * late or failed (or the reverse), or is told something is late that the studio chose not to
 * have (no write calendar, no SMTP).
 */
import { describe, expect, it } from "vitest";
import { assembleBookingJourney, type JourneyInput, type JourneyNotification, type JourneyStep } from "@/lib/bookings/booking-journey";

const T0 = new Date("2026-03-03T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function input(overrides: Partial<JourneyInput> = {}, booking: Partial<JourneyInput["booking"]> = {}): JourneyInput {
  return {
    booking: { status: "pending", createdAt: at(-120), caldavHref: null, caldavEtag: null, caldavWrittenAt: null, caldavSeenAt: null, ...booking },
    changes: [
      { at: at(-120), operation: "INSERT", fromStatus: null, toStatus: "hold" },
      { at: T0, operation: "UPDATE", fromStatus: "hold", toStatus: "pending" },
    ],
    writeCalendar: { name: "Bookings" },
    pushJob: null,
    heldByConflict: false,
    notifications: [],
    smtpConfigured: true,
    ...overrides,
  };
}

function mail(overrides: Partial<JourneyNotification> = {}): JourneyNotification {
  return {
    kind: "request_received",
    status: "queued",
    attempts: 0,
    lastError: null,
    providerMessageId: null,
    createdAt: T0,
    updatedAt: T0,
    scheduledFor: null,
    sentAt: null,
    ...overrides,
  };
}

const stepOf = (steps: JourneyStep[], name: JourneyStep["step"], nth = 0) => steps.filter((s) => s.step === name)[nth];
const waitingPush = { attempts: 0, maxAttempts: 25, lastError: null, lockedAt: null };

describe("the booking's own steps", () => {
  it("starts with its creation and lists each status change in order", () => {
    const steps = assembleBookingJourney(input(), at(5));
    expect(steps.slice(0, 2)).toEqual([
      { step: "created", status: "done", at: at(-120).toISOString(), dueAt: null, detail: "as hold" },
      { step: "status_changed", status: "done", at: T0.toISOString(), dueAt: null, detail: "hold → pending" },
    ]);
  });
});

describe("the calendar steps", () => {
  it("shows the write as pending within 60 s of the change and late after, with the push's last error", () => {
    const failing = { ...waitingPush, attempts: 2, lastError: "CalDAV server answered 503" };
    expect(stepOf(assembleBookingJourney(input({ pushJob: failing }), at(59)), "calendar_written")).toMatchObject({
      status: "pending",
      dueAt: at(60).toISOString(),
    });
    const late = stepOf(assembleBookingJourney(input({ pushJob: failing }), at(61)), "calendar_written")!;
    expect(late.status).toBe("late");
    expect(late.detail).toContain("503");
    expect(stepOf(assembleBookingJourney(input({ pushJob: failing }), at(61)), "calendar_push_queued")).toMatchObject({ status: "done", at: T0.toISOString() });
  });

  it("counts the write as done only when it happened after the latest change, with the ETag", () => {
    const written = input({}, { caldavHref: "https://dav/x.ics", caldavEtag: '"e2"', caldavWrittenAt: at(3) });
    expect(stepOf(assembleBookingJourney(written, at(10)), "calendar_written")).toMatchObject({ status: "done", at: at(3).toISOString() });
    expect(stepOf(assembleBookingJourney(written, at(10)), "calendar_written")!.detail).toContain('"e2"');
    // Written for the previous version only: the current change is still on its way (and late after 60 s).
    const stale = input({}, { caldavHref: "https://dav/x.ics", caldavEtag: '"e1"', caldavWrittenAt: at(-100) });
    expect(stepOf(assembleBookingJourney(stale, at(90)), "calendar_written")!.status).toBe("late");
  });

  it("marks the write failed when its push ran out of attempts", () => {
    const dead = { attempts: 25, maxAttempts: 25, lastError: "401 Unauthorized", lockedAt: null };
    expect(stepOf(assembleBookingJourney(input({ pushJob: dead }), at(10)), "calendar_written")).toMatchObject({ status: "failed" });
  });

  it("shows the event as seen once a pull after the write found it, pending before, late after the pull staleness limit", () => {
    const written = { caldavHref: "https://dav/x.ics", caldavEtag: '"e2"', caldavWrittenAt: at(3) };
    expect(stepOf(assembleBookingJourney(input({}, written), at(30)), "calendar_seen")!.status).toBe("pending");
    expect(stepOf(assembleBookingJourney(input({}, written), at(3 + 181)), "calendar_seen")!.status).toBe("late");
    const seenBefore = input({}, { ...written, caldavSeenAt: at(-50) });
    expect(stepOf(assembleBookingJourney(seenBefore, at(30)), "calendar_seen")!.status).toBe("pending");
    const seen = input({}, { ...written, caldavSeenAt: at(21) });
    expect(stepOf(assembleBookingJourney(seen, at(30)), "calendar_seen")).toMatchObject({ status: "done", at: at(21).toISOString() });
  });

  it("waits for the write before looking for the event, so one cause is not shown late twice", () => {
    const steps = assembleBookingJourney(input({ pushJob: waitingPush }), at(500));
    expect(stepOf(steps, "calendar_written")!.status).toBe("late");
    expect(stepOf(steps, "calendar_seen")!.status).toBe("pending");
  });

  it("skips the calendar steps when the artist has no calendar that receives bookings, however long ago the change was", () => {
    const steps = assembleBookingJourney(input({ writeCalendar: null }), at(3600));
    for (const name of ["calendar_push_queued", "calendar_written", "calendar_seen"] as const) expect(stepOf(steps, name)!.status).toBe("skipped");
  });

  it("skips the calendar for a hold, which is never written there", () => {
    const hold = input({ changes: [{ at: T0, operation: "INSERT", fromStatus: null, toStatus: "hold" }] }, { status: "hold" });
    expect(stepOf(assembleBookingJourney(hold, at(3600)), "calendar_written")!.status).toBe("skipped");
  });

  it("shows a cancelled booking's event as removed once the push deleted it", () => {
    const cancelled = input(
      {
        changes: [
          { at: at(-120), operation: "INSERT", fromStatus: null, toStatus: "pending" },
          { at: T0, operation: "UPDATE", fromStatus: "pending", toStatus: "cancelled" },
        ],
      },
      { status: "cancelled", caldavWrittenAt: at(2), caldavSeenAt: at(-60) },
    );
    const steps = assembleBookingJourney(cancelled, at(30));
    expect(stepOf(steps, "calendar_written")).toMatchObject({ status: "done", detail: "event removed from the calendar" });
    expect(stepOf(steps, "calendar_seen")!.status).toBe("skipped");
    // Still in the calendar with a push waiting: late after 60 s like any write.
    const notYet = input({ ...cancelled, pushJob: waitingPush }, { ...cancelled.booking, caldavHref: "https://dav/x.ics", caldavWrittenAt: at(-100) });
    expect(stepOf(assembleBookingJourney(notYet, at(61)), "calendar_written")!.status).toBe("late");
  });

  it("says the calendar keeps the artist's edit while a conflict waits for an admin", () => {
    const steps = assembleBookingJourney(input({ heldByConflict: true }), at(120));
    expect(stepOf(steps, "calendar_written")).toMatchObject({ status: "late" });
    expect(stepOf(steps, "calendar_written")!.detail).toContain("artist's edit");
  });
});

describe("the email steps", () => {
  it("shows each email as queued then sent with its Message-ID", () => {
    const sent = mail({ status: "sent", attempts: 1, providerMessageId: "<n1@holdfast.local>", sentAt: at(4), updatedAt: at(4) });
    const steps = assembleBookingJourney(input({ notifications: [sent, mail({ kind: "studio_new_request" })] }), at(10));
    expect(stepOf(steps, "email_queued")).toMatchObject({ status: "done", at: T0.toISOString(), detail: "request received email to the customer" });
    expect(stepOf(steps, "email_sent")).toMatchObject({ status: "done", at: at(4).toISOString() });
    expect(stepOf(steps, "email_sent")!.detail).toContain("<n1@holdfast.local>");
    expect(stepOf(steps, "email_sent", 1)).toMatchObject({ status: "pending", detail: "new request email to the studio: not sent yet" });
  });

  it("marks an unsent email late 60 s after it was queued while SMTP is configured, with the error but no address", () => {
    const retrying = mail({ attempts: 2, lastError: "Invalid login: 535 Authentication failed for bob@example.com" });
    expect(stepOf(assembleBookingJourney(input({ notifications: [retrying] }), at(60)), "email_sent")!.status).toBe("pending");
    const late = stepOf(assembleBookingJourney(input({ notifications: [retrying] }), at(61)), "email_sent")!;
    expect(late.status).toBe("late");
    expect(late.detail).toContain("535");
    expect(late.detail).not.toContain("bob@example.com");
  });

  it("skips the send while SMTP is not configured (the mail is kept), and never calls it late", () => {
    expect(stepOf(assembleBookingJourney(input({ notifications: [mail()], smtpConfigured: false }), at(3600)), "email_sent")!.status).toBe("skipped");
  });

  it("marks a mail failed after its last attempt, and a withdrawn reminder skipped", () => {
    const failed = mail({ status: "failed", attempts: 10, lastError: "550 mailbox unavailable", updatedAt: at(30) });
    const withdrawn = mail({ kind: "booking_reminder", status: "cancelled", scheduledFor: at(86_400) });
    const steps = assembleBookingJourney(input({ notifications: [failed, withdrawn] }), at(40));
    expect(stepOf(steps, "email_sent")).toMatchObject({ status: "failed", at: at(30).toISOString() });
    expect(stepOf(steps, "email_sent", 1)!.status).toBe("skipped");
  });

  it("counts a reminder from its time, not from when it was planned", () => {
    const reminder = mail({ kind: "booking_reminder", status: "scheduled", scheduledFor: at(3600) });
    expect(stepOf(assembleBookingJourney(input({ notifications: [reminder] }), at(3000)), "email_sent")).toMatchObject({
      status: "pending",
      dueAt: at(3600).toISOString(),
    });
    expect(stepOf(assembleBookingJourney(input({ notifications: [reminder] }), at(3650)), "email_sent")!.status).toBe("pending");
    expect(stepOf(assembleBookingJourney(input({ notifications: [reminder] }), at(3661)), "email_sent")!.status).toBe("late");
  });
});
