import type { Calendar } from "@/db/schema";
import { createCalDavClient, DEFAULT_TIMEOUT_MS, type CalDavClient, type CalDavClientOptions } from "./caldav-client";
import { decryptSecret } from "./encrypt-secret";

/** Per-request timeout for background sync (CALDAV_TIMEOUT_MS, default 10 s). */
export function backgroundTimeoutMs(): number {
  const configured = Number(process.env.CALDAV_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_TIMEOUT_MS;
}

/** A client for a linked calendar; the app password is decrypted only into the client. */
export function clientForCalendar(calendar: Pick<Calendar, "serverUrl" | "username" | "passwordEncrypted">, opts: CalDavClientOptions = {}): CalDavClient {
  return createCalDavClient(
    { serverUrl: calendar.serverUrl, username: calendar.username, password: decryptSecret(calendar.passwordEncrypted) },
    { timeoutMs: backgroundTimeoutMs(), ...opts },
  );
}
