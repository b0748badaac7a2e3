import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { queryDb, requestThroughApi, uniqueClientIp, waitForEmail } from "./support/e2e-runtime";
import { ManagePage } from "./pages/manage-page";
import { clock, dayOfWeek, mondayInWeeks, newCustomer, PHONE } from "./pages/screens";

// The private manage link: reschedule, cancel, the studio's notice period, and what a wrong
// link gets. Bookings are made through the public API to keep these tests short.

async function bookThroughApi(request: APIRequestContext, opts: { artist: string; service: string; date: string; slotIndex?: number }) {
  const email = `manage-${randomUUID().slice(0, 8)}@example.com`;
  const { booking, slot } = await requestThroughApi(request, { ...opts, email, name: "Mo Manage" });
  const url = new URL(booking.manageUrl);
  return { booking, slot, email, managePath: `${url.pathname}${url.search}`, token: url.searchParams.get("token")! };
}

test.describe("manage a booking through the private link", () => {
  test("the customer reschedules (keeping the old time when the new one was just taken) and then cancels; the history shows each step", async ({
    browser,
    request,
  }) => {
    const week = mondayInWeeks(9);
    const tuesday = dayOfWeek(week, 2);
    const wednesday = dayOfWeek(week, 3);
    const { booking, slot, email, managePath } = await bookThroughApi(request, { artist: "jonas", service: "deep-tissue-massage", date: tuesday });
    const { context, page } = await newCustomer(browser, { viewport: PHONE });
    const manage = new ManagePage(page);
    await manage.goto(managePath);
    await expect(manage.studioTime).toContainText(`${clock(slot.start, "Europe/Berlin")}–`);
    await manage.waitUntilInteractive();
    await manage.openReschedule();

    // Someone else takes the Wednesday time the customer is about to choose.
    const target = manage.rescheduleSlotsOn(wednesday).first();
    const targetStart = (await target.getAttribute("data-start"))!;
    const other = await request.post("/api/holds", {
      headers: { "x-forwarded-for": uniqueClientIp() },
      data: { artist: "jonas", service: "deep-tissue-massage", start: targetStart },
    });
    expect(other.status()).toBe(201);
    await manage.moveTo(target);
    await expect(page.getByTestId("slot-conflict")).toContainText("Your booking keeps its current time");
    const [unchanged] = await queryDb<{ starts_at: Date }>("select starts_at from bookings where id = $1", [booking.id]);
    expect(unchanged!.starts_at.toISOString()).toBe(slot.start);

    // An alternative works: the booking moves in one step.
    const alternative = page.getByTestId("slot-conflict").locator(".slot.alternative").first();
    const newStart = (await alternative.getAttribute("data-start"))!;
    await alternative.click();
    await expect(page.getByRole("heading", { name: "Move your booking?" })).toBeFocused();
    await page.getByRole("button", { name: "Move booking" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your booking now starts" })).toBeVisible();
    await expect(manage.studioTime).toContainText(`${clock(newStart, "Europe/Berlin")}–`);
    await expect(manage.history).toContainText("Moved to a new time");
    const [moved] = await queryDb<{ starts_at: Date; status: string }>("select starts_at, status from bookings where id = $1", [booking.id]);
    expect(moved!.starts_at.toISOString()).toBe(newStart);
    expect(moved!.status).toBe("pending");
    // The old time is free again for others.
    const freed = await (await request.get(`/api/availability?artist=jonas&service=deep-tissue-massage&from=${tuesday}&to=${tuesday}`)).json();
    expect(freed.slots.map((s: { start: string }) => s.start)).toContain(slot.start);
    await waitForEmail((m) => m.to.includes(email) && /rescheduled|moved|new time/i.test(m.subject));

    // Cancel with a reason.
    await manage.cancel("Plans changed");
    await expect(manage.statusLine).toHaveText("This booking is cancelled.");
    await expect(manage.status).toHaveText("Cancelled");
    await expect(manage.history).toContainText("Cancelled");
    await expect(manage.actions).toHaveCount(0);
    const [cancelled] = await queryDb<{ status: string; decision_reason: string }>("select status, decision_reason from bookings where id = $1", [booking.id]);
    expect(cancelled).toEqual({ status: "cancelled", decision_reason: "Plans changed" });
    await context.close();
  });

  test("a confirmed booking inside the 24-hour notice cannot be cancelled online, and the customer is told why", async ({ browser, request }) => {
    const { booking, managePath } = await bookThroughApi(request, { artist: "mara", service: "consultation", date: dayOfWeek(mondayInWeeks(9), 4) });
    expect(booking.status).toBe("confirmed");
    // Move it to a few hours from now (as if the customer opened the link the day before).
    await queryDb(
      "update bookings set starts_at = date_trunc('minute', now()) + interval '5 hours 7 minutes', ends_at = date_trunc('minute', now()) + interval '5 hours 37 minutes' where id = $1",
      [booking.id],
    );
    const { context, page } = await newCustomer(browser);
    const manage = new ManagePage(page);
    await manage.goto(managePath);
    await manage.waitUntilInteractive();
    await manage.cancel();
    await expect(manage.actions.getByRole("alert")).toContainText("up to 24 hours before they start");
    const [row] = await queryDb<{ status: string }>("select status from bookings where id = $1", [booking.id]);
    expect(row!.status).toBe("confirmed");
    await context.close();
  });

  test("a tampered or missing token gets the 404 page, never the booking", async ({ browser, request }) => {
    const { booking, token, email } = await bookThroughApi(request, { artist: "kai", service: "flash-tattoo", date: dayOfWeek(mondayInWeeks(9), 2) });
    const tampered = `${token.slice(0, -3)}${token.endsWith("abc") ? "xyz" : "abc"}`;
    const { context, page } = await newCustomer(browser, { viewport: PHONE });
    for (const path of [
      `/bookings/${booking.id}?token=${tampered}`,
      `/bookings/${booking.id}`,
      `/bookings/${booking.id}/confirmed?token=${tampered}`,
      `/bookings/not-a-uuid?token=${token}`,
    ]) {
      const res = await page.goto(path);
      expect(res!.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not find that booking");
      await expect(page.getByText(email)).toHaveCount(0);
    }
    const ics = await request.get(`/bookings/${booking.id}/calendar?token=${tampered}`);
    expect(ics.status()).toBe(404);
    const ok = await request.get(`/bookings/${booking.id}/calendar?token=${token}`);
    expect(ok.status()).toBe(200);
    expect(ok.headers()["content-type"]).toContain("text/calendar");
    await context.close();
  });
});

test.describe("my bookings", () => {
  test("a customer signs in with an emailed link and sees their upcoming and cancelled bookings, each with its manage link", async ({ browser, request }) => {
    const week = mondayInWeeks(10);
    const email = `mine-${randomUUID().slice(0, 8)}@example.com`;
    const upcoming = await requestThroughApi(request, { artist: "mara", service: "flash-tattoo", date: dayOfWeek(week, 2), email, name: "Mia Mine" });
    const cancelled = await requestThroughApi(request, {
      artist: "kai",
      service: "flash-tattoo",
      date: dayOfWeek(week, 3),
      email: email.toUpperCase(),
      name: "Mia Mine",
    });
    const token = new URL(cancelled.booking.manageUrl).searchParams.get("token");
    expect((await request.post(`/api/bookings/${cancelled.booking.id}/cancel`, { data: { token } })).status()).toBe(200);

    const { context, page } = await newCustomer(browser, { viewport: PHONE });
    await page.goto("/my-bookings");
    await page.getByRole("link", { name: "Email me a sign-in link" }).click();
    await page.getByLabel("Your email").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    const mail = await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("Sign in"));
    const link = /https?:\/\/\S+\/api\/auth\/callback\/\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);

    await expect(page).toHaveURL(/\/my-bookings$/);
    await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
    const upcomingList = page.getByRole("region", { name: "Upcoming" });
    const pastList = page.getByRole("region", { name: "Past and cancelled" });
    await expect(upcomingList.getByText("Flash tattoo with Mara Voss")).toBeVisible();
    await expect(pastList.getByText("Flash tattoo with Kai Moreno")).toBeVisible();
    await expect(pastList.locator(".badge")).toHaveText("Cancelled");
    await upcomingList.getByRole("link", { name: /reschedule or cancel/ }).click();
    await expect(page).toHaveURL(new RegExp(`/bookings/${upcoming.booking.id}\\?token=`));
    await expect(new ManagePage(page).studioTime).toContainText(`${clock(upcoming.slot.start, "Europe/Berlin")}–`);
    await context.close();
  });
});
