/**
 * "Pull this calendar now" — for a newly linked calendar, a "sync now" button, or a Nextcloud 30
 * webhook_listeners call (which carries no body: it is only a trigger). Marks the calendar due
 * and queues a pull, so the resident worker picks it up within a second; without a worker the
 * next tick does. The pull itself still claims the calendar, so duplicates are harmless.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { calendars } from "@/db/schema";
import { addJob } from "@/lib/jobs/add-job";

export async function requestCalendarPull(db: Executor, calendarId?: string): Promise<number> {
  const marked = await db
    .update(calendars)
    .set({ nextSyncAt: sql`now()` })
    .where(and(eq(calendars.active, true), calendarId ? eq(calendars.id, calendarId) : undefined))
    .returning({ id: calendars.id });
  if (marked.length > 0) await addJob(db, "pull_calendars", {}, { jobKey: "caldav-pull-due", maxAttempts: 3 });
  return marked.length;
}

/**
 * The calendars a Nextcloud webhook may be about: those on that server, optionally of one user
 * (NC30 webhooks name the user in their filter, not in the call).
 */
export async function requestPullForServer(db: Executor, serverUrl: string, username?: string): Promise<number> {
  const host = new URL(serverUrl).host;
  const rows = await db
    .select({ id: calendars.id, serverUrl: calendars.serverUrl, username: calendars.username })
    .from(calendars)
    .where(eq(calendars.active, true));
  const ids = rows.filter((r) => new URL(r.serverUrl).host === host && (!username || r.username === username)).map((r) => r.id);
  let count = 0;
  for (const id of ids) count += await requestCalendarPull(db, id);
  return count;
}
