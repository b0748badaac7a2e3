import { expect, type Locator, type Page } from "@playwright/test";

/** The confirmation page and the private manage page (/bookings/<id>?token=…). */
export class ManagePage {
  readonly studioTime: Locator;
  readonly customerTime: Locator;
  readonly status: Locator;
  readonly statusLine: Locator;
  readonly history: Locator;
  readonly actions: Locator;

  constructor(readonly page: Page) {
    this.studioTime = page.getByTestId("studio-time");
    this.customerTime = page.getByTestId("customer-time");
    this.status = page.locator(".summary .badge");
    this.statusLine = page.getByTestId("booking-status-line");
    this.history = page.getByTestId("status-history");
    this.actions = page.locator(".manage-actions");
  }

  async goto(managePathOrUrl: string) {
    const res = await this.page.goto(managePathOrUrl);
    return res;
  }

  async waitUntilInteractive() {
    await expect(this.actions).toHaveAttribute("data-ready", "true");
  }

  bookingIdFromUrl() {
    return new URL(this.page.url()).pathname.split("/")[2]!;
  }

  async openReschedule() {
    await this.page.getByRole("button", { name: "Reschedule" }).click();
    await expect(this.page.getByRole("heading", { name: "Pick a new time" })).toBeVisible();
  }

  rescheduleSlotsOn(date: string) {
    return this.page.locator(`#reschedule-panel .week-grid .day[data-date="${date}"] .slot`);
  }

  async moveTo(slot: Locator) {
    await slot.click();
    await expect(this.page.getByRole("heading", { name: "Move your booking?" })).toBeFocused();
    await this.page.getByRole("button", { name: "Move booking" }).click();
  }

  async cancel(reason?: string) {
    await this.page.getByRole("button", { name: "Cancel booking" }).click();
    if (reason) await this.page.getByLabel(/Reason/).fill(reason);
    await this.page.getByRole("button", { name: "Yes, cancel my booking" }).click();
  }
}
