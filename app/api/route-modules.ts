/**
 * Every /api route module that uses defineRoute, by its URL pattern (the folder under app/), so
 * GET /api/openapi.json is built from the definitions the routes themselves run with. Kept by
 * hand: tests/integration/openapi.test.ts walks app/api/**\/route.ts and fails when a route file
 * using defineRoute is missing here (or a route is neither here nor in
 * lib/http/openapi-pending-routes.ts). The openapi.json route adds its own definition.
 */
import { definitionOf, type RouteDefinition } from "@/lib/http/define-route";
import { pendingRouteDefinitions } from "@/lib/http/openapi-pending-routes";
import * as adminArtistCalendars from "./admin/artists/[id]/calendars/route";
import * as adminArtistTimeOff from "./admin/artists/[id]/time-off/route";
import * as adminBookings from "./admin/bookings/route";
import * as adminBookingsBulk from "./admin/bookings/bulk/route";
import * as adminBooking from "./admin/bookings/[id]/route";
import * as adminBookingApprove from "./admin/bookings/[id]/approve/route";
import * as adminBookingCancel from "./admin/bookings/[id]/cancel/route";
import * as adminBookingComplete from "./admin/bookings/[id]/complete/route";
import * as adminBookingManageLink from "./admin/bookings/[id]/manage-link/route";
import * as adminBookingPayment from "./admin/bookings/[id]/payment/route";
import * as adminBookingReject from "./admin/bookings/[id]/reject/route";
import * as adminBookingReschedule from "./admin/bookings/[id]/reschedule/route";
import * as adminCalendar from "./admin/calendar/route";
import * as adminCalendarConflicts from "./admin/calendar-conflicts/route";
import * as adminCalendarConflictResolve from "./admin/calendar-conflicts/[id]/resolve/route";
import * as adminCalendars from "./admin/calendars/route";
import * as adminCustomers from "./admin/customers/route";
import * as adminCalendarsTest from "./admin/calendars/test/route";
import * as adminCalendarById from "./admin/calendars/[id]/route";
import * as adminCalendarRuns from "./admin/calendars/[id]/runs/route";
import * as adminCalendarSync from "./admin/calendars/[id]/sync/route";
import * as adminFeed from "./admin/feed/route";
import * as adminJobs from "./admin/jobs/route";
import * as adminJobsRetry from "./admin/jobs/retry/route";
import * as adminNotificationRetry from "./admin/notifications/[id]/retry/route";
import * as adminOutbox from "./admin/outbox/route";
import * as adminResources from "./admin/resources/route";
import * as adminResource from "./admin/resources/[id]/route";
import * as adminResourceBooking from "./admin/resources/bookings/[id]/route";
import * as adminResourceService from "./admin/resources/services/[id]/route";
import * as adminStudioOutsideHours from "./admin/studio/outside-hours/route";
import * as adminSummary from "./admin/summary/route";
import * as adminTimeOff from "./admin/time-off/[id]/route";
import * as adminWebhooks from "./admin/webhooks/route";
import * as adminWebhook from "./admin/webhooks/[id]/route";
import * as adminWebhookDeliveries from "./admin/webhooks/[id]/deliveries/route";
import * as adminWebhookEnable from "./admin/webhooks/[id]/enable/route";
import * as adminWebhookTest from "./admin/webhooks/[id]/test/route";
import * as adminWebhookDeliveryRetry from "./admin/webhooks/deliveries/[id]/retry/route";
import * as artists from "./artists/route";
import * as availability from "./availability/route";
import * as bookings from "./bookings/route";
import * as booking from "./bookings/[id]/route";
import * as bookingCancel from "./bookings/[id]/cancel/route";
import * as bookingReschedule from "./bookings/[id]/reschedule/route";
import * as cronSync from "./cron/sync/route";
import * as health from "./health/route";
import * as holds from "./holds/route";
import * as metrics from "./metrics/route";
import * as nextcloudWebhook from "./webhooks/nextcloud/route";
import * as stripeWebhook from "./webhooks/stripe/route";

export const routeModules: Record<string, Record<string, unknown>> = {
  "/api/admin/artists/[id]/calendars": adminArtistCalendars,
  "/api/admin/artists/[id]/time-off": adminArtistTimeOff,
  "/api/admin/bookings": adminBookings,
  "/api/admin/bookings/bulk": adminBookingsBulk,
  "/api/admin/bookings/[id]": adminBooking,
  "/api/admin/bookings/[id]/approve": adminBookingApprove,
  "/api/admin/bookings/[id]/cancel": adminBookingCancel,
  "/api/admin/bookings/[id]/complete": adminBookingComplete,
  "/api/admin/bookings/[id]/manage-link": adminBookingManageLink,
  "/api/admin/bookings/[id]/payment": adminBookingPayment,
  "/api/admin/bookings/[id]/reject": adminBookingReject,
  "/api/admin/bookings/[id]/reschedule": adminBookingReschedule,
  "/api/admin/calendar": adminCalendar,
  "/api/admin/calendar-conflicts": adminCalendarConflicts,
  "/api/admin/calendar-conflicts/[id]/resolve": adminCalendarConflictResolve,
  "/api/admin/calendars": adminCalendars,
  "/api/admin/customers": adminCustomers,
  "/api/admin/calendars/test": adminCalendarsTest,
  "/api/admin/calendars/[id]": adminCalendarById,
  "/api/admin/calendars/[id]/runs": adminCalendarRuns,
  "/api/admin/calendars/[id]/sync": adminCalendarSync,
  "/api/admin/feed": adminFeed,
  "/api/admin/jobs": adminJobs,
  "/api/admin/jobs/retry": adminJobsRetry,
  "/api/admin/notifications/[id]/retry": adminNotificationRetry,
  "/api/admin/outbox": adminOutbox,
  "/api/admin/resources": adminResources,
  "/api/admin/resources/[id]": adminResource,
  "/api/admin/resources/bookings/[id]": adminResourceBooking,
  "/api/admin/resources/services/[id]": adminResourceService,
  "/api/admin/studio/outside-hours": adminStudioOutsideHours,
  "/api/admin/summary": adminSummary,
  "/api/admin/time-off/[id]": adminTimeOff,
  "/api/admin/webhooks": adminWebhooks,
  "/api/admin/webhooks/[id]": adminWebhook,
  "/api/admin/webhooks/[id]/deliveries": adminWebhookDeliveries,
  "/api/admin/webhooks/[id]/enable": adminWebhookEnable,
  "/api/admin/webhooks/[id]/test": adminWebhookTest,
  "/api/admin/webhooks/deliveries/[id]/retry": adminWebhookDeliveryRetry,
  "/api/artists": artists,
  "/api/availability": availability,
  "/api/bookings": bookings,
  "/api/bookings/[id]": booking,
  "/api/bookings/[id]/cancel": bookingCancel,
  "/api/bookings/[id]/reschedule": bookingReschedule,
  "/api/cron/sync": cronSync,
  "/api/health": health,
  "/api/holds": holds,
  "/api/metrics": metrics,
  "/api/webhooks/nextcloud": nextcloudWebhook,
  "/api/webhooks/stripe": stripeWebhook,
};

/** The definitions GET /api/openapi.json is built from (it adds its own): the routes' own, then the pending ones. */
export function apiRouteDefinitions(): RouteDefinition[] {
  const own = Object.values(routeModules).flatMap((mod) =>
    Object.values(mod)
      .map(definitionOf)
      .filter((d): d is RouteDefinition => d !== undefined),
  );
  return [...own, ...pendingRouteDefinitions];
}
