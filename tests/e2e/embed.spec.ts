import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { AdminSignInPage } from "./pages/admin-session";
import { DESKTOP, PHONE, mondayInWeeks, newCustomer } from "./pages/screens";
import { queryDb } from "./support/e2e-runtime";

// Issue 15: the studio puts the booking flow on its own website with one script tag. If this
// broke, the studio's visitors would see an empty box (framing refused, or a frame that never
// grows past its first 640 px), the confirmation trapped in a little frame, or — the other way
// round — any site on the internet could frame the booking page and overlay it.

/** A stranger's website: one page on its own origin (a loopback port of its own) that embeds Holdfast. */
async function startSite(holdfast: string, attrs: string, otherPages: Record<string, string> = {}) {
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(`<!doctype html><html lang="en"><head><title>Studio site</title></head><body>
<h1>Our studio</h1><p>Book below.</p>
<script src="${holdfast}/embed.js" ${otherPages[req.url ?? "/"] ?? attrs}></script>
<footer id="site-footer">Studio footer</footer></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function frameAncestorsOf(page: Page, path: string) {
  const res = await page.request.get(path);
  return /frame-ancestors ([^;]+)/.exec(res.headers()["content-security-policy"] ?? "")?.[1] ?? "";
}

test.describe("embedding the booking page on the studio's own site", () => {
  test.describe.configure({ mode: "serial" });
  let listed: Awaited<ReturnType<typeof startSite>>;
  let unlisted: Awaited<ReturnType<typeof startSite>>;
  let before: string[] = [];

  test.beforeAll(async () => {
    const holdfast = test.info().project.use.baseURL!;
    listed = await startSite(holdfast, 'data-artist="kai" data-service="consultation"', {
      // Week 9 of Kai's full-day sessions belongs to this spec (deposits.spec books week 7).
      "/full-day": `data-artist="kai" data-service="full-day-session" data-week="${mondayInWeeks(9)}"`,
    });
    unlisted = await startSite(holdfast, 'data-artist="kai" data-service="consultation"');
    before = (await queryDb<{ embed_origins: string[] }>("select embed_origins from studio_settings where id = 1"))[0]?.embed_origins ?? [];
  });

  test.afterAll(async () => {
    await queryDb("update studio_settings set embed_origins = $1 where id = 1", [before]);
    await listed?.close();
    await unlisted?.close();
  });

  test("an admin lists the studio's site in Studio setup; a non-https origin is refused with a message", async ({ page }) => {
    await new AdminSignInPage(page).signInAsAdmin("/admin/studio");
    const form = page.getByTestId("studio-settings-form");
    const origins = form.getByLabel("Sites that may embed the booking page (one origin per line)");

    await origins.fill("http://studio.example/booking");
    await form.getByRole("button", { name: "Save studio details" }).click();
    await expect(form.getByText("Use an origin like https://studio.example (https, no path)")).toBeVisible();

    await origins.fill(listed.origin);
    await form.getByRole("button", { name: "Save studio details" }).click();
    await expect(form.getByText("Saved.")).toBeVisible();
    const [row] = await queryDb<{ embed_origins: string[] }>("select embed_origins from studio_settings where id = 1");
    expect(row!.embed_origins).toEqual([listed.origin]);

    // The booking pages may now be framed by that site (and by Holdfast itself); the admin area never.
    await expect.poll(() => frameAncestorsOf(page, "/book/kai/consultation"), { timeout: 20_000 }).toBe(`'self' ${listed.origin}`);
    expect(await frameAncestorsOf(page, "/admin/signin")).toBe("'none'");
    expect(await frameAncestorsOf(page, "/")).toBe("'none'");
  });

  for (const [label, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    test(`on a ${label}, the listed site shows the booking flow in a frame that takes the flow's height, without Holdfast's header`, async ({ browser }) => {
      const { context, page } = await newCustomer(browser, { viewport });
      await page.goto(listed.origin);
      const iframe = page.locator("iframe[data-holdfast-embed]");
      await expect(iframe).toHaveAttribute("title", "Book an appointment");
      const frame = page.frameLocator("iframe[data-holdfast-embed]");
      await expect(frame.locator(".flow")).toHaveAttribute("data-ready", "true", { timeout: 20_000 });
      await expect(frame.locator(".site-header")).toHaveCount(0);
      await expect(frame.getByTestId("studio-contact")).toHaveCount(0);

      // The frame grows to the content the framed page reports (not the script's first 640 px), so there is no inner scrollbar.
      await expect.poll(async () => iframe.evaluate((el) => (el as HTMLIFrameElement).style.height), { timeout: 15_000 }).not.toBe("640px");
      const frameHeight = await iframe.evaluate((el) => el.getBoundingClientRect().height);
      const contentHeight = await frame
        .locator("body")
        .evaluate(() => Math.max(...Array.from(document.body.children).map((el) => el.getBoundingClientRect().bottom)));
      expect(Math.abs(frameHeight - contentHeight)).toBeLessThanOrEqual(40);
      await expect(page.locator("#site-footer")).toBeVisible();
      await context.close();
    });
  }

  test("booking inside the frame opens the confirmation on the studio's page itself (top level), not inside the frame", async ({ browser }) => {
    const { context, page } = await newCustomer(browser);
    await page.goto(listed.origin);
    const frame = page.frameLocator("iframe[data-holdfast-embed]");
    await expect(frame.locator(".flow")).toHaveAttribute("data-ready", "true", { timeout: 20_000 });
    await frame.locator(".slot[data-start]").first().click();
    await expect(frame.getByRole("heading", { name: "Your details" })).toBeVisible();
    await frame.getByLabel("Your name").fill("Emma Embed");
    await frame.getByLabel("Email").fill(`embed-${randomUUID().slice(0, 8)}@example.com`);
    await frame.getByLabel(/accept the studio/).check();
    await frame.getByRole("button", { name: /^(Send request|Book now)$/ }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\/confirmed\?token=/, { timeout: 20_000 });
    expect(new URL(page.url()).origin).toBe(new URL(test.info().project.use.baseURL!).origin);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await context.close();
  });

  test("a deposit service booked inside the frame sends the studio's page (top level) to the checkout through Holdfast, and back to the confirmation", async ({
    browser,
  }) => {
    // Stripe Checkout refuses to be framed: inside the frame the customer would see a blank box
    // and never pay. The studio's page goes to Holdfast's /checkout redirect, the only address
    // embed.js follows, and from there to the checkout.
    const { context, page } = await newCustomer(browser);
    const visited: string[] = [];
    // Each hop of a redirect is its own request (framenavigated only sees where it ends).
    page.on("request", (r) => {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) visited.push(r.url());
    });
    await page.goto(`${listed.origin}/full-day`);
    const frame = page.frameLocator("iframe[data-holdfast-embed]");
    await expect(frame.locator(".flow")).toHaveAttribute("data-ready", "true", { timeout: 20_000 });
    await frame.locator(".slot[data-start]").first().click();
    await expect(frame.getByRole("heading", { name: "Your details" })).toBeVisible();
    await expect(frame.getByText(/Deposit: €180, paid online when you send this/)).toBeVisible();
    await frame.getByLabel("Your name").fill("Frida Frame");
    const email = `embed-deposit-${randomUUID().slice(0, 8)}@example.com`;
    await frame.getByLabel("Email").fill(email);
    await frame.getByLabel(/accept the studio/).check();
    const consentLine = frame.locator('input[name="intakeConsent"]');
    if (await consentLine.count()) await consentLine.check();
    await frame.getByRole("button", { name: /^(Send request|Book now)$/ }).click();

    // The whole window is on the checkout now, not the frame.
    await expect(page.getByRole("heading", { name: "Fake Stripe Checkout" })).toBeVisible({ timeout: 20_000 });
    await expect(page.locator("iframe[data-holdfast-embed]")).toHaveCount(0);
    expect(
      visited.some((u) => /\/bookings\/[0-9a-f-]{36}\/checkout\?token=/.test(u)),
      `went through Holdfast's redirect: ${visited.join(", ")}`,
    ).toBe(true);
    await page.getByRole("button", { name: "Pay" }).click();
    await expect(page).toHaveURL(/\/confirmed\?token=.*checkout=returned/);
    await expect(page.getByTestId("deposit-notice")).toContainText("Deposit paid: €180");
    const [row] = await queryDb<{ payment_state: string }>("select payment_state from bookings where customer_email = $1", [email]);
    expect(row?.payment_state).toBe("paid");
    await context.close();
  });

  test("a site the studio did not list gets no booking page: the browser refuses to frame it", async ({ browser }) => {
    const { context, page } = await newCustomer(browser);
    const refused: string[] = [];
    page.on("console", (msg) => {
      if (/frame-ancestors|Refused to (display|frame)/i.test(msg.text())) refused.push(msg.text());
    });
    await page.goto(unlisted.origin);
    await expect.poll(() => refused.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(page.frameLocator("iframe[data-holdfast-embed]").locator(".flow")).toHaveCount(0);
    await context.close();
  });
});
