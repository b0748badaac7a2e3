import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { screenshot } from "./pages/admin-bookings";
import { queryDb } from "./support/e2e-runtime";

// The customer side of sign-in that this work provides: /signin sends a magic link through the
// outbox, the link signs the customer in once, and a customer is never let into the dashboard.
test.describe("customer sign-in by magic link", () => {
  test("asks for an email, sends a one-time link through the outbox, and the link signs the customer in", async ({ page }) => {
    const email = `magic-${randomUUID().slice(0, 8)}@example.com`;
    await page.goto("/signin");
    await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
    await page.getByLabel("Your email").fill(email);
    await screenshot(page, "customer-signin");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("status")).toContainText("Check your email");

    let link: string | undefined;
    await expect
      .poll(async () => {
        const rows = await queryDb<{ text_body: string }>("select text_body from notifications where kind = 'magic_link' and recipient = $1", [email]);
        link = rows[0]?.text_body.match(/https?:\/\/\S+\/api\/auth\/callback\/email\S+/)?.[0];
        return Boolean(link);
      })
      .toBe(true);
    await page.goto(link!);
    await page.waitForURL((url) => url.pathname === "/my-bookings");
    const session = await (await page.request.get("/api/auth/session")).json();
    expect(session.user).toEqual(expect.objectContaining({ email, role: "customer" }));
    const [user] = await queryDb<{ role: string }>("select role from users where lower(email) = $1", [email]);
    expect(user!.role).toBe("customer");

    // The link works once.
    await page.goto(link!);
    await expect(page).toHaveURL(/error=Verification/);

    // A signed-in customer is no admin.
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/admin\/signin\?.*error=forbidden/);
    await expect(page.getByRole("alert").filter({ hasText: "needs an admin account" })).toBeVisible();
    expect((await page.request.get("/api/admin/summary")).status()).toBe(403);
  });
});
