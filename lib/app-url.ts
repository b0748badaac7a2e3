import { readEnv } from "@/lib/env";

/**
 * The public base URL for links in emails, calendar events, customer pages, next-auth and the
 * session cookie: APP_URL without a trailing slash, else http://localhost:PORT (lib/env.ts's one
 * rule, the same value as getEnv().APP_URL). Read with readEnv: the proxy (session cookie name)
 * and the CalDAV benchmark call it without the rest of the configuration.
 */
export function appUrl(): string {
  return readEnv(["APP_URL"]).APP_URL;
}
