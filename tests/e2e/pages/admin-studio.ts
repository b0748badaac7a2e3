import { expect, type Locator, type Page } from "@playwright/test";

/** Studio setup: artists, services, links and weekly hours. */
export class AdminStudioPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/studio");
    await expect(this.page.getByRole("heading", { name: "Studio setup" })).toBeVisible();
  }

  async createArtist(a: { name: string; slug: string; timezone: string }) {
    await this.page.goto("/admin/studio/artists/new");
    await this.page.getByLabel("Name").fill(a.name);
    await this.page.getByLabel("Slug (booking link)").fill(a.slug);
    await this.page.getByLabel("Time zone").fill(a.timezone);
    await this.page.getByRole("button", { name: "Create artist" }).click();
    await this.page.waitForURL(/\/admin\/studio\/artists\/[0-9a-f-]{36}$/);
    await expect(this.page.getByRole("heading", { name: a.name, level: 1 })).toBeVisible();
    return this.page.url().split("/").pop()!;
  }

  async offerServices(names: string[]) {
    const form = this.page.locator("form", { has: this.page.getByRole("heading", { name: "Services offered" }) });
    for (const name of names) await form.getByLabel(name, { exact: true }).check();
    await form.getByRole("button", { name: "Save services" }).click();
    await expect(form.getByRole("status")).toContainText("Saved");
  }

  hoursForm(): Locator {
    return this.page.locator("form", { has: this.page.getByRole("heading", { name: "Weekly working hours" }) });
  }

  /** Replaces the weekly hours with one range on each of the given ISO weekdays. */
  async setHours(weekdays: number[], start: string, end: string) {
    const form = this.hoursForm();
    const names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    for (let i = 0; i < 7; i += 1) {
      const row = form.locator(`tr[data-weekday="${i + 1}"]`);
      while ((await row.getByRole("button", { name: /^Remove/ }).count()) > 0)
        await row
          .getByRole("button", { name: /^Remove/ })
          .first()
          .click();
      if (weekdays.includes(i + 1)) {
        await row.getByRole("button", { name: `Add a range on ${names[i]}` }).click();
        await row.getByLabel(`${names[i]} range 1 start`).fill(start);
        await row.getByLabel(`${names[i]} range 1 end`).fill(end);
      }
    }
  }

  async saveHours() {
    await this.hoursForm().getByRole("button", { name: "Save hours" }).click();
  }

  reviewList(): Locator {
    return this.page.getByTestId("outside-hours-review");
  }
}
