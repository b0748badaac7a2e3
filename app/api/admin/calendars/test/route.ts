import { calendarAccountSchema, testCalendarConnection } from "@/lib/caldav/test-connection";
import { connectionTestResponseSchema } from "@/lib/caldav/response-schemas";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
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
  async ({ body }) => Response.json(await testCalendarConnection(body)),
);
