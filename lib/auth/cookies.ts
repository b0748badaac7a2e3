/**
 * The session cookie's name, shared by next-auth's options and the proxy: next-auth prefixes it with
 * `__Secure-` exactly when the public URL is https, and both sides must agree on that.
 */
export function publicAuthUrl(): string {
  return (process.env.NEXTAUTH_URL ?? process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
}

export function secureCookiesEnabled(): boolean {
  return publicAuthUrl().startsWith("https://");
}

export function sessionCookieName(): string {
  return `${secureCookiesEnabled() ? "__Secure-" : ""}next-auth.session-token`;
}

/** The auth secret: AUTH_SECRET, with NEXTAUTH_SECRET as a fallback for next-auth habits. */
export function authSecret(): string | undefined {
  return process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET || undefined;
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
