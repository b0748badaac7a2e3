/** Rows that the admin routes act on, for tests that call them (authorization matrix, fuzzing, OpenAPI answers). */
import type { Database } from "@/db/client";
import { calendars, calendarSyncRuns, notifications, users } from "@/db/schema";
import { sessionCookieFor } from "./auth-http";

/** A user of `role` and a session cookie for them (with session version `sv` in the token when given). */
export async function userWithSessionCookie(db: Database, user: { email: string; name: string; role: "admin" | "artist" | "customer" }, sv?: number) {
  const [row] = await db.insert(users).values(user).returning();
  const cookie = await sessionCookieFor({ sub: row!.id, email: row!.email, name: row!.name, role: user.role, ...(sv === undefined ? {} : { sv }) });
  return { user: row!, cookie };
}

/** A confirmation mail that failed, so the outbox has something to list and retry. */
export async function insertFailedNotification(db: Database, bookingId: string, recipient: string) {
  const [row] = await db
    .insert(notifications)
    .values({ bookingId, kind: "booking_confirmed", recipient, subject: "s", textBody: "t", htmlBody: "h", status: "failed" })
    .returning();
  return row!;
}

/**
 * A linked calendar that is paused and points at port 9, where nothing listens: no pull ever
 * reaches a real server, and a "sync now" fails fast. With `syncRun`, it has one successful run.
 */
export async function insertPausedCalendar(db: Database, input: { artistId: string; username: string; key: string; syncRun?: boolean }) {
  const [calendar] = await db
    .insert(calendars)
    .values({
      artistId: input.artistId,
      serverUrl: "http://127.0.0.1:9/",
      username: input.username,
      passwordEncrypted: "not-a-real-secret",
      calendarUrl: `http://127.0.0.1:9/${input.username}/${input.key}/`,
      role: "busy",
      active: false,
    })
    .returning();
  if (input.syncRun) await db.insert(calendarSyncRuns).values({ calendarId: calendar!.id, kind: "initial", status: "success", finishedAt: new Date() });
  return calendar!;
}
