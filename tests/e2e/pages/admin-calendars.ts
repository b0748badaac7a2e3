import { expect, type Locator, type Page } from "@playwright/test";

/** Calendar sync: per-artist linked calendars with their health and log, the link form, conflicts, the edit policy. */
export class AdminCalendarsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/calendars");
    await expect(this.page.getByRole("heading", { name: "Calendar sync", level: 1 })).toBeVisible();
  }

  artist(name: string): Locator {
    return this.page.locator("section.artist-calendars", { has: this.page.getByRole("heading", { name, level: 2, exact: true }) });
  }

  /** A linked calendar's card, by its display name. */
  calendar(artistName: string, calendarName: string): Locator {
    return this.artist(artistName).locator("li.cal-card", { has: this.page.getByRole("heading", { name: calendarName, level: 3, exact: true }) });
  }

  linkForm(artistName: string): Locator {
    return this.artist(artistName).getByRole("form", { name: `Link a calendar for ${artistName}` });
  }

  async openLinkForm(artistName: string) {
    const section = this.artist(artistName);
    const details = section.locator("details.link-calendar-details");
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await section.getByText(`Link a calendar for ${artistName}`).click();
    await expect(this.linkForm(artistName)).toBeVisible();
  }

  async fillAccount(artistName: string, account: { serverUrl: string; username: string; password: string }) {
    const form = this.linkForm(artistName);
    await form.getByLabel("Server URL").fill(account.serverUrl);
    await form.getByLabel("Username").fill(account.username);
    await form.getByLabel("App password").fill(account.password);
  }

  async testConnection(artistName: string) {
    await this.linkForm(artistName).getByRole("button", { name: "Test connection" }).click();
  }

  /** The "which calendar does what" choices that a successful test shows. */
  choices(artistName: string): Locator {
    return this.artist(artistName).locator("fieldset.cal-choices");
  }

  connectionError(artistName: string): Locator {
    return this.artist(artistName).locator("[data-error-code]");
  }

  async chooseWrite(artistName: string, calendarName: string) {
    await this.choices(artistName).getByLabel(`Write bookings to ${calendarName}`).check();
  }

  async chooseBusy(artistName: string, calendarName: string) {
    await this.choices(artistName).getByLabel(`Only block time from ${calendarName}`).check();
  }

  async link(artistName: string) {
    await this.choices(artistName)
      .getByRole("button", { name: /^Link (\d+ calendars|calendar)$/ })
      .click();
  }

  async syncNow(artistName: string, calendarName: string) {
    const card = this.calendar(artistName, calendarName);
    await card.getByRole("button", { name: `Sync now: ${calendarName}` }).click();
    await expect(card.getByRole("status")).toContainText("Queued");
  }

  async unlink(artistName: string, calendarName: string) {
    await this.calendar(artistName, calendarName)
      .getByRole("button", { name: `Unlink ${calendarName}` })
      .click();
    const dialog = this.page.getByRole("dialog", { name: `Unlink ${calendarName}?` });
    await dialog.getByRole("button", { name: "Unlink calendar" }).click();
    await expect(this.calendar(artistName, calendarName)).toHaveCount(0);
  }

  /** Opens a calendar's sync log and returns its rows, newest first. */
  async syncLog(artistName: string, calendarName: string): Promise<Locator> {
    const card = this.calendar(artistName, calendarName);
    const details = card.locator("details.sync-log");
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
    return card.getByTestId("sync-runs").locator("tbody tr");
  }

  conflicts(): Locator {
    return this.page.locator("#conflicts li.conflict");
  }

  conflict(kind: string): Locator {
    return this.page.locator(`#conflicts li.conflict[data-kind="${kind}"]`);
  }

  conflictsBadge(): Locator {
    return this.page.getByTestId("conflicts-badge");
  }

  policyForm(): Locator {
    return this.page.locator("form.policy-form");
  }

  async savePolicy(policy: "review" | "auto") {
    const form = this.policyForm();
    await form.getByLabel(policy === "auto" ? /Apply it to the booking automatically/ : /Ask an admin/).check();
    await form.getByRole("button", { name: "Save policy" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
  }

  /** Reloads until `check` passes (sync results arrive from the worker, not from this page). */
  async reloadUntil(check: () => Promise<void>, timeoutMs = 15_000) {
    await expect(async () => {
      await this.page.reload();
      await check();
    }).toPass({ timeout: timeoutMs, intervals: [500, 1000] });
  }
}
