import bcrypt from "bcryptjs";
import { randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { queryDb, uniqueClientIp } from "../support/e2e-runtime";

/** The admin the e2e server seeds from ADMIN_EMAIL / ADMIN_PASSWORD. */
export const ADMIN = { email: "admin@holdfast.test", password: "e2e-admin-password" };

/** A staff user (artist or another admin) with a password, written straight into the database. */
export async function createStaffUser(role: "artist" | "admin", opts: { name?: string } = {}) {
  const email = `${role}-${randomUUID().slice(0, 8)}@holdfast.test`;
  const password = `pw-${randomUUID()}`;
  const hash = await bcrypt.hash(password, 4);
  await queryDb("insert into users (email, name, role, password_hash) values ($1, $2, $3, $4)", [email, opts.name ?? `E2E ${role}`, role, hash]);
  return { email, password };
}

/**
 * Signs in through next-auth's own credentials endpoint (CSRF token, form post), as the sign-in
 * form does; the request context keeps the session cookie. Each call comes from its own client
 * address so the login rate limit counts these as different people.
 */
export async function signInThroughApi(request: APIRequestContext, email: string, password: string) {
  const headers = { "x-forwarded-for": uniqueClientIp() };
  const { csrfToken } = (await (await request.get("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", { headers, form: { csrfToken, email, password, json: "true" } });
  return res;
}

/** A customer session the way customers get one: a magic link, read from the outbox row and followed. */
export async function customerSessionThroughMagicLink(request: APIRequestContext, email: string) {
  const headers = { "x-forwarded-for": uniqueClientIp() };
  const { csrfToken } = (await (await request.get("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
  const asked = await request.post("/api/auth/signin/email", { headers, form: { csrfToken, email, callbackUrl: "/my-bookings", json: "true" } });
  expect(asked.status()).toBe(200);
  let link: string | undefined;
  for (let i = 0; i < 40 && !link; i += 1) {
    const rows = await queryDb<{ text_body: string }>(
      "select text_body from notifications where kind = 'magic_link' and recipient = $1 order by created_at desc limit 1",
      [email.toLowerCase()],
    );
    link = rows[0]?.text_body.match(/https?:\/\/\S+\/api\/auth\/callback\/email\S+/)?.[0];
    if (!link) await new Promise((r) => setTimeout(r, 250));
  }
  if (!link) throw new Error(`no magic link was queued for ${email}`);
  const followed = await request.get(link, { maxRedirects: 0 });
  expect(followed.status()).toBe(302);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { role?: string } };
  expect(session.user?.role).toBe("customer");
  return link;
}

/** The admin sign-in page. */
export class AdminSignInPage {
  constructor(readonly page: Page) {}

  async goto(callbackUrl?: string) {
    await this.page.goto(`/admin/signin${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`);
  }

  async signIn(email = ADMIN.email, password = ADMIN.password) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Signs in as the seeded admin and waits for the dashboard. */
  async signInAsAdmin(callbackUrl = "/admin") {
    await this.goto(callbackUrl);
    await this.signIn();
    await this.page.waitForURL((url) => url.pathname === new URL(callbackUrl, "http://x").pathname);
    await expect(this.page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  }
}
