import { and, eq, gt, inArray } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Database } from "@/db/client";
import { artists, bookings, calendarObjects, calendars } from "@/db/schema";
import { setAuditContext, type Actor } from "@/lib/bookings/audit-context";
import { HoldfastError, invalidInput, notFound } from "@/lib/errors";
import { hrefKey, ensureTrailingSlash } from "./caldav-client";
import { enqueueCalendarPush } from "./enqueue-calendar-push";
import { encryptSecret } from "./encrypt-secret";
import { toPublicCalendar, type PublicCalendar } from "./list-calendars";
import { requestCalendarPull } from "./request-calendar-pull";
import { caldavUrlSchema, calendarAccountSchema, testCalendarConnection, type ConnectionErrorCode } from "./test-connection";

export const linkCalendarSchema = calendarAccountSchema.extend({
  artistId: z.string().uuid(),
  calendarUrl: caldavUrlSchema("must be one of the calendar URLs that Test connection found"),
  role: z.enum(["write", "busy"]),
});

export type LinkCalendarInput = z.infer<typeof linkCalendarSchema>;

/** Which field a failed connection test is about: the password, or the address. */
function fieldForConnectionError(code: ConnectionErrorCode): "password" | "serverUrl" | "calendarUrl" {
  if (code === "bad_credentials" || code === "rate_limited") return "password";
  if (code === "no_calendars" || code === "no_sync_support") return "calendarUrl";
  return "serverUrl";
}

/**
 * Links one of an artist's calendars: `write` receives their bookings (one per artist), `busy`
 * only blocks time. The connection is checked first (3 s) so a typo is caught here rather than
 * by the first sync; the app password is stored encrypted and never returned. A write calendar
 * receives the artist's upcoming bookings at once, and every new calendar is pulled right away.
 */
export async function linkCalendar(db: Database, input: LinkCalendarInput, opts: { verify?: boolean } = {}): Promise<PublicCalendar> {
  const parsed = linkCalendarSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  const data = parsed.data;
  const calendarUrl = ensureTrailingSlash(data.calendarUrl);
  // The stored password is sent to the calendar URL by every sync: it must be on the server's origin.
  if (new URL(calendarUrl).origin !== new URL(data.serverUrl).origin) {
    throw invalidInput({ calendarUrl: [`must be on the server you entered (${new URL(data.serverUrl).origin}); pick one that Test connection found`] });
  }

  const [artist] = await db.select({ id: artists.id }).from(artists).where(eq(artists.id, data.artistId));
  if (!artist) throw notFound("That artist");

  let displayName: string | null = null;
  if (opts.verify !== false) {
    const test = await testCalendarConnection({ serverUrl: data.serverUrl, username: data.username, password: data.password });
    if (!test.ok) {
      throw new HoldfastError("invalid_input", test.error.message, {
        fields: { [fieldForConnectionError(test.error.code)]: [test.error.message] },
        details: { reason: test.error.code },
      });
    }
    const match = test.calendars.find((c) => hrefKey(c.url) === hrefKey(calendarUrl));
    if (!match) throw invalidInput({ calendarUrl: ["This account has no such calendar; pick one that Test connection found"] });
    if (!match.supportsSync) throw invalidInput({ calendarUrl: ["This calendar does not support sync-collection (RFC 6578)"] });
    displayName = match.displayName;
  }

  return db.transaction(async (tx) => {
    if (data.role === "write") {
      const [existing] = await tx
        .select({ url: calendars.calendarUrl })
        .from(calendars)
        .where(and(eq(calendars.artistId, data.artistId), eq(calendars.role, "write"), eq(calendars.active, true)));
      if (existing) {
        throw invalidInput({ role: [`This artist's bookings already go to ${existing.url}; unlink it first, or link this one as "busy"`] });
      }
    }
    const [row] = await tx
      .insert(calendars)
      .values({
        artistId: data.artistId,
        serverUrl: data.serverUrl,
        username: data.username,
        passwordEncrypted: encryptSecret(data.password),
        calendarUrl,
        displayName,
        role: data.role,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw invalidInput({ calendarUrl: ["This calendar is already linked to this artist"] });

    if (data.role === "write") {
      const upcoming = await tx
        .select({ id: bookings.id, artistId: bookings.artistId })
        .from(bookings)
        .where(and(eq(bookings.artistId, data.artistId), inArray(bookings.status, ["pending", "confirmed"]), gt(bookings.endsAt, new Date())));
      for (const booking of upcoming) await enqueueCalendarPush(tx, booking);
    }
    await requestCalendarPull(tx, row.id);
    return toPublicCalendar(row);
  });
}

/**
 * Unlinks a calendar: its busy blocks, object records and conflicts go with it (ON DELETE
 * CASCADE) and bookings forget their event there. Nothing is deleted from the calendar itself.
 */
export async function unlinkCalendar(db: Database, calendarId: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await setAuditContext(tx, actor, "calendar unlinked");
    const linked = tx.select({ id: calendarObjects.bookingId }).from(calendarObjects).where(eq(calendarObjects.calendarId, calendarId));
    await tx.update(bookings).set({ caldavHref: null, caldavEtag: null }).where(inArray(bookings.id, linked));
    const deleted = await tx.delete(calendars).where(eq(calendars.id, calendarId)).returning({ id: calendars.id });
    if (deleted.length === 0) throw notFound("That calendar");
  });
}
