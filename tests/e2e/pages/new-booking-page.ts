import { expect, type Locator, type Page } from "@playwright/test";

/**
 * The returning customer the demo seed books for (db/seed.ts, DEMO_RETURNING_CUSTOMER): written out
 * here because the seed module reaches the database client, which a Playwright worker cannot load.
 */
export const RETURNING_CUSTOMER = { name: "Lena Berger", email: "lena.berger@example.com", phone: "+49 30 5550123" };

/** The admin's "New booking" screen (/admin/bookings/new, components/admin/new-booking-form.tsx). */
export class NewBookingPage {
  readonly form: Locator;
  readonly timeFields: Locator;
  readonly shownWeekLabel: Locator;
  readonly freeTimes: Locator;
  readonly search: Locator;
  readonly earlierCustomers: Locator;
  readonly notify: Locator;
  readonly repeat: Locator;
  readonly everyWeeks: Locator;
  readonly count: Locator;
  readonly bookButton: Locator;
  readonly outcome: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.locator(".panel", { has: page.getByLabel("Artist", { exact: true }) });
    this.timeFields = page.getByRole("group", { name: /^Time \(/ });
    this.shownWeekLabel = this.timeFields.getByText(/^Week of/);
    this.freeTimes = this.timeFields.locator("button[data-start]");
    this.search = page.getByRole("searchbox", { name: "Find an earlier customer (name, email or phone)" });
    this.earlierCustomers = page.getByRole("list", { name: "Earlier customers" });
    this.notify = page.getByRole("checkbox", { name: /^Notify the customer/ });
    this.repeat = page.getByRole("checkbox", { name: /^Repeat every/ });
    this.everyWeeks = page.getByLabel("Every N weeks", { exact: true });
    this.count = page.getByLabel("Number of bookings", { exact: true });
    this.bookButton = page.getByRole("button", { name: /^(Book|Booking…)$/ });
    this.outcome = page.getByRole("status", { name: "Booked" });
    this.error = page.getByRole("alert");
  }

  async goto() {
    await this.page.goto("/admin/bookings/new");
    await expect(this.page.getByRole("heading", { name: "New booking", level: 1 })).toBeVisible();
    await this.waitUntilLoaded();
  }

  /** The form has hydrated and its last server call (free times, booking) has answered. */
  async waitUntilLoaded() {
    await expect(this.shownWeekLabel).toHaveText(/^Week of \d{4}-\d{2}-\d{2}$/);
    await expect(this.form).toHaveAttribute("aria-busy", "false");
  }

  async shownWeek() {
    return ((await this.shownWeekLabel.textContent()) ?? "").replace(/^Week of\s*/, "");
  }

  async chooseArtistAndService(artistName: string, serviceName: string) {
    await this.page.getByLabel("Artist", { exact: true }).selectOption({ label: artistName });
    await this.waitUntilLoaded();
    await this.page.getByLabel("Service", { exact: true }).selectOption({ label: serviceName });
    await this.waitUntilLoaded();
  }

  /** Moves with Previous/Next week until the week starting `monday` (yyyy-MM-dd) is shown. */
  async goToWeek(monday: string) {
    for (let i = 0; i < 30; i += 1) {
      const shown = await this.shownWeek();
      if (shown === monday) break;
      await this.timeFields.getByRole("button", { name: shown < monday ? "Next week" : "Previous week" }).click();
      await expect(this.shownWeekLabel).not.toHaveText(`Week of ${shown}`);
      await this.waitUntilLoaded();
    }
    await expect(this.shownWeekLabel).toHaveText(`Week of ${monday}`);
  }

  /** Picks the first free time shown for the week and returns its start instant. */
  async pickFirstFreeTime() {
    const slot = this.freeTimes.first();
    await expect(slot, "the week offers no free time").toBeVisible();
    const start = (await slot.getAttribute("data-start"))!;
    await slot.click();
    await expect(slot).toHaveAttribute("aria-pressed", "true");
    return start;
  }

  /** Searches earlier customers and takes the match named `name`; the customer fields then hold their details. */
  async pickEarlierCustomer(query: string, name: string) {
    await this.search.fill(query);
    const match = this.earlierCustomers.getByRole("button", { name: new RegExp(`^${name} · `) });
    await expect(match).toHaveCount(1);
    await match.click();
    await expect(this.earlierCustomers).toHaveCount(0);
  }

  customerField(field: "Name" | "Email" | "Phone"): Locator {
    return this.page.getByRole("group", { name: "Customer" }).getByLabel(field, { exact: true });
  }

  async repeatWeekly(everyWeeks: number, count: number) {
    await this.repeat.check();
    await this.everyWeeks.fill(String(everyWeeks));
    await this.count.fill(String(count));
    await expect(this.repeat).toBeChecked();
  }

  async book() {
    await expect(this.bookButton).toBeEnabled();
    await this.bookButton.click();
    await expect(this.outcome.or(this.error).first()).toBeVisible({ timeout: 20_000 });
  }

  /** The bookings the outcome lists, with the id from each one's link. */
  async bookedIds() {
    const hrefs = await this.outcome
      .getByRole("link")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))
      .then((list) => list.map((href) => /^\/admin\/bookings\/([0-9a-f-]{36})$/.exec(href)?.[1] ?? `unexpected link ${href}`));
    return hrefs;
  }

  /** "Taken — pick another time": the weeks of a series that could not be booked. */
  conflicts(): Locator {
    return this.outcome.locator("h3 + ul > li");
  }
}
