import type { Calendar } from "@/db/schema";
import { readEnv } from "@/lib/env";
import { createCalDavClient, type CalDavClient, type CalDavClientOptions } from "./caldav-client";
import { decryptSecret } from "./encrypt-secret";

/**
 * Per-request timeout for background sync (CALDAV_TIMEOUT_MS, default 10 s). readEnv: the CalDAV
 * benchmark pulls with its own database handle and no DATABASE_URL.
 */
export function backgroundTimeoutMs(): number {
  return readEnv(["CALDAV_TIMEOUT_MS"]).CALDAV_TIMEOUT_MS;
}

/** A client for a linked calendar; the app password is decrypted only into the client. */
export function clientForCalendar(calendar: Pick<Calendar, "serverUrl" | "username" | "passwordEncrypted">, opts: CalDavClientOptions = {}): CalDavClient {
  return createCalDavClient(
    { serverUrl: calendar.serverUrl, username: calendar.username, password: decryptSecret(calendar.passwordEncrypted) },
    { timeoutMs: backgroundTimeoutMs(), ...opts },
  );
}
