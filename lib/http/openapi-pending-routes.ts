/**
 * Definitions of the /api routes that do not use defineRoute, so GET /api/openapi.json still
 * lists every route. Each entry has the shape a route file passes to defineRoute; a route that
 * moves to defineRoute is deleted here and its module added to app/api/route-modules.ts.
 * tests/integration/openapi.test.ts fails while a route is in neither place, or in both.
 *
 * Only next-auth's catch-all is here: its answers are next-auth's own (redirects, HTML, JSON).
 */
import type { RouteDefinition } from "./define-route";

export const pendingRouteDefinitions: RouteDefinition[] = [
  {
    method: "GET",
    path: "/api/auth/[...nextauth]",
    auth: "public",
    tags: ["auth"],
    summary: "next-auth (sign-in, sign-out, session, CSRF token)",
    description:
      "next-auth 4's own endpoints under one catch-all, e.g. `session`, `csrf`, `providers`, `signin`, `callback/email`, `signout`. Answers are next-auth's (JSON, HTML pages or redirects); a successful sign-in sets the session cookie the admin routes need.",
    responses: { 200: { description: "next-auth's answer (JSON, an HTML page or a redirect)", contentType: "*/*" } },
  },
  {
    method: "POST",
    path: "/api/auth/[...nextauth]",
    auth: "public",
    tags: ["auth"],
    summary: "next-auth form posts (sign-in, magic link request, sign-out)",
    description:
      "Form-encoded posts with next-auth's CSRF token, e.g. `signin/email`, `callback/credentials`, `signout`; sign-in requests are rate-limited per address and per email.",
    responses: { 200: { description: "next-auth's answer (JSON with a `url`, or a redirect)", contentType: "*/*" } },
  },
];
