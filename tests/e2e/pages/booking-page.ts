import { expect, type Locator, type Page } from "@playwright/test";

export type Details = { name: string; email: string; phone?: string; notes?: string };

/**
 * The slot picker (Month view by default, Week view with ?week= or the toggle), the hold and the
 * details form of /book/<artist>/<service>.
 */
export class BookingPage {
  readonly flow: Locator;
  readonly weekGrid: Locator;
  readonly detailsHeading: Locator;
  readonly conflict: Locator;
  readonly holdExpired: Locator;
  readonly announcer: Locator;
  readonly submitButton: Locator;
  /** "This time is less than 24 hours away…": shown with the details form when the held time is inside the cancellation notice. */
  readonly noticeWarning: Locator;
  readonly monthView: Locator;
  readonly firstFreeDay: Locator;
  readonly dayTimes: Locator;
  readonly zoneSelect: Locator;
  readonly heldSummary: Locator;

  constructor(readonly page: Page) {
    this.flow = page.locator(".flow");
    this.weekGrid = page.locator(".week-grid");
    this.detailsHeading = page.getByRole("heading", { name: "Your details" });
    this.conflict = page.getByTestId("slot-conflict");
    this.holdExpired = page.getByTestId("hold-expired");
    this.announcer = page.getByTestId("announcer");
    this.submitButton = page.getByRole("button", { name: /^(Send request|Book now|Sending…)$/ });
    this.noticeWarning = page.getByTestId("notice-warning");
    this.monthView = page.locator(".month-view");
    this.firstFreeDay = page.getByTestId("first-free-day");
    this.dayTimes = page.locator(".month-view .day-times");
    this.zoneSelect = page.getByLabel("Show times in");
    this.heldSummary = page.getByTestId("held-summary");
  }

  /** Opens the booking page on its month view (no ?week=). */
  async gotoMonth(artist: string, service: string, month?: string) {
    await this.page.goto(`/book/${artist}/${service}${month ? `?month=${month}` : ""}`);
    await this.waitUntilInteractive();
    await expect(this.monthView).toBeVisible();
  }

  async showWeekView() {
    await this.page.getByRole("group", { name: "Show free times by" }).getByRole("button", { name: "Week" }).click();
    await expect(this.weekGrid).toBeVisible();
  }

  async showMonthView() {
    await this.page.getByRole("group", { name: "Show free times by" }).getByRole("button", { name: "Month" }).click();
    await expect(this.monthView).toBeVisible();
  }

  /** The day the month view marks as the first free one (yyyy-MM-dd, in the zone times are shown in). */
  async firstFreeDate() {
    await expect(this.firstFreeDay).not.toHaveAttribute("data-date", "");
    return (await this.firstFreeDay.getAttribute("data-date"))!;
  }

  monthDay(date: string) {
    return this.page.locator(`.month-grid .month-day[data-date="${date}"]`);
  }

  monthSlots() {
    return this.dayTimes.locator(".slot");
  }

  async goto(artist: string, service: string, week?: string) {
    await this.page.goto(`/book/${artist}/${service}${week ? `?week=${week}` : ""}`);
    await this.waitUntilInteractive();
  }

  /** React has taken over the page: clicks now reach the booking flow. */
  async waitUntilInteractive() {
    await expect(this.flow).toHaveAttribute("data-ready", "true");
  }

  async shownWeek() {
    return (await this.weekGrid.getAttribute("data-week")) ?? "";
  }

  /** Moves week by week with the Next/Previous buttons until `monday`'s week is shown. */
  async goToWeek(monday: string) {
    for (let i = 0; i < 20; i += 1) {
      const shown = await this.shownWeek();
      if (shown === monday) break;
      await this.page.getByRole("button", { name: shown < monday ? /Next week/ : /Previous week/ }).click();
      await expect(this.weekGrid).not.toHaveAttribute("data-week", shown);
    }
    await expect(this.weekGrid).toHaveAttribute("data-week", monday);
    await expect(this.weekGrid).toHaveAttribute("aria-busy", "false");
  }

  slotsOn(date: string) {
    return this.page.locator(`.week-grid .day[data-date="${date}"] .slot`);
  }

  slotAt(start: string) {
    return this.page.locator(`.week-grid .slot[data-start="${start}"]`);
  }

  /** The nth free slot of a day, with its start instant. */
  async slotOn(date: string, index = 0) {
    const slot = this.slotsOn(date).nth(index);
    await expect(slot).toBeVisible();
    return { slot, start: (await slot.getAttribute("data-start"))! };
  }

  async startsShown() {
    return this.page.locator(".week-grid .slot").evaluateAll((els) => els.map((el) => el.getAttribute("data-start")!));
  }

  /** Picks the "My time — …" option of the "Show times in" select (offered once the page knows the browser's zone). */
  async showTimesInMyZone() {
    const own = this.zoneSelect.locator("option", { hasText: /^My time/ });
    await expect(own).toHaveCount(1);
    await this.zoneSelect.selectOption((await own.getAttribute("value"))!);
  }

  alternatives() {
    return this.conflict.locator(".slot.alternative");
  }

  async fillDetails(d: Details) {
    await this.page.getByLabel("Your name").fill(d.name);
    await this.page.getByLabel("Email").fill(d.email);
    if (d.phone) await this.page.getByLabel("Phone").fill(d.phone);
    if (d.notes) await this.page.getByLabel(/^Notes for/).fill(d.notes);
    await this.page.getByLabel(/accept the studio/).check();
    // The service's own consent line (the seeded tattoo services ask "18 or older"), when it has one.
    const consentLine = this.page.locator('input[name="intakeConsent"]');
    if (await consentLine.count()) await consentLine.check();
  }

  async expectHeld() {
    await expect(this.detailsHeading).toBeVisible();
    await expect(this.page.locator(".countdown-time")).toHaveText(/^\d+:\d\d$/);
  }
}
