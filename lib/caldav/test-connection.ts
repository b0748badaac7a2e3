import { childLogger } from "@/lib/log/logger";
/**
 * "Test connection" in the admin dashboard: can Holdfast log in to this CalDAV account, which
 * calendars does it see, and can each be synced efficiently? Answers within ~3 s whatever the
 * server does, and says in plain words what is wrong.
 *
 * The admin can type any address, so the answer must not work as a port scanner: every failure
 * below HTTP (connection refused, reset, DNS, TLS, no answer at all) is the one `unreachable`,
 * with the same message, after the same full deadline. `timeout` is kept only for an origin that
 * has already answered HTTP during this test and then stalls: that it speaks HTTP is something any
 * answer (not_caldav, bad_credentials, …) reveals anyway, so the distinction leaks nothing new.
 */
import { z } from "@/lib/zod";
import { invalidInput } from "@/lib/errors";
import { CalDavError, createCalDavClient, TEST_CONNECTION_TIMEOUT_MS, type CalDavClientOptions, type DiscoveredCalendar } from "./caldav-client";
import { serverUrlProblem } from "./outbound-guard";

const log = childLogger("caldav");

/** An http(s) URL without credentials in it; the message says what to change. */
export const caldavUrlSchema = (message: string) =>
  z
    .string()
    .trim()
    .url(message)
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) return; // .url() has said so already
      const problem = serverUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

export const calendarAccountSchema = z.object({
  serverUrl: caldavUrlSchema("must be a URL like https://cloud.example.com"),
  username: z.string().trim().min(1, "is required").max(200),
  password: z.string().min(1, "is required").max(500),
});

export type CalendarAccountInput = z.infer<typeof calendarAccountSchema>;

export type ConnectionErrorCode =
  | "bad_credentials"
  | "rate_limited"
  | "not_caldav"
  | "timeout"
  | "unreachable"
  | "server_error"
  | "no_calendars"
  | "no_sync_support"
  | "host_not_allowed"
  | "cross_origin_discovery";

/** The one answer for every failure below HTTP; deliberately the same words whatever the cause. */
export const UNREACHABLE_MESSAGE =
  "Holdfast could not connect to the server, or got no answer from it. Check the address, that the server is online, and that its HTTPS certificate is valid.";

export type ConnectionTestResult =
  | { ok: true; calendars: { url: string; displayName: string | null; supportsSync: boolean }[] }
  | { ok: false; error: { code: ConnectionErrorCode; message: string } };

/** Plain-language explanations, one per failure an admin can do something about. */
export function explainCalDavError(err: CalDavError, timeoutMs = TEST_CONNECTION_TIMEOUT_MS): { code: ConnectionErrorCode; message: string } {
  switch (err.kind) {
    case "unauthorized":
      return {
        code: "bad_credentials",
        message:
          "The server refused the username or app password. In Nextcloud, create an app password under Settings → Security → Devices & sessions and paste it here.",
      };
    case "rate_limited": {
      const wait =
        err.retryAfterMs !== undefined
          ? ` Try again in about ${Math.max(1, Math.ceil(err.retryAfterMs / 60_000))} minute(s).`
          : " Wait a few minutes before trying again.";
      return {
        code: "rate_limited",
        message: `The server is temporarily refusing logins from Holdfast (HTTP 429: Nextcloud's brute-force protection after failed attempts).${wait}`,
      };
    }
    case "timeout":
      return {
        code: "timeout",
        message: `The server stopped answering (no answer within ${Math.round(timeoutMs / 1000)} seconds). Try again when the server is less busy.`,
      };
    case "unreachable":
      return { code: "unreachable", message: UNREACHABLE_MESSAGE };
    case "host_not_allowed":
      return {
        code: "host_not_allowed",
        message: `Holdfast is not allowed to connect to ${err.refusedHost ?? "this server"} (this installation limits calendar servers with CALDAV_ALLOWED_HOSTS or CALDAV_BLOCK_PRIVATE). Ask whoever runs Holdfast to allow it.`,
      };
    case "cross_origin_discovery": {
      const suggestion = err.refusedUrl ? ` If that server is right, enter ${new URL(err.refusedUrl).origin}/ as the server URL instead.` : "";
      return {
        code: "cross_origin_discovery",
        message: `The server sent Holdfast on to another address (${err.refusedHost ?? "another host"}). Holdfast sends the app password only to the address you entered, so it stopped there.${suggestion}`,
      };
    }
    case "server_error":
      return { code: "server_error", message: `The server answered with an error (${err.status ?? "5xx"}). Try again later.` };
    default:
      return {
        code: "not_caldav",
        message: "This address does not look like a CalDAV server. For Nextcloud use https://cloud.example.com or https://cloud.example.com/remote.php/dav/.",
      };
  }
}

/**
 * Discovers the account's calendars. `ok: false` when none can be used; per-calendar
 * `supportsSync` tells which ones can be linked (Holdfast needs RFC 6578 sync-collection).
 */
export async function testCalendarConnection(
  input: CalendarAccountInput,
  opts: { timeoutMs?: number } & Pick<CalDavClientOptions, "fetch" | "policy" | "resolver"> = {},
): Promise<ConnectionTestResult> {
  const parsed = calendarAccountSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  const timeoutMs = opts.timeoutMs ?? TEST_CONNECTION_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // One deadline for the whole discovery (several requests), not just for each of them.
  const client = createCalDavClient(parsed.data, {
    timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
    fetch: opts.fetch,
    policy: opts.policy,
    resolver: opts.resolver,
  });
  let calendars: DiscoveredCalendar[];
  try {
    calendars = await client.discoverCalendars();
  } catch (err) {
    if (!(err instanceof CalDavError)) throw err;
    const silent = err.kind === "unreachable" || (err.kind === "timeout" && client.answeredRequests === 0);
    if (!silent) return { ok: false, error: explainCalDavError(err, timeoutMs) };
    // Refused at once, or no answer for 3 s: both take the whole deadline, so neither the words
    // nor the timing tell a closed port from a filtered one, a silent service or a missing host.
    log.warn({ host: new URL(parsed.data.serverUrl).host, detail: transportDetail(err) }, "test connection: unreachable");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
    return { ok: false, error: { code: "unreachable", message: UNREACHABLE_MESSAGE } };
  }
  const usable = calendars.filter((c) => c.supportsEvents);
  if (usable.length === 0)
    return {
      ok: false,
      error: { code: "no_calendars", message: "Logged in, but this account has no calendars that hold events. Create one in Nextcloud first." },
    };
  if (!usable.some((c) => c.supportsSync)) {
    return {
      ok: false,
      error: {
        code: "no_sync_support",
        message: "Logged in, but the server does not support sync-collection (RFC 6578), which Holdfast needs to keep calendars in sync cheaply.",
      },
    };
  }
  return { ok: true, calendars: usable.map((c) => ({ url: c.url, displayName: c.displayName, supportsSync: c.supportsSync })) };
}

/** For the server log only (the operator's view): what actually failed below HTTP. */
function transportDetail(err: CalDavError): string {
  if (err.kind === "timeout") return "no answer";
  let cause: unknown = err.cause;
  for (let depth = 0; depth < 3 && cause; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return err.cause instanceof Error ? err.cause.name : "unknown";
}
