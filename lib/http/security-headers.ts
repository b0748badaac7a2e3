/**
 * The response headers every Holdfast answer carries (set by proxy.ts), in one place:
 *
 * - Content-Security-Policy: pages allow only scripts carrying this response's nonce (Next adds
 *   it to its own scripts when it finds the nonce in the request's CSP header; every page is
 *   rendered per request) and whatever those load (`'strict-dynamic'`). Styles may be inline:
 *   React's `style={…}` attributes cannot carry a nonce, and styles cannot run code.
 *   API answers are data, never a document: `default-src 'none'`.
 * - Framing: the admin area and the API are never framed (`frame-ancestors 'none'`,
 *   `X-Frame-Options: DENY`); public pages may be framed by PUBLIC_FRAME_ANCESTORS (default 'none').
 * - Referrer-Policy: `strict-origin-when-cross-origin`, and `no-referrer` on the customer's
 *   manage pages and on the API (their URLs carry a token that must not leave in a Referer).
 * - X-Content-Type-Options: nosniff everywhere.
 */
import { envSchema, readEnv } from "@/lib/env";

export type PageArea = "admin" | "manage" | "public";

/**
 * The frame-ancestors source list: PUBLIC_FRAME_ANCESTORS (whose schema refuses anything that
 * could end the directive or the header, so a bad value stops `npm start`), or `value` checked by
 * the same rule, where a refused value falls back to 'none'. readEnv, not getEnv: the proxy calls
 * this on every page and needs nothing else from the configuration.
 */
export function publicFrameAncestors(value?: string): string {
  if (value === undefined) return readEnv(["PUBLIC_FRAME_ANCESTORS"]).PUBLIC_FRAME_ANCESTORS;
  const parsed = envSchema.shape.PUBLIC_FRAME_ANCESTORS.safeParse(value.trim() === "" ? undefined : value);
  return parsed.success ? parsed.data : "'none'";
}

/**
 * frame-ancestors for the embeddable pages (lib/http/embed-paths.ts): the configured list plus
 * 'self' and the origins the studio lists in Studio setup (already checked to be bare https
 * origins by lib/studio/update-studio-settings.ts; anything else is dropped here too, since it
 * lands in a header). No listed origin: the configured list alone.
 */
export function embedFrameAncestors(configured: string, studioOrigins: string[]): string {
  const origins = studioOrigins.filter((o) => /^https?:\/\/[a-z0-9.\-:[\]]+$/i.test(o));
  if (origins.length === 0) return configured;
  const base = configured === "'none'" ? [] : configured.split(/\s+/).filter(Boolean);
  return [...new Set(["'self'", ...base, ...origins])].join(" ");
}

export function pageArea(pathname: string): PageArea {
  if (pathname === "/admin" || pathname.startsWith("/admin/")) return "admin";
  if (pathname.startsWith("/bookings/") || pathname === "/my-bookings" || pathname.startsWith("/my-bookings/")) return "manage";
  return "public";
}

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}

/** The policy for an HTML page rendered with `nonce`. */
export function pageContentSecurityPolicy(nonce: string, area: PageArea, opts: { dev?: boolean; frameAncestors?: string } = {}): string {
  const ancestors = area === "admin" ? "'none'" : (opts.frameAncestors ?? publicFrameAncestors());
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join("; ");
}

/** Headers for an HTML page (the CSP itself is set separately, since the request needs it too). */
export function pageSecurityHeaders(area: PageArea, frameAncestors = publicFrameAncestors()): Record<string, string> {
  const headers: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "referrer-policy": area === "manage" ? "no-referrer" : "strict-origin-when-cross-origin",
  };
  // X-Frame-Options can only say DENY or SAMEORIGIN; with a list of embedding sites, frame-ancestors alone decides.
  if (area === "admin" || frameAncestors === "'none'") headers["x-frame-options"] = "DENY";
  else if (frameAncestors === "'self'") headers["x-frame-options"] = "SAMEORIGIN";
  return headers;
}

/** Headers for every /api answer. */
export const API_SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};
