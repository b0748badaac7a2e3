/**
 * Definitions of the /api routes that do not use defineRoute yet, so GET /api/openapi.json still
 * lists every route. Each entry is exactly what the route file will pass to defineRoute: to
 * migrate one, move its object into the route file (`export const GET = defineRoute({...}, handler)`),
 * delete it here, and add the module to app/api/route-modules.ts. tests/integration/openapi.test.ts
 * fails while a route is in neither place, or in both.
 *
 * next-auth's catch-all stays here: its answers are next-auth's own (redirects, HTML, JSON).
 */
import { z } from "zod";
import { adminBookingListResponseSchema, manageLinkResponseSchema } from "@/lib/admin/response-schemas";
import { listBookingsQuerySchema } from "@/lib/admin/list-bookings";
import { availabilityResponseSchema } from "@/lib/availability/response-schemas";
import { bookingRequestResponseSchema } from "@/lib/bookings/response-schemas";
import { availabilityQuerySchema, bookingIdSchema, idempotencyKeySchema, submitRequestSchema } from "@/lib/bookings/schemas";
import { linkCalendarSchema } from "@/lib/caldav/link-calendar";
import { artistCalendarsResponseSchema, calendarsWithSkippedResponseSchema, connectionTestResponseSchema, publicCalendarSchema } from "@/lib/caldav/response-schemas";
import { calendarAccountSchema } from "@/lib/caldav/test-connection";
import { webhookResponseSchema } from "@/lib/webhooks/response-schemas";
import type { RouteDefinition } from "./define-route";
import { healthResponseSchema } from "./response-schemas";

export const pendingRouteDefinitions: RouteDefinition[] = [
  {
    method: "GET",
    path: "/api/admin/artists/[id]/calendars",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "This artist's linked calendars with their sync health",
    params: z.object({ id: z.uuid() }),
    notFound: "That artist was not found",
    responses: { 200: artistCalendarsResponseSchema },
  },
  {
    method: "POST",
    path: "/api/admin/artists/[id]/calendars",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Link one of the artist's calendars (the connection is tested again first)",
    description:
      "400 with field errors when the login fails (`password`, or `serverUrl` when the address is the problem; `reason` carries the Test connection code), the calendar is not on that account or not on the server's origin, or the artist already has a write calendar. The password is never returned.",
    params: z.object({ id: z.uuid() }),
    notFound: "That artist was not found",
    body: linkCalendarSchema.omit({ artistId: true }),
    responses: { 201: publicCalendarSchema },
  },
  {
    method: "GET",
    path: "/api/admin/bookings",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "The bookings table: filtered, searched, one page at a time",
    description: "`status` is a comma-separated list, `active` or `all`; `from`/`to` are dates (in the artist's zone, else the studio's) or instants; `q` searches name and email.",
    query: listBookingsQuerySchema,
    responses: { 200: adminBookingListResponseSchema },
  },
  {
    method: "POST",
    path: "/api/admin/bookings/[id]/manage-link",
    auth: "admin",
    tags: ["admin: bookings"],
    summary: "A new customer link for the booking; every earlier one stops working",
    params: z.object({ id: bookingIdSchema }),
    notFound: "That booking was not found",
    responses: { 200: manageLinkResponseSchema },
  },
  {
    method: "GET",
    path: "/api/admin/calendars",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Every linked calendar with its sync health and the events Holdfast could not read",
    query: z.object({ artist: z.uuid().optional() }),
    responses: { 200: calendarsWithSkippedResponseSchema },
  },
  {
    method: "POST",
    path: "/api/admin/calendars/test",
    auth: "admin",
    tags: ["admin: calendars"],
    summary: "Test a CalDAV login and list its calendars",
    description:
      "Both outcomes are a 200 (`ok: false` names what went wrong); 400 for input that is not valid (not http(s), credentials in the URL). Answers within about 3 s; the password is used for this call only, and only on the entered origin.",
    body: calendarAccountSchema,
    responses: { 200: connectionTestResponseSchema },
  },
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
    description: "Form-encoded posts with next-auth's CSRF token, e.g. `signin/email`, `callback/credentials`, `signout`; sign-in requests are rate-limited per address and per email.",
    responses: { 200: { description: "next-auth's answer (JSON with a `url`, or a redirect)", contentType: "*/*" } },
  },
  {
    method: "GET",
    path: "/api/availability",
    auth: "public",
    tags: ["booking"],
    summary: "Free starts of an artist's service between two dates in the artist's zone",
    description: "At most 62 days at a time; 404 for an unknown artist or service, or one the artist does not offer.",
    query: availabilityQuerySchema,
    responses: { 200: availabilityResponseSchema },
    errors: [404],
  },
  {
    method: "POST",
    path: "/api/bookings",
    auth: "public",
    tags: ["booking"],
    summary: "Turn a hold into a booking request (or a confirmed booking, for services that confirm automatically)",
    description:
      "Send an `Idempotency-Key`: the same key and body again answers 200 with `Idempotent-Replayed: true` and the same booking; the same key with another body is a 409 `idempotency_conflict`. 409 `hold_expired` / `already_submitted`; 429 past the per-IP or per-email limit.",
    headers: z.object({ "idempotency-key": idempotencyKeySchema.meta({ description: "Any unique string per booking attempt (8–200 characters)." }) }),
    body: submitRequestSchema,
    responses: {
      201: bookingRequestResponseSchema,
      200: {
        description: "A replay of an earlier request with the same Idempotency-Key",
        schema: bookingRequestResponseSchema,
        headers: { "idempotent-replayed": { description: "Always `true` on a replay", schema: z.literal("true") } },
      },
    },
    errors: [404, 409, 422, 429],
  },
  {
    method: "GET",
    path: "/api/health",
    auth: "public",
    tags: ["operations"],
    summary: "Liveness for load balancers: 200 when the database answers, 503 naming the failing check",
    responses: { 200: healthResponseSchema, 503: { description: "A check failed (the database did not answer)", schema: healthResponseSchema } },
  },
  {
    method: "POST",
    path: "/api/webhooks/nextcloud",
    auth: "webhook",
    tags: ["operations"],
    summary: "Nextcloud 30+ webhook_listeners call: pull the matching calendars now",
    description:
      "Only a trigger: nothing in it is trusted as calendar data. `?server=` and `?user=` in the webhook URL, and `user.uid` / `event.calendarData.uri` in Nextcloud's body, narrow which calendars are pulled. 503 `not_configured` while NEXTCLOUD_WEBHOOK_SECRET is unset.",
    query: z.object({ server: z.url().optional().meta({ description: "An http(s) Nextcloud base URL" }), user: z.string().max(200).optional() }),
    parseQuery: false,
    body: z.object({}).catchall(z.unknown()).meta({ description: "Nextcloud's event JSON; optional, never refused (an empty, oversized or non-JSON body counts as none)." }),
    parseBody: false,
    responses: { 202: webhookResponseSchema },
    errors: [400],
  },
];
