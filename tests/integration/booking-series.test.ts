/**
 * Repeat appointments after a confirmed booking (issue 16): the studio's "Repeat this booking"
 * and the customer's "Book again every N weeks", and cancelling "this one" / "this and the
 * following". What a user would see go wrong if these failed: a taken week silently skipped, a
 * repeat that is not linked to the booking it repeats (no "Series: n of m", no series cancel), a
 * customer booking again a service the studio keeps for itself, "this and the following"
 * cancelling an earlier week, a customer stuck with ten weeks because tomorrow's one is inside
 * the notice period, or a booking of the series without its own confirmation and invitation.
 */
import { addMinutes } from "date-fns";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookingEvents, bookings, notifications, services, type Booking } from "@/db/schema";
import { getAdminBookingDetail } from "@/lib/admin/booking-detail";
import { bookingDetailResponseSchema } from "@/lib/admin/response-schemas";
import { signManageToken } from "@/lib/auth/booking-token";
import type { Actor } from "@/lib/bookings/audit-context";
import { bookForCustomer, REPEAT_BOOKING_REASON, repeatBooking, seriesStarts } from "@/lib/bookings/book-for-customer";
import { cancelSeries } from "@/lib/bookings/cancel-series";
import { cancelSeriesAsCustomer, getCustomerSeriesView, repeatBookingAsCustomer } from "@/lib/bookings/customer-booking-commands";
import { HoldfastError } from "@/lib/errors";
import { saveService } from "@/lib/studio/save-studio";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { createTestArtist, futureSlot, insertTestBooking, setupTestDatabase, uniqueTag } from "../support/test-db";

const db = setupTestDatabase();
const admin: Actor = { kind: "admin", id: "admin-series-1", ip: "203.0.113.9", userAgent: "vitest" };
const TZ = "Europe/Berlin";
/** Each test its own address, so the customer limits of one never refuse another. */
const client = () => ({ ip: `198.51.100.${Math.floor(Math.random() * 200) + 20}`, userAgent: "vitest-series" });

async function studio() {
  const { artist, service } = await createTestArtist(db);
  return { artist, service, refs: { artist: artist.slug, service: service.slug } };
}

async function confirmedBooking(refs: { artist: string; service: string }, start: Date) {
  const tag = uniqueTag();
  const customer = { name: `Ines ${tag}`, email: `ines-${tag}@example.com`, phone: "+49 30 555" };
  const { bookings: made } = await bookForCustomer(db, { ...refs, start, customer, actor: admin });
  return { booking: made[0]!, customer };
}

async function takeSlot(artistId: string, serviceId: string, start: Date) {
  await insertTestBooking(db, { artistId, serviceId, start, status: "confirmed", customerName: "Other", customerEmail: "other@example.com" });
}

async function rowsOf(ids: string[]) {
  return db.select().from(bookings).where(inArray(bookings.id, ids));
}

/** Every new booking of a series has its own customer confirmation carrying the invitation (iTIP REQUEST) for that booking. */
async function expectOwnConfirmationWithInvitation(made: Booking[], email: string) {
  const mails = await db
    .select()
    .from(notifications)
    .where(
      and(
        inArray(
          notifications.bookingId,
          made.map((b) => b.id),
        ),
        eq(notifications.kind, "booking_confirmed"),
      ),
    );
  expect(mails.map((m) => m.bookingId).sort()).toEqual(made.map((b) => b.id).sort());
  for (const mail of mails) {
    const booking = made.find((b) => b.id === mail.bookingId)!;
    expect(mail.recipient).toBe(email);
    expect(mail.icsAttachment).toMatch(/^METHOD:REQUEST\r?$/m);
    expect(mail.icsAttachment).toContain(booking.id);
  }
}

describe("repeat series after a confirmed booking", () => {
  it("the admin repeats a confirmed booking: it joins the series, a taken week comes back with alternatives, and one click books one into the series", async () => {
    const { artist, service, refs } = await studio();
    const { booking: original, customer } = await confirmedBooking(refs, futureSlot(30, "11:00"));
    expect(original.seriesId).toBeNull();
    const starts = seriesStarts(original.startsAt, TZ, 2, 4);
    await takeSlot(artist.id, service.id, starts[2]!);

    const result = await repeatBooking(db, { bookingId: original.id, repeat: { everyWeeks: 2, count: 3 }, actor: admin });
    expect(result.bookings.map((b) => b.startsAt.toISOString())).toEqual([starts[1]!, starts[3]!].map((d) => d.toISOString()));
    expect(result.conflicts).toHaveLength(1);
    const [conflict] = result.conflicts;
    expect(conflict).toMatchObject({ start: starts[2]!.toISOString(), code: "slot_taken" });
    expect(conflict!.alternatives.length).toBeGreaterThan(0);
    expect(conflict!.alternatives.length).toBeLessThanOrEqual(3);
    expect(conflict!.alternatives.map((a) => a.start)).not.toContain(conflict!.start);
    expect(result.seriesId).toEqual(expect.any(String));
    for (const b of result.bookings) expect(b).toMatchObject({ status: "confirmed", seriesId: result.seriesId, customerEmail: customer.email });
    const [linked] = await rowsOf([original.id]);
    expect(linked!.seriesId).toBe(result.seriesId);
    // The link is an audited change of the original, by the admin, with the repeat as its reason.
    const linkEvents = await db
      .select()
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, original.id), eq(bookingEvents.operation, "UPDATE")));
    expect(linkEvents).toEqual([expect.objectContaining({ actorKind: "admin", actorId: admin.id, reason: REPEAT_BOOKING_REASON })]);

    const alternative = new Date(conflict!.alternatives[0]!.start);
    const picked = await repeatBooking(db, { bookingId: original.id, repeat: null, start: alternative, actor: admin });
    expect(picked.bookings[0]).toMatchObject({ seriesId: result.seriesId, status: "confirmed" });
    expect(picked.bookings[0]!.startsAt.toISOString()).toBe(alternative.toISOString());
    await expectOwnConfirmationWithInvitation([...result.bookings, ...picked.bookings], customer.email);

    // "Series: 1 of 4" on the detail page, and the REST answer still matches its strict schema.
    const detail = await getAdminBookingDetail(db, original.id);
    expect(() => bookingDetailResponseSchema.parse(JSON.parse(JSON.stringify(detail)))).not.toThrow();
    expect(detail.series!.id).toBe(result.seriesId);
    expect(detail.series!.bookings.map((b) => b.id)).toEqual(
      [original, ...result.bookings, ...picked.bookings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).map((b) => b.id),
    );
    expect(detail.series!.bookings[0]).toEqual({ id: original.id, start: original.startsAt.toISOString(), status: "confirmed" });
    const single = await confirmedBooking(refs, futureSlot(31, "15:00"));
    expect((await getAdminBookingDetail(db, single.booking.id)).series).toBeNull();

    // Only a confirmed booking is repeated.
    await cancelSeries(db, { bookingId: single.booking.id, scope: "this", actor: admin });
    const refused = await repeatBooking(db, { bookingId: single.booking.id, repeat: { everyWeeks: 1, count: 2 }, actor: admin }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "invalid_transition" });
  });

  it("'this and the following' cancels exactly the chosen booking and the later ones of its series", async () => {
    const { refs } = await studio();
    const { booking: original } = await confirmedBooking(refs, futureSlot(40, "10:00"));
    const { bookings: made } = await repeatBooking(db, { bookingId: original.id, repeat: { everyWeeks: 1, count: 3 }, actor: admin, notify: false });
    const other = await confirmedBooking(refs, addMinutes(made[1]!.startsAt, 120));
    const [first, second, third, fourth] = [original, ...made];

    const cancelled = await cancelSeries(db, { bookingId: second!.id, scope: "following", actor: admin, reason: "moving away" });
    expect(cancelled.map((b) => b.id)).toEqual([second!.id, third!.id, fourth!.id]);
    const rows = await rowsOf([first!.id, second!.id, third!.id, fourth!.id, other.booking.id]);
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      [first!.id]: "confirmed",
      [second!.id]: "cancelled",
      [third!.id]: "cancelled",
      [fourth!.id]: "cancelled",
      [other.booking.id]: "confirmed",
    });
  });

  it("a customer may book again only when the service allows it, only offered free times, each booking with its own confirmation and invitation", async () => {
    const { artist, service, refs } = await studio();
    const { booking: original, customer } = await confirmedBooking(refs, futureSlot(20, "13:00"));
    const link = { bookingId: original.id, token: signManageToken(original), client: client() };
    const countOfArtist = async () => (await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.artistId, artist.id))).length;

    const before = await countOfArtist();
    const refused = await repeatBookingAsCustomer(db, { ...link, repeat: { everyWeeks: 1, count: 2 } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HoldfastError);
    expect(refused).toMatchObject({ code: "forbidden" });
    expect(await countOfArtist()).toBe(before);
    expect(await getCustomerSeriesView(db, { bookingId: original.id, token: link.token })).toEqual({ canRepeat: false, series: null });

    // The studio ticks "Customers may book this again every few weeks"; a caller that leaves the field out keeps it.
    const fields = {
      id: service.id,
      name: service.name,
      slug: service.slug,
      durationMinutes: service.durationMinutes,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      priceCents: service.priceCents,
      minNoticeMinutes: 0,
      bookingWindowDays: service.bookingWindowDays,
      slotStepMinutes: service.slotStepMinutes,
      active: true,
      autoConfirm: false,
    };
    expect((await saveService(db, { ...fields, customerCanRepeat: "on" } as never)).customerCanRepeat).toBe(true);
    expect((await saveService(db, fields as never)).customerCanRepeat).toBe(true);
    const [stored] = await db.select({ allowed: services.customerCanRepeat }).from(services).where(eq(services.id, service.id));
    expect(stored!.allowed).toBe(true);

    const starts = seriesStarts(original.startsAt, TZ, 1, 4);
    await takeSlot(artist.id, service.id, starts[2]!);
    const tooMany = await repeatBookingAsCustomer(db, { ...link, repeat: { everyWeeks: 1, count: 7 } }).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ code: "invalid_input" });

    const result = await repeatBookingAsCustomer(db, { ...link, repeat: { everyWeeks: 1, count: 3 } });
    expect(result.bookings.map((b) => b.startsAt.toISOString())).toEqual([starts[1]!, starts[3]!].map((d) => d.toISOString()));
    expect(result.conflicts.map((c) => c.start)).toEqual([starts[2]!.toISOString()]);
    expect(result.conflicts[0]!.alternatives.length).toBeGreaterThan(0);
    const audit = await db
      .select()
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, result.bookings[0]!.id), eq(bookingEvents.operation, "INSERT")));
    expect(audit).toEqual([expect.objectContaining({ actorKind: "customer", ip: link.client.ip })]);

    // A time outside what the customer is offered (before the artist's hours) is refused; the studio's override is not theirs.
    const offHours = futureSlot(60, "06:00");
    const outside = await repeatBookingAsCustomer(db, { ...link, start: offHours }).catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(HoldfastError);
    expect((await rowsOf(result.bookings.map((b) => b.id))).every((b) => b.startsAt.getTime() !== offHours.getTime())).toBe(true);

    const picked = await repeatBookingAsCustomer(db, { ...link, start: new Date(result.conflicts[0]!.alternatives[0]!.start) });
    expect(picked.bookings[0]!.seriesId).toBe(result.seriesId);
    const made = [...result.bookings, ...picked.bookings];
    await expectOwnConfirmationWithInvitation(made, customer.email);
    // The studio hears of each booking the customer made, as of any other.
    const studioMails = await db
      .select({ bookingId: notifications.bookingId })
      .from(notifications)
      .where(
        and(
          inArray(
            notifications.bookingId,
            made.map((b) => b.id),
          ),
          eq(notifications.kind, "studio_new_booking"),
        ),
      );
    expect(studioMails).toHaveLength(made.length);

    const view = await getCustomerSeriesView(db, { bookingId: original.id, token: link.token });
    expect(view.canRepeat).toBe(true);
    expect(view.series!.bookings.map((b) => b.id)).toEqual([original, ...made].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).map((b) => b.id));
  });

  it("the customer's 'this and the following' refuses the ones inside the notice period with the notice error and cancels the rest", async () => {
    const { service, refs } = await studio();
    await db.update(services).set({ customerCanRepeat: true }).where(eq(services.id, service.id));
    const { booking: original } = await confirmedBooking(refs, futureSlot(25, "10:00"));
    const link = { bookingId: original.id, token: signManageToken(original), client: client() };
    const { bookings: later } = await repeatBookingAsCustomer(db, { ...link, repeat: { everyWeeks: 1, count: 2 } });
    expect(later).toHaveLength(2);
    const { cancellationNoticeHours } = await getStudioSettings(db);
    // The customer's clock: the first booking starts inside the notice period, the weekly ones after it do not.
    const now = new Date(original.startsAt.getTime() - (cancellationNoticeHours / 2) * 3_600_000);

    const onlyThis = await cancelSeriesAsCustomer(db, { ...link, scope: "this", now }).catch((e: unknown) => e);
    expect(onlyThis).toMatchObject({ code: "cancellation_window_passed" });

    const outcome = await cancelSeriesAsCustomer(db, { ...link, scope: "following", reason: "moving", now });
    expect(outcome.cancelled.map((b) => b.id)).toEqual(later.map((b) => b.id));
    expect(outcome.refused).toEqual([
      { id: original.id, start: original.startsAt.toISOString(), code: "cancellation_window_passed", message: expect.stringContaining("contact the studio") },
    ]);
    const status = Object.fromEntries((await rowsOf([original.id, ...later.map((b) => b.id)])).map((r) => [r.id, r.status]));
    expect(status).toEqual({ [original.id]: "confirmed", [later[0]!.id]: "cancelled", [later[1]!.id]: "cancelled" });
    const cancelEvents = await db
      .select()
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, later[1]!.id), eq(bookingEvents.newStatus, "cancelled")));
    expect(cancelEvents).toEqual([expect.objectContaining({ actorKind: "customer", reason: "moving" })]);

    // Nothing left that may be cancelled online: the notice error itself, as for a single booking.
    const nothingLeft = await cancelSeriesAsCustomer(db, { ...link, scope: "following", now }).catch((e: unknown) => e);
    expect(nothingLeft).toMatchObject({ code: "cancellation_window_passed" });
    expect((await rowsOf([original.id]))[0]!.status).toBe("confirmed");
  });
});
