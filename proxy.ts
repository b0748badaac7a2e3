import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret, sessionCookieName, secureCookiesEnabled } from "@/lib/auth/cookies";
import { allowedMethods, matchApiRoute, parseApiRouteTable } from "@/lib/http/api-route-table";
import { isEmbeddablePath, parentOriginOf } from "@/lib/http/embed-paths";
import {
  API_SECURITY_HEADERS,
  embedFrameAncestors,
  newNonce,
  pageArea,
  pageContentSecurityPolicy,
  pageSecurityHeaders,
  publicFrameAncestors,
} from "@/lib/http/security-headers";
import { embedOriginsForFraming } from "@/lib/studio/embed-origins";

/** app/api's routes and methods, read by next.config.ts at build time (see lib/http/list-api-routes.ts). */
const API_ROUTES = parseApiRouteTable(process.env.HOLDFAST_API_ROUTES);

function apiError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return NextResponse.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...API_SECURITY_HEADERS, ...headers } });
}

function withHeaders(res: NextResponse, headers: Record<string, string>) {
  for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  return res;
}

async function isAdmin(req: NextRequest) {
  const token = await getToken({ req, secret: authSecret(), secureCookie: secureCookiesEnabled(), cookieName: sessionCookieName() }).catch(() => null);
  return { token, admin: token?.role === "admin" };
}

/**
 * /api/*: the first lock on /api/admin (401/403 JSON; every admin handler checks the session and
 * role again on its own), then the route table: an unknown path is a 404 and a method the route
 * lacks a 405 with `Allow`, both in the one error shape. Every answer gets the API's headers.
 */
async function api(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (pathname === "/api/admin" || pathname.startsWith("/api/admin/")) {
    const { token, admin } = await isAdmin(req);
    if (!admin) {
      return token ? apiError(403, "forbidden", "This needs an admin account") : apiError(401, "unauthorized", "Sign in as an admin to do this");
    }
  }
  if (API_ROUTES) {
    const route = matchApiRoute(API_ROUTES, pathname);
    if (!route) return apiError(404, "not_found", `There is no API at ${pathname.slice(0, 200)}`);
    const allowed = allowedMethods(route);
    if (!allowed.includes(req.method)) {
      return apiError(405, "method_not_allowed", `${req.method.slice(0, 20)} is not allowed here; use ${allowed.join(", ")}`, { allow: allowed.join(", ") });
    }
  }
  return withHeaders(NextResponse.next(), API_SECURITY_HEADERS);
}

/**
 * Pages: the admin area redirects strangers to its sign-in (the pages check again), and every page
 * gets a fresh CSP nonce — in the request, where Next finds it and puts it on its scripts, and in
 * the response — plus the framing, referrer and nosniff headers.
 */
async function page(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const area = pageArea(pathname);
  // The booking pages may also be framed by the sites the studio lists (the embed, public/embed.js).
  const embeddable = area === "public" && isEmbeddablePath(pathname);
  const frameAncestors = embeddable ? embedFrameAncestors(publicFrameAncestors(), await embedOriginsForFraming()) : publicFrameAncestors();
  const headers = pageSecurityHeaders(area, frameAncestors);

  if (area === "admin" && pathname !== "/admin/signin" && !pathname.startsWith("/admin/signin/")) {
    const { token, admin } = await isAdmin(req);
    if (!admin) {
      const signIn = new URL("/admin/signin", req.url);
      signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
      if (token) signIn.searchParams.set("error", "forbidden");
      return withHeaders(NextResponse.redirect(signIn), headers);
    }
  }

  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, area, { dev: process.env.NODE_ENV === "development", frameAncestors });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  // ?embed=1 (set by public/embed.js): the root layout leaves out the site's header and footer and mounts the frame bridge.
  // Its value is the embedding page's origin (`parent`, where the bridge posts its messages) or "-" for a plain iframe.
  requestHeaders.delete("x-holdfast-embed");
  if (embeddable && req.nextUrl.searchParams.get("embed") === "1") {
    requestHeaders.set("x-holdfast-embed", parentOriginOf(req.nextUrl.searchParams.get("parent")) ?? "-");
  }
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", policy);
  return withHeaders(res, headers);
}

/** Next 16's proxy (formerly middleware). */
export async function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  return pathname === "/api" || pathname.startsWith("/api/") ? api(req) : page(req);
}

export const config = {
  // Everything but the build's static files: those carry no token and run no inline script.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
