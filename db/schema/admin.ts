import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uuid, primaryKey, uniqueIndex } from "drizzle-orm/pg-core";

/** The admins' in-app feed: new requests, cancellations, failures. Email is never the only channel. */
export const adminAlerts = pgTable(
  "admin_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    severity: text("severity").notNull().default("info"),
    message: text("message").notNull(),
    bookingId: uuid("booking_id"),
    calendarId: uuid("calendar_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("admin_alerts_created_idx").on(t.createdAt)],
);

/** next-auth email (magic link) verification tokens, stored hashed by next-auth. */
export const authVerificationTokens = pgTable(
  "auth_verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/**
 * One row per job worker of a running app instance, refreshed while it runs. A worker whose row is
 * stale is dead: its locked jobs are unlocked so another worker runs them again.
 */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  instanceId: text("instance_id").notNull(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What the watchdog found broken: one row per cause (kind + the broken part), open until the part
 * recovers. The partial unique index is what makes it one alert per cause rather than one per
 * failure, also with several app instances running the watchdog at once.
 */
export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    /** The broken part: "smtp", "worker", "queue", "calendar:<id>", "job:<id>", "booking:<id>" … */
    subject: text("subject").notNull(),
    severity: text("severity").notNull().default("error"),
    message: text("message").notNull(),
    bookingIds: uuid("booking_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    beganAt: timestamp("began_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
    /** When admins were told (email, webhook); null until then. */
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("incidents_one_open_per_cause")
      .on(t.kind, t.subject)
      .where(sql`${t.clearedAt} is null`),
    index("incidents_began_idx").on(t.beganAt),
  ],
);

export type AdminAlert = typeof adminAlerts.$inferSelect;
export type Incident = typeof incidents.$inferSelect;
