import { calendarAccountSchema, testCalendarConnection } from "@/lib/caldav/test-connection";
import { readJson } from "@/lib/http/read-json";
import { withAdmin } from "@/lib/http/route-handlers";

export const dynamic = "force-dynamic";

/**
 * POST {serverUrl, username, password} → 200 {ok:true, calendars:[{url, displayName, supportsSync}]}
 * or 200 {ok:false, error:{code, message}} (bad_credentials, rate_limited, not_caldav, timeout,
 * unreachable, server_error, no_calendars, no_sync_support); 400 for input that is not valid.
 * Answers within ~3 s whatever the server does. The password is used for this call only.
 */
export const POST = withAdmin(async ({ req }) => {
  const account = await readJson(req, calendarAccountSchema);
  return Response.json(await testCalendarConnection(account));
});
