import { expect, type Locator, type Page } from "@playwright/test";

/** Screenshots of admin screens, where the issue asks for them. */
export async function screenshot(page: Page, screen: string) {
  await page.screenshot({ path: `test-results/screenshots/admin-${screen}.png`, fullPage: true });
}

/** The requests landing page and the bookings table share rows and row actions. */
export class AdminBookingsPage {
  constructor(readonly page: Page) {}

  async gotoRequests() {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("heading", { name: "Requests waiting for a decision" })).toBeVisible();
  }

  async gotoBookings(filters: Record<string, string> = {}) {
    await this.page.goto(`/admin/bookings?${new URLSearchParams(filters)}`);
    await expect(this.page.getByRole("heading", { name: "Bookings", exact: true })).toBeVisible();
  }

  row(bookingId: string): Locator {
    return this.page.locator(`tr[data-booking-id="${bookingId}"]`);
  }

  badge(): Locator {
    return this.page.getByTestId("pending-badge");
  }

  async approve(bookingId: string) {
    await this.row(bookingId)
      .getByRole("button", { name: /^Approve/ })
      .click();
  }

  async reject(bookingId: string, reason: string) {
    await this.row(bookingId)
      .getByRole("button", { name: /^Reject/ })
      .click();
    const dialog = this.page.getByRole("dialog");
    await dialog.getByLabel(/Reason/).fill(reason);
    return dialog;
  }

  status(bookingId: string): Locator {
    return this.row(bookingId).locator("[data-status]").first();
  }
}

/** One booking's page. */
export class AdminBookingDetailPage {
  constructor(readonly page: Page) {}

  async goto(bookingId: string) {
    await this.page.goto(`/admin/bookings/${bookingId}`);
    await expect(this.page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  }

  actions(): Locator {
    return this.page.locator("[data-booking-actions]").first();
  }

  conflict(): Locator {
    return this.page.getByTestId("conflict-notice");
  }

  auditTrail(): Locator {
    return this.page.getByTestId("audit-trail");
  }

  history(): Locator {
    return this.page.getByTestId("status-history");
  }

  emails(): Locator {
    return this.page.getByTestId("booking-notifications");
  }
}
