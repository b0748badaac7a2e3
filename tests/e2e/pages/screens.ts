import { mkdirSync } from "node:fs";
import { expect, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { uniqueClientIp } from "../support/e2e-runtime";

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 900 };

/** A fresh customer: own browser context, own client address (so rate limits count them alone), own zone. */
export async function newCustomer(browser: Browser, opts: { viewport?: { width: number; height: number }; timezoneId?: string } & BrowserContextOptions = {}) {
  const { viewport = DESKTOP, timezoneId = "Europe/Berlin", ...rest } = opts;
  const context = await browser.newContext({ viewport, timezoneId, locale: "en-GB", extraHTTPHeaders: { "x-forwarded-for": uniqueClientIp() }, ...rest });
  const page = await context.newPage();
  return { context, page };
}

/** Saves test-results/screenshots/<name>-<width>.png for a reviewer, after checking nothing scrolls sideways. */
export async function screenshot(page: Page, name: string) {
  await expectNoHorizontalScroll(page);
  mkdirSync("test-results/screenshots", { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
}

export async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(clientWidth);
}

const DAY_MS = 86_400_000;

/** The Monday (yyyy-MM-dd) `weeks` weeks after this week's Monday. Tests book in weeks of their own so they never race each other. */
export function mondayInWeeks(weeks: number) {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const weekday = (new Date(today).getUTCDay() + 6) % 7;
  return new Date(today - weekday * DAY_MS + weeks * 7 * DAY_MS).toISOString().slice(0, 10);
}

/** The date of ISO weekday `isoWeekday` (1 = Monday) in the week starting `monday`. */
export function dayOfWeek(monday: string, isoWeekday: number) {
  return new Date(Date.parse(`${monday}T00:00:00Z`) + (isoWeekday - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** "10:00" on a clock in `timeZone`. */
export function clock(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** The calendar date (yyyy-MM-dd) of an instant in `timeZone`. */
export function dateIn(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));
}
