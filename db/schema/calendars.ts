import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { artists } from "./studio";
import { bookings } from "./bookings";

export const calendarRole = pgEnum("calendar_role", ["write", "busy"]);

/** An artist's CalDAV calendar: `write` receives bookings, `busy` only blocks time. */
export const calendars = pgTable(
  "calendars",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    artistId: uuid("artist_id")
      .notNull()
      .references(() => artists.id, { onDelete: "cascade" }),
    serverUrl: text("server_url").notNull(),
    username: text("username").notNull(),
    /** AES-256-GCM with ENCRYPTION_KEY; never returned by any API or logged. */
    passwordEncrypted: text("password_encrypted").notNull(),
    calendarUrl: text("calendar_url").notNull(),
    displayName: text("display_name"),
    role: calendarRole("role").notNull(),
    active: boolean("active").notNull().default(true),
    syncToken: text("sync_token"),
    nextSyncAt: timestamp("next_sync_at", { withTimezone: true }).notNull().defaultNow(),
    /** Lease of the app instance pulling this calendar right now; expires if that instance dies. */
    syncLockedUntil: timestamp("sync_locked_until", { withTimezone: true }),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
    lastError: text("last_error"),
    /** Machine-readable kind of the last failure (unauthorized, rate_limited, timeout, …) for the dashboard. */
    lastErrorCode: text("last_error_code"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("calendars_artist_url_key").on(t.artistId, t.calendarUrl),
    index("calendars_due_idx").on(t.nextSyncAt),
    // Bookings go to exactly one calendar per artist; two would show every booking twice.
    uniqueIndex("calendars_one_write_per_artist_key")
      .on(t.artistId)
      .where(sql`${t.role} = 'write' and ${t.active}`),
  ],
);

/** What the calendar server last told us about each object: the basis for diffs on a full resync. */
export const calendarObjects = pgTable(
  "calendar_objects",
  {
    calendarId: uuid("calendar_id")
      .notNull()
      .references(() => calendars.id, { onDelete: "cascade" }),
    href: text("href").notNull(),
    etag: text("etag"),
    uid: text("uid"),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "set null" }),
    /**
     * The source of a recurring event, kept so the rolling horizon can be extended locally (an
     * unchanged object is never re-reported by sync-collection, yet its later occurrences must
     * block time once they come within the horizon). Null for single events.
     */
    icalData: text("ical_data"),
    /** Busy blocks of this object exist up to here. */
    expandedUntil: timestamp("expanded_until", { withTimezone: true }),
    /**
     * For Holdfast's own events: what the calendar held when we last wrote or accounted for it.
     * An artist edit is a difference from this snapshot, not from the booking (whose newer state
     * may simply not be pushed yet).
     */
    pushedStartsAt: timestamp("pushed_starts_at", { withTimezone: true }),
    pushedEndsAt: timestamp("pushed_ends_at", { withTimezone: true }),
    pushedStatus: text("pushed_status"),
    /**
     * Why Holdfast could not read this object (parse or expansion failure); null when it was read.
     * Kept with the ETag it applies to, so the object is retried as soon as the ETag changes.
     */
    skipReason: text("skip_reason"),
    skippedAt: timestamp("skipped_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.href] }), index("calendar_objects_booking_idx").on(t.bookingId)],
);

export const calendarSyncRuns = pgTable(
  "calendar_sync_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    calendarId: uuid("calendar_id")
      .notNull()
      .references(() => calendars.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    status: text("status").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    objectsChanged: integer("objects_changed").notNull().default(0),
    objectsDeleted: integer("objects_deleted").notNull().default(0),
    /** Objects the server sent that could not be parsed; named in `error`, never fatal to the run. */
    objectsSkipped: integer("objects_skipped").notNull().default(0),
    requests: integer("requests").notNull().default(0),
    bytes: integer("bytes").notNull().default(0),
    error: text("error"),
  },
  (t) => [index("calendar_sync_runs_calendar_idx").on(t.calendarId, t.startedAt), index("calendar_sync_runs_started_idx").on(t.startedAt)],
);

export const conflictStatus = pgEnum("conflict_status", ["open", "resolved"]);

/** Something the artist did in their calendar that Holdfast will not decide alone. */
export const calendarConflicts = pgTable(
  "calendar_conflicts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "cascade" }),
    calendarId: uuid("calendar_id").references(() => calendars.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    details: jsonb("details").notNull().default({}),
    /** Same situation, same key: a second pull must not open a second conflict for it. */
    dedupeKey: text("dedupe_key"),
    status: conflictStatus("status").notNull().default("open"),
    resolution: text("resolution"),
    resolvedBy: text("resolved_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("calendar_conflicts_open_idx").on(t.status, t.createdAt),
    index("calendar_conflicts_booking_idx").on(t.bookingId),
    uniqueIndex("calendar_conflicts_open_dedupe_key")
      .on(t.dedupeKey)
      .where(sql`${t.status} = 'open'`),
  ],
);

export type Calendar = typeof calendars.$inferSelect;
export type CalendarObject = typeof calendarObjects.$inferSelect;
export type CalendarSyncRun = typeof calendarSyncRuns.$inferSelect;
export type CalendarConflict = typeof calendarConflicts.$inferSelect;
