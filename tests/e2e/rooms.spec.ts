import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { uniqueClientIp } from "./support/e2e-runtime";
import { BookingPage } from "./pages/booking-page";
import { AdminSignInPage } from "./pages/admin-session";
import { AdminBookingDetailPage } from "./pages/admin-bookings";
import { DESKTOP, PHONE, dayOfWeek, mondayInWeeks, newCustomer, screenshot } from "./pages/screens";

// Issue 13: the demo practice has three massage therapists and two treatment rooms. If rooms were
// not guarded, a third customer could book the same hour and two massages would share one room;
// if the room were not shown, the therapist and the admin would not know where to go.

const THURSDAY = dayOfWeek(mondayInWeeks(12), 4);
const MASSAGE = "deep-tissue-massage";

type Slot = { start: string; end: string };

async function startsOf(request: APIRequestContext, artist: string): Promise<string[]> {
  const res = await request.get(`/api/availability?artist=${artist}&service=${MASSAGE}&from=${THURSDAY}&to=${THURSDAY}`, {
    headers: { "x-forwarded-for": uniqueClientIp() },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()).slots as Slot[]).map((s) => s.start);
}

async function bookAt(request: APIRequestContext, artist: string, start: string) {
  const headers = { "x-forwarded-for": uniqueClientIp() };
  const held = await request.post("/api/holds", { headers, data: { artist, service: MASSAGE, start } });
  expect(held.status(), await held.text()).toBe(201);
  const { hold } = await held.json();
  const booked = await request.post("/api/bookings", {
    headers: { ...headers, "idempotency-key": randomUUID() },
    data: { holdId: hold.id, holdToken: hold.token, customer: { name: `Room test ${artist}`, email: `rooms-${randomUUID().slice(0, 8)}@example.com` } },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  return (await booked.json()).booking as { id: string; status: string };
}

test.describe("rooms and stations", () => {
  test("when both treatment rooms are taken, the third therapist's hour is not offered, a stale page says no room is free, and the API answers 409 no_room_free", async ({
    browser,
    request,
  }) => {
    // A start all three therapists are free at, so the rooms, not the therapists, decide.
    const [lena, jonas, noor] = await Promise.all([startsOf(request, "lena"), startsOf(request, "jonas"), startsOf(request, "noor")]);
    const shared = lena.find((s) => jonas.includes(s) && noor.includes(s));
    expect(shared, "a start Lena, Jonas and Noor are all free at").toBeTruthy();

    // A customer has Lena's week open while the last two rooms go.
    const { context, page } = await newCustomer(browser, { viewport: DESKTOP });
    const booking = new BookingPage(page);
    await booking.goto("lena", MASSAGE, mondayInWeeks(12));
    await booking.waitUntilInteractive();
    await booking.showWeekView();
    await booking.goToWeek(mondayInWeeks(12));
    await expect(booking.slotAt(shared!)).toBeVisible();

    await bookAt(request, "jonas", shared!);
    await bookAt(request, "noor", shared!);

    await booking.slotAt(shared!).click();
    await expect(page.getByRole("heading", { name: "Sorry — no room is free then" })).toBeVisible();
    await expect(page.getByText(/Lena Park is free at .*, but every room for this service was just taken/)).toBeVisible();
    await expect(booking.alternatives().first()).toBeVisible();
    await context.close();

    // Lena is free, but no room is: the time is gone from her availability…
    expect(await startsOf(request, "lena")).not.toContain(shared);
    // …and a customer who still holds it (a stale page) gets the reason and other times.
    const res = await request.post("/api/holds", {
      headers: { "x-forwarded-for": uniqueClientIp() },
      data: { artist: "lena", service: MASSAGE, start: shared },
    });
    expect(res.status()).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe("no_room_free");
    expect(body.error.message).toMatch(/no room/i);
    expect(body.error.alternatives.length).toBeGreaterThan(0);
    for (const alt of body.error.alternatives as Slot[]) expect(alt.start).not.toBe(shared);
  });

  for (const viewport of [PHONE, DESKTOP]) {
    test(`a customer books a massage at ${viewport.width} px and sees which room; the admin sees it on the booking and in the week by room`, async ({
      browser,
    }) => {
      const { context, page } = await newCustomer(browser, { viewport });
      const booking = new BookingPage(page);
      await booking.goto("lena", MASSAGE, mondayInWeeks(12));
      await booking.waitUntilInteractive();
      await booking.showWeekView();
      await booking.goToWeek(mondayInWeeks(12));
      const { slot } = await booking.slotOn(THURSDAY, viewport === PHONE ? 1 : 2);
      await slot.click();
      await booking.expectHeld();
      await booking.fillDetails({ name: "Rita Room", email: `room-${randomUUID().slice(0, 8)}@example.com` });
      await booking.submitButton.click();

      await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}\/confirmed\?token=/);
      const room = page.getByTestId("booking-room");
      await expect(room).toHaveText(/^Treatment room [12]$/);
      const roomName = (await room.textContent())!;
      await screenshot(page, "massage-confirmation-room");
      const bookingId = /\/bookings\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
      await context.close();

      const admin = await browser.newPage({ viewport });
      await new AdminSignInPage(admin).signInAsAdmin(`/admin/bookings/${bookingId}`);
      const detail = new AdminBookingDetailPage(admin);
      await detail.goto(bookingId);
      await expect(admin.getByTestId("booking-resource-room")).toHaveText(roomName);

      await admin.goto(`/admin/calendar?week=${THURSDAY}&lanes=rooms`);
      await expect(admin.getByRole("link", { name: "By room" })).toHaveAttribute("aria-current", "page");
      const lane = admin.getByRole("group", { name: new RegExp(`^${roomName}, `) }).filter({ has: admin.locator(`a[href="/admin/bookings/${bookingId}"]`) });
      await expect(lane).toHaveCount(1);
      await expect(lane.locator(`a[href="/admin/bookings/${bookingId}"]`)).toContainText("Lena Park");
      await screenshot(admin, "admin-calendar-by-room");
      await admin.close();
    });
  }
});
