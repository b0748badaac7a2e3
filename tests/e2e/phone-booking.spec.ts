import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ADMIN, AdminSignInPage } from "./pages/admin-session";
import { AdminStudioPage } from "./pages/admin-studio";
import { NewBookingPage, RETURNING_CUSTOMER } from "./pages/new-booking-page";
import { clock, dateIn, dayOfWeek, mondayInWeeks } from "./pages/screens";
import { e2eRuntime, queryDb, waitForEmail, type InboxMessage } from "./support/e2e-runtime";

// If this fails, a regular who calls the studio is not found by their number, their weekly series
// is not booked in one step (or weeks go missing without being listed), or they never get the
// confirmations with the invitations their calendar app needs: they would not know they are booked,
// or would have to add four appointments by hand.

const TZ = "Europe/Berlin";
const WEEKS = 4;

/** The text/calendar alternative of a mail as the SMTP peer received it (quoted-printable already undone). */
function calendarPart(mail: InboxMessage) {
  const part = /^Content-Type: text\/calendar;([^\r\n]*)\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/im.exec(mail.text);
  return part ? { params: part[1]!, body: part[2]! } : null;
}

test.describe("phone booking", () => {
  test("an admin books a returning customer found by phone for 4 weekly appointments, and each booking's confirmation with its invitation arrives", async ({
    page,
  }) => {
    // The demo seed (scripts/prepare-runtime.ts -> seedReturningCustomer) gives the e2e server a customer with earlier bookings.
    const earlier = await queryDb<{ n: number }>("select count(*)::int as n from bookings where lower(customer_email) = $1", [RETURNING_CUSTOMER.email]);
    expect(earlier[0]!.n, "the e2e database has no returning customer from the seed").toBeGreaterThan(0);

    // An artist of this test's own, so every week of the series is free whatever the other specs book.
    const tag = randomUUID().slice(0, 6);
    const artistName = `Phone Series ${tag}`;
    await new AdminSignInPage(page).signInAsAdmin("/admin/studio");
    const studio = new AdminStudioPage(page);
    await studio.createArtist({ name: artistName, slug: `phone-${tag}`, timezone: TZ });
    await studio.offerServices(["Flash tattoo"]);
    await studio.setHours([1, 2, 3, 4, 5], "10:00", "18:00");
    await studio.saveHours();
    await expect(studio.reviewList()).toContainText("None");

    const form = new NewBookingPage(page);
    await form.goto();
    await form.chooseArtistAndService(artistName, "Flash tattoo");
    const monday = mondayInWeeks(6);
    await form.goToWeek(monday);
    const first = await form.pickFirstFreeTime();
    // The first time the week offers: Monday at opening time on the artist's clock.
    expect(dateIn(first, TZ)).toBe(monday);
    expect(clock(first, TZ)).toBe("10:00");

    // Found by the phone's digits, spaced as the caller reads them out (stored as "+49 30 5550123").
    await form.pickEarlierCustomer("30 555 0123", RETURNING_CUSTOMER.name);
    await expect(form.customerField("Name")).toHaveValue(RETURNING_CUSTOMER.name);
    await expect(form.customerField("Email")).toHaveValue(RETURNING_CUSTOMER.email);
    await expect(form.customerField("Phone")).toHaveValue(RETURNING_CUSTOMER.phone);
    await expect(form.notify).toBeChecked();

    await form.repeatWeekly(1, WEEKS);
    await form.book();
    await expect(form.form.getByRole("alert")).toHaveCount(0);
    await expect(form.outcome.getByRole("link")).toHaveCount(WEEKS);
    await expect(form.conflicts()).toHaveCount(0);
    const ids = await form.bookedIds();
    expect(new Set(ids).size).toBe(WEEKS);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // Stored as one confirmed series for this customer, same wall-clock time each Monday, made by the admin.
    const rows = await queryDb<{ id: string; status: string; series_id: string | null; customer_email: string; starts_at: Date }>(
      "select id, status, series_id, customer_email, starts_at from bookings where id = any($1) order by starts_at",
      [ids],
    );
    expect(rows).toHaveLength(WEEKS);
    expect(new Set(rows.map((r) => r.series_id)).size).toBe(1);
    expect(rows[0]!.series_id).not.toBeNull();
    rows.forEach((row, k) => {
      expect(row).toMatchObject({ status: "confirmed", customer_email: RETURNING_CUSTOMER.email });
      expect(dateIn(row.starts_at.toISOString(), TZ)).toBe(dayOfWeek(mondayInWeeks(6 + k), 1));
      expect(clock(row.starts_at.toISOString(), TZ)).toBe("10:00");
    });
    expect(rows[0]!.starts_at.toISOString()).toBe(first);
    const audit = await queryDb<{ booking_id: string; actor_kind: string; reason: string | null; actor_email: string | null }>(
      `select e.booking_id, e.actor_kind, e.reason, u.email as actor_email
         from booking_events e left join users u on u.id::text = e.actor_id
        where e.booking_id = any($1) and e.operation = 'INSERT'`,
      [ids],
    );
    expect(audit).toHaveLength(WEEKS);
    for (const event of audit) expect(event).toMatchObject({ actor_kind: "admin", reason: "phone booking", actor_email: ADMIN.email });

    // One confirmation per booking, each with its own invitation (iMIP REQUEST, the booking's stable UID).
    const isConfirmationOf = (id: string) => (m: InboxMessage) =>
      m.to.includes(RETURNING_CUSTOMER.email) && m.subject.startsWith("Confirmed:") && m.text.includes(`/bookings/${id}?token=`);
    const uids: string[] = [];
    for (const id of ids) {
      const mail = await waitForEmail(isConfirmationOf(id), 30_000);
      const invitation = calendarPart(mail);
      expect(invitation, `the confirmation of ${id} has no text/calendar part`).not.toBeNull();
      expect(invitation!.params).toMatch(/method=REQUEST/i);
      expect(invitation!.body).toMatch(/^METHOD:REQUEST\r?$/m);
      const uid = /^UID:(.+?)\r?$/m.exec(invitation!.body)?.[1];
      expect(uid).toBe(`${id}@holdfast`);
      uids.push(uid!);
    }
    expect(new Set(uids).size).toBe(WEEKS);
    const inbox = (await (await fetch(e2eRuntime().mailUrl)).json()) as InboxMessage[];
    for (const id of ids) expect(inbox.filter(isConfirmationOf(id)), `confirmations of ${id}`).toHaveLength(1);
  });
});
