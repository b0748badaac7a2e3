import { calendarAccountSchema, testCalendarConnection } from "@/lib/caldav/test-connection";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/**
 * POST {serverUrl, username, password} → 200 {ok:true, calendars:[{url, displayName, supportsSync}]}
 * or 200 {ok:false, error:{code, message}} (bad_credentials, rate_limited, not_caldav, timeout,
 * unreachable, server_error, no_calendars, no_sync_support, host_not_allowed,
 * cross_origin_discovery); 400 for input that is not valid (not http(s), credentials in the URL).
 * Answers within ~3 s whatever the server does; every network failure is the same `unreachable`
 * after the full 3 s. The password is used for this call only, and only on the entered origin.
 */
export const POST = withAdmin(async ({ req }) => {
  const account = await readJson(req, calendarAccountSchema);
  return Response.json(await testCalendarConnection(account));
});
