import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { queryDb } from "./support/e2e-runtime";
import { BookingPage } from "./pages/booking-page";
import { DESKTOP, mondayInWeeks, newCustomer } from "./pages/screens";

// A deposit paid through Stripe Checkout (the e2e server runs tests/support/fake-stripe.ts as
// Stripe). If this fails, a customer booking Kai's full-day session never sees the deposit, is not
// sent to the payment page, or comes back to a confirmation that does not show the deposit paid.

test.describe("deposits", () => {
  test("a customer books Kai's full-day session, sees the €180 deposit, pays in the checkout and the confirmation shows the deposit paid", async ({
    browser,
  }) => {
    const { context, page } = await newCustomer(browser, { viewport: DESKTOP, timezoneId: "America/Denver" });
    const email = `deposit-${randomUUID().slice(0, 8)}@example.com`;
    const booking = new BookingPage(page);
    await booking.goto("kai", "full-day-session", mondayInWeeks(7));
    await expect(page.locator(".service-facts.lede")).toContainText("€180 deposit");

    const slot = page.locator(".week-grid .slot").first();
    await expect(slot).toBeVisible();
    await slot.click();
    await booking.expectHeld();
    await expect(page.getByText(/Deposit: €180, paid online when you send this/)).toBeVisible();
    await booking.fillDetails({ name: "Dora Deposit", email });
    await booking.submitButton.click();

    // The fake Stripe's checkout page, then back to the confirmation once the webhook applied the payment.
    await expect(page.getByRole("heading", { name: "Fake Stripe Checkout" })).toBeVisible();
    await expect(page.getByTestId("amount")).toHaveText("18000 EUR");
    await page.getByRole("button", { name: "Pay" }).click();
    await expect(page).toHaveURL(/\/confirmed\?token=.*checkout=returned/);
    await expect(page.getByTestId("deposit-notice")).toContainText("Deposit paid: €180");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Request sent — the studio will confirm it");

    const [row] = await queryDb<{ status: string; payment_state: string; paid_cents: number }>(
      "select status, payment_state, paid_cents from bookings where customer_email = $1",
      [email],
    );
    expect(row).toEqual({ status: "pending", payment_state: "paid", paid_cents: 18000 });
    await context.close();
  });
});
