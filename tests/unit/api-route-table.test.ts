/**
 * The proxy's route table (item 13 of issue 8): a method a route lacks must be a 405 JSON error
 * with Allow, and an unknown /api path a 404 JSON error — Next itself answers those with an empty
 * body or an HTML page, which API clients cannot read. If these fail, a client sees that again.
 */
import path from "node:path";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { allowedMethods, matchApiRoute, type ApiRoute } from "@/lib/http/api-route-table";
import { listApiRoutes } from "@/lib/http/list-api-routes";

const ROOT = path.resolve(import.meta.dirname, "../..");
let routes: ApiRoute[];
let proxy: (req: NextRequest) => Promise<Response>;

beforeAll(async () => {
  routes = listApiRoutes(path.join(ROOT, "app"));
  process.env.HOLDFAST_API_ROUTES = JSON.stringify(routes);
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  ({ proxy } = await import("@/proxy"));
});

describe("the API route table read from app/api", () => {
  it("finds every route file with the methods it exports — a route missing here would answer 404 to every call", () => {
    const byPattern = Object.fromEntries(routes.map((r) => [r.pattern, r.methods]));
    expect(byPattern["/api/bookings"]).toEqual(["POST"]);
    expect(byPattern["/api/bookings/[id]"]).toContain("GET");
    expect(byPattern["/api/auth/[...nextauth]"]).toEqual(["GET", "POST"]);
    expect(byPattern["/api/health"]).toEqual(["GET"]);
    for (const r of routes) expect(r.methods.length, `${r.pattern} exports no method`).toBeGreaterThan(0);
  });

  it("picks the route Next would run: a static segment beats a [param], a [param] beats a catch-all", () => {
    expect(matchApiRoute(routes, "/api/admin/calendars/test")?.pattern).toBe("/api/admin/calendars/test");
    expect(matchApiRoute(routes, "/api/admin/calendars/0b6a6d8e-0000-4000-8000-000000000000")?.pattern).toBe("/api/admin/calendars/[id]");
    expect(matchApiRoute(routes, "/api/auth/callback/email")?.pattern).toBe("/api/auth/[...nextauth]");
    expect(matchApiRoute(routes, "/api/auth")).toBeUndefined();
    expect(matchApiRoute(routes, "/api/bookings/x/y/z")).toBeUndefined();
    expect(allowedMethods({ pattern: "/x", methods: ["GET"] })).toEqual(["GET", "HEAD", "OPTIONS"]);
  });
});

describe("the proxy's answers for /api", () => {
  const call = (method: string, pathname: string) => proxy(new NextRequest(`http://holdfast.test${pathname}`, { method }));

  it("answers GET /api/bookings (the URL a GET /api/bookings/ with an empty id lands on) with 405 method_not_allowed and Allow", async () => {
    const res = await call("GET", "/api/bookings");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await res.json()).toMatchObject({ error: { code: "method_not_allowed", message: expect.any(String) } });
  });

  it("answers an unknown /api path with 404 not_found JSON instead of the HTML not-found page", async () => {
    const res = await call("GET", "/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("keeps strangers out of /api/admin before anything else, even on a path that does not exist", async () => {
    const res = await call("GET", "/api/admin/no-such-thing");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("lets a method the route has through, with the API's security headers", async () => {
    const res = await call("POST", "/api/bookings");
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("gives pages a fresh nonce CSP, framing, nosniff and referrer headers — manage pages send no Referer", async () => {
    const home = await call("GET", "/");
    const csp = home.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(home.headers.get("x-frame-options")).toBe("DENY");
    expect(home.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const again = await call("GET", "/");
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
    const manage = await call("GET", "/bookings/0b6a6d8e-0000-4000-8000-000000000000?token=secret");
    expect(manage.headers.get("referrer-policy")).toBe("no-referrer");
    const admin = await call("GET", "/admin/signin");
    expect(admin.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("PUBLIC_FRAME_ANCESTORS", () => {
  it("lets a studio embed its public pages on its own site but never the admin area, and refuses a value that would break the header", async () => {
    const { pageContentSecurityPolicy, pageSecurityHeaders, publicFrameAncestors } = await import("@/lib/http/security-headers");
    const site = publicFrameAncestors("https://studio.example");
    expect(site).toBe("https://studio.example");
    expect(pageContentSecurityPolicy("n", "public", { frameAncestors: site })).toContain("frame-ancestors https://studio.example");
    expect(pageSecurityHeaders("public", site)["x-frame-options"]).toBeUndefined();
    expect(pageContentSecurityPolicy("n", "admin", { frameAncestors: site })).toContain("frame-ancestors 'none'");
    expect(pageSecurityHeaders("admin", site)["x-frame-options"]).toBe("DENY");
    expect(publicFrameAncestors("https://a.example; script-src *")).toBe("'none'");
    expect(publicFrameAncestors(undefined)).toBe("'none'");
  });
});
