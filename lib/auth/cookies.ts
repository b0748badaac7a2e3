/**
 * Shared by next-auth's options and the proxy, which must agree on the session cookie: next-auth
 * prefixes its name with `__Secure-` exactly when the public URL (APP_URL) is https.
 *
 * The proxy checks only the session, so it reads just AUTH_SECRET and APP_URL (readEnv): a
 * missing DATABASE_URL must not turn its first lock into a 500 (and its unit test has none).
 */
import { appUrl } from "@/lib/app-url";
import { readEnv } from "@/lib/env";

export function secureCookiesEnabled(): boolean {
  return appUrl().startsWith("https://");
}

export function sessionCookieName(): string {
  return `${secureCookiesEnabled() ? "__Secure-" : ""}next-auth.session-token`;
}

/** The key that signs sessions (AUTH_SECRET; getEnv() requires it, so NEXTAUTH_SECRET is not a fallback). */
export function authSecret(): string {
  return readEnv(["AUTH_SECRET"]).AUTH_SECRET;
}

/** A Cookie header as name → value (values percent-decoded where they can be). */
export function parseCookieHeader(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
