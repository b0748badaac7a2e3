import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { queryDb, waitForEmail } from "./support/e2e-runtime";
import { BookingPage } from "./pages/booking-page";
import { ManagePage } from "./pages/manage-page";
import { DESKTOP, PHONE, clock, dateIn, dayOfWeek, expectNoHorizontalScroll, mondayInWeeks, newCustomer, screenshot } from "./pages/screens";

// The customer's path from the studio's home page to "request sent", in a real Chromium against
// the production build. Each test books in a week (and with an artist) of its own.

test.describe("customer booking flow", () => {
  test("a customer on a 375 px phone in New York books Mara's flash tattoo and sees Berlin and New York times on the page and in the email", async ({
    browser,
  }) => {
    const { context, page } = await newCustomer(browser, { viewport: PHONE, timezoneId: "America/New_York" });
    const email = `phone-${randomUUID().slice(0, 8)}@example.com`;
    const week = mondayInWeeks(4);
    const wednesday = dayOfWeek(week, 3);

    // Home: artists with initials, bio and services with duration and price.
    await page.goto("/");
    const mara = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Mara Voss" }) });
    await expect(mara.getByText("Fine-line and botanical tattoos")).toBeVisible();
    await expect(mara.getByText("MV")).toBeVisible();
    // Each service link is named by what it shows (voice control: "click Book"): name, duration, price, how it is confirmed.
    await expect(mara.getByRole("link", { name: /^Flash tattoo.*1 h.*€90.*Book$/ })).toBeVisible();
    await screenshot(page, "home");

    // Artist page, then the service.
    await mara.getByRole("link", { name: "Mara Voss", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Mara Voss" })).toBeVisible();
    await page.getByRole("link", { name: "Choose a time for Flash tattoo" }).click();
    const booking = new BookingPage(page);
    await booking.waitUntilInteractive();
    await expect(page.getByText("Times in Central European Time (Europe/Berlin)")).toBeVisible();
    await expect(booking.monthView).toBeVisible();

    // The week list is one toggle away; week by week to the week we book in; days without times say so.
    await booking.showWeekView();
    await booking.goToWeek(week);
    await expect(page.locator(`.day[data-date="${dayOfWeek(week, 1)}"]`)).toContainText("No free times"); // Mara does not work Mondays
    await expect(booking.announcer).toContainText("free times");
    await screenshot(page, "picker");

    const { slot, start } = await booking.slotOn(wednesday, 0);
    expect(clock(start, "Europe/Berlin")).toBe("10:00");
    await slot.click();
    await booking.expectHeld();
    await expect(booking.detailsHeading).toBeFocused();
    await expect(page.getByTestId("held-studio-time")).toContainText("10:00–11:00 CET");
    await expect(page.getByTestId("held-local-time")).toContainText("04:00–05:00 EST");

    // Client-side validation with the shared schema: errors next to the fields, focus on the first.
    await booking.submitButton.click();
    await expect(page.getByLabel("Your name")).toBeFocused();
    await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#f-customer-name-error")).toHaveText("Enter your name");
    await expect(page.locator("#f-consent-error")).toContainText("accept the studio's policy");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Email").blur();
    await expect(page.locator("#f-customer-email-error")).toHaveText("Enter a valid email address");
    await screenshot(page, "form");

    await booking.fillDetails({ name: "Nora Phone", email, phone: "+1 212 555 0100", notes: "Small swallow, inner wrist" });
    await expect(page.locator(".field-error")).toHaveCount(0);
    await booking.submitButton.click();

    // Confirmation page: status, both zones, artist, service, what happens next, manage link.
    await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}\/confirmed\?token=/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Request sent");
    const view = new ManagePage(page);
    await expect(view.status).toHaveText("Waiting for confirmation");
    await expect(view.studioTime).toContainText(`10:00–11:00 CET (Central European Time, Europe/Berlin)`);
    await expect(view.customerTime).toContainText("04:00–05:00 EST");
    await expect(view.customerTime).toContainText("America/New_York");
    await expect(page.getByText("Flash tattoo with Mara Voss")).toBeVisible();
    await expect(page.getByRole("heading", { name: "What happens next" })).toBeVisible();
    await screenshot(page, "confirmation");

    const [row] = await queryDb<{ id: string; status: string; customer_timezone: string; starts_at: Date }>(
      "select id, status, customer_timezone, starts_at from bookings where customer_email = $1",
      [email],
    );
    expect(row).toMatchObject({ status: "pending", customer_timezone: "America/New_York" });
    expect(row!.starts_at.toISOString()).toBe(start);

    // The email says the same times, and carries the same private link.
    const mail = await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("Request received"));
    expect(mail.text).toContain("10:00–11:00 CET");
    expect(mail.text).toContain("04:00–05:00 EST");
    const manageUrl = /https?:\/\/\S+\/bookings\/[0-9a-f-]{36}\?token=[\w-]+/.exec(mail.text)?.[0];
    expect(manageUrl).toContain(row!.id);
    await expect(page.getByTestId("manage-link")).toHaveText(manageUrl!);

    // The manage page from the email link.
    await page.goto(manageUrl!);
    await expect(page.getByRole("heading", { level: 1, name: "Your booking" })).toBeVisible();
    await expect(view.statusLine).toHaveText("Your request is waiting for the studio to confirm it.");
    await expect(view.history).toContainText("Request sent");
    await view.waitUntilInteractive();
    await screenshot(page, "manage");
    await context.close();
  });

  test("a desktop customer in London books Kai's free consultation: confirmed at once, Denver and London times on the page, in the email and in the .ics", async ({
    browser,
  }) => {
    const { context, page } = await newCustomer(browser, { viewport: DESKTOP, timezoneId: "Europe/London" });
    const email = `desk-${randomUUID().slice(0, 8)}@example.com`;
    const week = mondayInWeeks(5);
    const tuesday = dayOfWeek(week, 2);

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Kai Moreno" })).toBeVisible();
    await screenshot(page, "home");

    const booking = new BookingPage(page);
    await booking.goto("kai", "consultation", week);
    await expect(page.getByText("Times in Mountain Time (America/Denver)")).toBeVisible();
    await expect(booking.zoneSelect.locator("option", { hasText: /^My time .*Europe\/London/ })).toHaveCount(1);
    await screenshot(page, "picker");

    const { slot, start } = await booking.slotOn(tuesday, 0);
    expect(clock(start, "America/Denver")).toBe("11:00");
    await slot.click();
    await booking.expectHeld();
    await booking.fillDetails({ name: "Desmond Desk", email, notes: "A small rose on the shoulder" });
    await screenshot(page, "form");
    await expect(booking.submitButton).toHaveText("Book now");
    await booking.submitButton.click();

    await expect(page).toHaveURL(/\/confirmed\?token=/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You're booked in");
    const view = new ManagePage(page);
    await expect(view.status).toHaveText("Confirmed");
    await expect(view.studioTime).toContainText("11:00–11:30 MST (Mountain Time, America/Denver)");
    await expect(view.customerTime).toContainText("18:00–18:30 GMT");
    await screenshot(page, "confirmation");

    // "Add to calendar": the event in Kai's zone, confirmed.
    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Add to calendar (.ics)" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const ics = readFileSync(await download.path(), "utf8");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain(`DTSTART;TZID=America/Denver:${tuesday.replace(/-/g, "")}T110000`);
    expect(ics).toContain("STATUS:CONFIRMED");

    const mail = await waitForEmail((m) => m.to.includes(email) && m.subject.startsWith("Confirmed"));
    expect(mail.text).toContain("11:00–11:30 MST");
    expect(mail.text).toContain("18:00–18:30 GMT");

    await page.getByRole("link", { name: "View, change or cancel" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your booking" })).toBeVisible();
    await expect(view.statusLine).toHaveText("Your booking is confirmed.");
    await view.waitUntilInteractive();
    await screenshot(page, "manage");
    await context.close();
  });

  test("a customer in Tokyo sees the same free times at Tokyo times after switching to their own zone", async ({ browser, request }) => {
    const { context, page } = await newCustomer(browser, { viewport: PHONE, timezoneId: "Asia/Tokyo" });
    const week = mondayInWeeks(7);
    const booking = new BookingPage(page);
    await booking.goto("jonas", "deep-tissue-massage", week);
    await expect(page.getByText("Times in Central European Time (Europe/Berlin)")).toBeVisible();

    // The same free times the public API lists for that week, first in Berlin time …
    const to = dayOfWeek(week, 7);
    const api = await (await request.get(`/api/availability?artist=jonas&service=deep-tissue-massage&from=${dayOfWeek(week, 1)}&to=${to}`)).json();
    const apiStarts: string[] = api.slots.map((s: { start: string }) => s.start);
    expect(apiStarts.length).toBeGreaterThan(10);
    expect((await booking.startsShown()).sort()).toEqual([...apiStarts].sort());
    const first = apiStarts[0]!;
    await expect(booking.slotAt(first)).toHaveText(clock(first, "Europe/Berlin"));

    // … then at Tokyo times, each under its Tokyo day.
    await booking.showTimesInMyZone();
    await expect(page.getByText("Times in Japan Standard Time (Asia/Tokyo)")).toBeVisible();
    await expect(booking.announcer).toContainText("Japan Standard Time");
    await expect(booking.weekGrid).toHaveAttribute("data-zone", "Asia/Tokyo");
    await expect(booking.slotAt(first)).toHaveText(clock(first, "Asia/Tokyo"));
    expect(clock(first, "Asia/Tokyo")).toBe("17:00"); // 09:00 in Berlin in winter
    const weekDates = new Set(Array.from({ length: 7 }, (_, i) => dayOfWeek(week, i + 1)));
    const inTokyoWeek = apiStarts.filter((s) => weekDates.has(dateIn(s, "Asia/Tokyo")));
    const shown = await booking.startsShown();
    expect(shown.filter((s) => apiStarts.includes(s)).sort()).toEqual(inTokyoWeek.sort());
    // A late Berlin appointment falls on the next day in Tokyo, and is listed there.
    const crossing = apiStarts.find((s) => dateIn(s, "Asia/Tokyo") !== dateIn(s, "Europe/Berlin") && weekDates.has(dateIn(s, "Asia/Tokyo")))!;
    expect(crossing).toBeDefined();
    await expect(page.locator(`.day[data-date="${dateIn(crossing, "Asia/Tokyo")}"] .slot[data-start="${crossing}"]`)).toHaveText(clock(crossing, "Asia/Tokyo"));
    await expectNoHorizontalScroll(page);
    await context.close();
  });

  test("keyboard only: a customer books with Tab, Enter and Space and never uses a mouse", async ({ browser }) => {
    const { context, page } = await newCustomer(browser, { viewport: DESKTOP, timezoneId: "Europe/Berlin" });
    await page.addInitScript(() => {
      const w = window as unknown as { __pointerEvents: number };
      w.__pointerEvents = 0;
      for (const type of ["pointerdown", "mousedown", "touchstart"]) window.addEventListener(type, () => (w.__pointerEvents += 1), true);
    });
    const email = `keys-${randomUUID().slice(0, 8)}@example.com`;
    const week = mondayInWeeks(8);
    const booking = new BookingPage(page);
    await booking.goto("jonas", "sports-massage", week);
    const { start } = await booking.slotOn(dayOfWeek(week, 2), 2);

    const focused = () =>
      page.evaluate(() => ({ id: document.activeElement?.id ?? "", start: (document.activeElement as HTMLElement | null)?.dataset.start ?? "" }));
    /** Presses Tab until the slot starting at `target` has focus, like a keyboard user looking for it. */
    const tabToSlot = async (target: string, max = 200) => {
      for (let i = 0; i < max; i += 1) {
        await page.keyboard.press("Tab");
        if ((await focused()).start === target) return;
      }
      throw new Error(`the slot ${target} was never reached with Tab`);
    };

    await tabToSlot(start);
    // Focus is visible where it is.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe("solid");
    await page.keyboard.press("Enter");
    await booking.expectHeld();
    await expect(booking.detailsHeading).toBeFocused();

    await page.keyboard.press("Tab");
    expect((await focused()).id).toBe("f-customer-name");
    await page.keyboard.type("Kim Keys");
    await page.keyboard.press("Tab");
    expect((await focused()).id).toBe("f-customer-email");
    await page.keyboard.type(email);
    await page.keyboard.press("Tab"); // phone (optional)
    await page.keyboard.press("Tab"); // notes (optional)
    await page.keyboard.type("Shoulder and neck, please");
    await page.keyboard.press("Tab");
    expect((await focused()).id).toBe("f-consent");
    await page.keyboard.press("Space");
    await expect(page.getByLabel(/accept the studio/)).toBeChecked();
    await page.keyboard.press("Tab");
    await expect(booking.submitButton).toBeFocused();
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(/\/confirmed\?token=/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Request sent");
    expect(await page.evaluate(() => (window as unknown as { __pointerEvents: number }).__pointerEvents)).toBe(0);
    const rows = await queryDb<{ starts_at: Date }>("select starts_at from bookings where customer_email = $1 and status = 'pending'", [email]);
    expect(rows.map((r) => r.starts_at.toISOString())).toEqual([start]);
    await context.close();
  });
});
