import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret, sessionCookieName, secureCookiesEnabled } from "@/lib/auth/cookies";

/**
 * The first lock on the admin area (Next 16's proxy, formerly middleware): pages redirect to the
 * admin sign-in, API routes answer 401/403 JSON. Every admin route handler and server action
 * checks the session and role again on its own; this only keeps strangers away early.
 */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (pathname === "/admin/signin" || pathname.startsWith("/admin/signin/")) return NextResponse.next();

  const token = await getToken({ req, secret: authSecret(), secureCookie: secureCookiesEnabled(), cookieName: sessionCookieName() }).catch(() => null);
  if (token?.role === "admin") return NextResponse.next();

  if (pathname.startsWith("/api/admin")) {
    const status = token ? 403 : 401;
    const body = token
      ? { error: { code: "forbidden", message: "This needs an admin account" } }
      : { error: { code: "unauthorized", message: "Sign in as an admin to do this" } };
    return NextResponse.json(body, { status, headers: { "cache-control": "no-store" } });
  }
  const signIn = new URL("/admin/signin", req.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  if (token) signIn.searchParams.set("error", "forbidden");
  return NextResponse.redirect(signIn);
}

export const config = { matcher: ["/admin", "/admin/:path*", "/api/admin", "/api/admin/:path*"] };
