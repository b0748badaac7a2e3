/**
 * The public base URL for links in emails, calendar events and customer pages. Read on each call
 * (not cached with the rest of the env) so tests and scripts that set APP_URL late still get it.
 */
export function appUrl() {
  return (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
}
