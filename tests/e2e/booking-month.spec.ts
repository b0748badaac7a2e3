import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { requestThroughApi, waitForEmail } from "./support/e2e-runtime";
import { BookingPage } from "./pages/booking-page";
import { ManagePage } from "./pages/manage-page";
import { DESKTOP, PHONE, dateIn, dayOfWeek, expectNoHorizontalScroll, mondayInWeeks, newCustomer, screenshot } from "./pages/screens";

// The booking page's month view: a customer finds the first free day at a glance, sees why other
// days are not bookable, books from it on a phone and on a desktop with the held time always in
// view, a visitor from another zone gets a page that does not jump, and a signed-in customer can
// sign out. The app's clock is real: every date here is read from the page, never assumed.

/** Sums the page's layout shifts that no input caused (what CLS counts), from the very first paint. */
async function watchLayoutShifts(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) w.__cls += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  return () => page.evaluate(() => (window as unknown as { __cls: number }).__cls);
}

const CASES = [
  { label: "a 375 px phone", viewport: PHONE, artist: "kai", service: "consultation", zone: "America/Denver", heading: "You're booked in" },
  { label: "a 1280 px desktop", viewport: DESKTOP, artist: "mara", service: "flash-tattoo", zone: "Europe/Berlin", heading: "Request sent" },
] as const;

test.describe("month view", () => {
  for (const c of CASES) {
    test(`on ${c.label} the page opens on the month with the first free day picked and its times listed, and books from it with the held time in view`, async ({
      browser,
    }) => {
      const { context, page } = await newCustomer(browser, { viewport: c.viewport, timezoneId: c.zone });
      const availabilityCalls: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes("/api/availability")) availabilityCalls.push(r.url());
      });
      const booking = new BookingPage(page);
      await booking.gotoMonth(c.artist, c.service);

      // The first free day is marked, picked, and its times are on the page without asking the server again.
      const first = await booking.firstFreeDate();
      await expect(booking.firstFreeDay).toContainText("First free day:");
      await expect(booking.monthDay(first)).toHaveAttribute("aria-pressed", "true");
      await expect(booking.monthDay(first)).toHaveAttribute("data-state", "free");
      await expect(booking.dayTimes).toHaveAttribute("data-date", first);
      const starts = await booking.monthSlots().evaluateAll((els) => els.map((el) => el.getAttribute("data-start")!));
      expect(starts.length).toBeGreaterThan(0);
      for (const start of starts) expect(dateIn(start, c.zone)).toBe(first);
      expect(availabilityCalls, "the month view asked for availability before the customer did anything").toEqual([]);
      // No day before the first free one is offered.
      const freeDates = await page.locator('.month-day[data-state="free"]').evaluateAll((els) => els.map((el) => el.getAttribute("data-date")!));
      expect(freeDates.every((d) => d >= first)).toBe(true);

      // Arrow keys walk the days as in a date picker; Enter picks one. A keyboard user who pressed
      // ArrowRight and stayed put would have to Tab through every day instead.
      const bookable = await page.locator(".month-grid button.month-day").evaluateAll((els) => els.map((el) => el.getAttribute("data-date")!));
      const at = bookable.indexOf(first);
      await booking.monthDay(first).focus();
      if (at + 1 < bookable.length) {
        await page.keyboard.press("ArrowRight");
        await expect(booking.monthDay(bookable[at + 1]!)).toBeFocused();
        await page.keyboard.press("ArrowLeft");
      }
      await page.keyboard.press("End");
      await expect(booking.monthDay(bookable.at(-1)!)).toBeFocused();
      await page.keyboard.press("Home");
      await expect(booking.monthDay(bookable[0]!)).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(booking.monthDay(bookable[0]!)).toHaveAttribute("aria-pressed", "true");
      await booking.monthDay(first).click();

      // A day that cannot be booked says why when picked, and offers the next free one.
      const blocked = page.locator('.month-grid button.month-day:not([data-state="free"])').first();
      if ((await blocked.count()) > 0) {
        await blocked.click();
        await expect(page.locator(".day-reason")).toHaveText(/^(Closed|Fully booked|Too soon|Not open for booking yet)/);
        await booking.monthDay(first).click();
      }
      await expect(booking.monthSlots().first()).toBeVisible();
      await screenshot(page, "month-view");

      const slot = booking.monthSlots().first();
      const start = (await slot.getAttribute("data-start"))!;
      await slot.click();
      await booking.expectHeld();
      await expect(booking.heldSummary).toBeVisible();
      await booking.fillDetails({ name: "Mona Month", email: `month-${randomUUID().slice(0, 8)}@example.com` });
      // The held time and its countdown stay on screen down at the submit button.
      await booking.submitButton.scrollIntoViewIfNeeded();
      await expect(booking.heldSummary).toBeInViewport();
      await expect(booking.heldSummary.locator(".countdown-time")).toBeInViewport();
      if (c.viewport.width >= 900) {
        // Desktop: a side summary to the right of the form.
        const held = (await booking.heldSummary.boundingBox())!;
        const form = (await page.getByLabel("Your name").boundingBox())!;
        expect(held.x).toBeGreaterThan(form.x + form.width);
      }
      await screenshot(page, "held-form");
      await booking.submitButton.click();

      await expect(page).toHaveURL(/\/confirmed\?token=/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(c.heading);
      await expect(new ManagePage(page).studioTime).toBeVisible();
      expect(start).toMatch(/^\d{4}-\d\d-\d\dT/);
      await context.close();
    });
  }

  test("a visitor whose browser is in Tokyo gets the zone select in the server's HTML, no layout shift, and Tokyo days after switching", async ({
    browser,
    request,
  }) => {
    // The server's HTML already holds the select, the month and the first free day's times.
    const html = await (await request.get("/book/jonas/deep-tissue-massage")).text();
    expect(html).toMatch(/<select[^>]*id="book-zone-select"/);
    expect(html).toContain("Studio time — Central European Time (Europe/Berlin)");
    expect(html).toContain('class="month-grid"');
    expect(html).toMatch(/class="slot"[^>]*data-start="/);

    for (const viewport of [PHONE, DESKTOP]) {
      const { context, page } = await newCustomer(browser, { viewport, timezoneId: "Asia/Tokyo" });
      const cls = await watchLayoutShifts(page);
      const booking = new BookingPage(page);
      await booking.gotoMonth("jonas", "deep-tissue-massage");
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(500);
      const shift = await cls();
      expect(shift, `layout shift at ${viewport.width} px`).toBeLessThan(0.02);

      // Studio time first; the visitor's own zone is offered in the same select.
      await expect(booking.zoneSelect).toHaveValue("Europe/Berlin");
      await booking.showTimesInMyZone();
      await expect(page.getByText("Times in Japan Standard Time (Asia/Tokyo)")).toBeVisible();
      await expect(booking.monthView).toHaveAttribute("data-zone", "Asia/Tokyo");
      const first = await booking.firstFreeDate();
      await expect(booking.dayTimes).toHaveAttribute("data-date", first);
      const starts = await booking.monthSlots().evaluateAll((els) => els.map((el) => el.getAttribute("data-start")!));
      expect(starts.length).toBeGreaterThan(0);
      // Each time is listed under its Tokyo day.
      for (const start of starts) expect(dateIn(start, "Asia/Tokyo")).toBe(first);
      await expectNoHorizontalScroll(page);
      await screenshot(page, "month-view-tokyo");

      // The week list is still there, in Tokyo time too.
      await booking.showWeekView();
      await expect(booking.weekGrid).toHaveAttribute("data-zone", "Asia/Tokyo");
      await booking.showMonthView();
      await context.close();
    }
  });
});

test.describe("signed-in customer", () => {
  test("a customer signed in to My bookings on a 375 px phone signs out, and the old session no longer opens their bookings", async ({ browser, request }) => {
    const email = `out-${randomUUID().slice(0, 8)}@example.com`;
    await requestThroughApi(request, { artist: "kai", service: "flash-tattoo", date: dayOfWeek(mondayInWeeks(11), 2), email, name: "Sid Signout" });

    const { context, page } = await newCustomer(browser, { viewport: PHONE });
    await page.goto("/signin?callbackUrl=%2Fmy-bookings");
    await page.getByLabel("Your email").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    const mail = await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("Sign in"));
    const link = /https?:\/\/\S+\/api\/auth\/callback\/\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await expect(page).toHaveURL(/\/my-bookings$/);
    await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
    await expect(page.getByText("Flash tattoo with Kai Moreno")).toBeVisible();
    await screenshot(page, "my-bookings");

    // The manage page from the list fits the phone too.
    await page.getByRole("link", { name: /reschedule or cancel/ }).click();
    await new ManagePage(page).waitUntilInteractive();
    await screenshot(page, "manage-from-list");
    await page.goBack();

    const cookies = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/my-bookings\?signedOut=1$/);
    await expect(page.getByRole("status")).toHaveText("You are signed out.");
    await expect(page.getByRole("link", { name: "Email me a sign-in link" })).toBeVisible();
    await expect(page.getByText(email)).toHaveCount(0);

    // A copy of the old session cookie is worthless now.
    const replay = await browser.newContext();
    await replay.addCookies(cookies);
    const again = await replay.newPage();
    await again.goto("/my-bookings");
    await expect(again.getByRole("link", { name: "Email me a sign-in link" })).toBeVisible();
    await expect(again.getByText(email)).toHaveCount(0);
    await replay.close();
    await context.close();
  });
});
