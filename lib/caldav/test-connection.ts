/**
 * "Test connection" in the admin dashboard: can Holdfast log in to this CalDAV account, which
 * calendars does it see, and can each be synced efficiently? Answers within ~3 s whatever the
 * server does, and says in plain words what is wrong.
 */
import { z } from "zod";
import { invalidInput } from "@/lib/errors";
import { CalDavError, createCalDavClient, TEST_CONNECTION_TIMEOUT_MS, type DiscoveredCalendar } from "./caldav-client";

export const calendarAccountSchema = z.object({
  serverUrl: z
    .string()
    .trim()
    .url("must be a URL like https://cloud.example.com")
    .refine((u) => /^https?:\/\//i.test(u), "must start with https:// (or http:// on a private network)"),
  username: z.string().trim().min(1, "is required").max(200),
  password: z.string().min(1, "is required").max(500),
});

export type CalendarAccountInput = z.infer<typeof calendarAccountSchema>;

export type ConnectionErrorCode = "bad_credentials" | "rate_limited" | "not_caldav" | "timeout" | "unreachable" | "server_error" | "no_calendars" | "no_sync_support";

export type ConnectionTestResult =
  | { ok: true; calendars: { url: string; displayName: string | null; supportsSync: boolean }[] }
  | { ok: false; error: { code: ConnectionErrorCode; message: string } };

/** Plain-language explanations, one per failure an admin can do something about. */
export function explainCalDavError(err: CalDavError, timeoutMs = TEST_CONNECTION_TIMEOUT_MS): { code: ConnectionErrorCode; message: string } {
  switch (err.kind) {
    case "unauthorized":
      return { code: "bad_credentials", message: "The server refused the username or app password. In Nextcloud, create an app password under Settings → Security → Devices & sessions and paste it here." };
    case "rate_limited": {
      const wait = err.retryAfterMs !== undefined ? ` Try again in about ${Math.max(1, Math.ceil(err.retryAfterMs / 60_000))} minute(s).` : " Wait a few minutes before trying again.";
      return { code: "rate_limited", message: `The server is temporarily refusing logins from Holdfast (HTTP 429: Nextcloud's brute-force protection after failed attempts).${wait}` };
    }
    case "timeout":
      return { code: "timeout", message: `The server did not answer within ${Math.round(timeoutMs / 1000)} seconds. Check the address, or try again when the server is less busy.` };
    case "unreachable":
      return { code: "unreachable", message: `Holdfast could not reach the server (${err.message}). Check the address.` };
    case "server_error":
      return { code: "server_error", message: `The server answered with an error (${err.status ?? "5xx"}). Try again later.` };
    default:
      return { code: "not_caldav", message: "This address does not look like a CalDAV server. For Nextcloud use https://cloud.example.com or https://cloud.example.com/remote.php/dav/." };
  }
}

/**
 * Discovers the account's calendars. `ok: false` when none can be used; per-calendar
 * `supportsSync` tells which ones can be linked (Holdfast needs RFC 6578 sync-collection).
 */
export async function testCalendarConnection(input: CalendarAccountInput, opts: { timeoutMs?: number; fetch?: typeof globalThis.fetch } = {}): Promise<ConnectionTestResult> {
  const parsed = calendarAccountSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  const timeoutMs = opts.timeoutMs ?? TEST_CONNECTION_TIMEOUT_MS;
  // One deadline for the whole discovery (several requests), not just for each of them.
  const client = createCalDavClient(parsed.data, { timeoutMs, signal: AbortSignal.timeout(timeoutMs), fetch: opts.fetch });
  let calendars: DiscoveredCalendar[];
  try {
    calendars = await client.discoverCalendars();
  } catch (err) {
    if (err instanceof CalDavError) return { ok: false, error: explainCalDavError(err, timeoutMs) };
    throw err;
  }
  const usable = calendars.filter((c) => c.supportsEvents);
  if (usable.length === 0) return { ok: false, error: { code: "no_calendars", message: "Logged in, but this account has no calendars that hold events. Create one in Nextcloud first." } };
  if (!usable.some((c) => c.supportsSync)) {
    return {
      ok: false,
      error: { code: "no_sync_support", message: "Logged in, but the server does not support sync-collection (RFC 6578), which Holdfast needs to keep calendars in sync cheaply." },
    };
  }
  return { ok: true, calendars: usable.map((c) => ({ url: c.url, displayName: c.displayName, supportsSync: c.supportsSync })) };
}
