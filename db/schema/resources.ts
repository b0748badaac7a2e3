import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { services } from "./studio";
import { bookings } from "./bookings";

/** A room or station booked together with the artist (a treatment room, a tattoo station, the laser room). */
export const resources = pgTable(
  "resources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** What kind of thing it is ("room", "station" …): services need "one resource of a kind". */
    kind: text("kind").notNull(),
    active: boolean("active").notNull().default(true),
    /** Cleanup time after each use, during which the resource cannot be booked again. */
    cleanupMinutes: integer("cleanup_minutes").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("resources_kind_idx").on(t.kind), check("resources_cleanup_sane", sql`${t.cleanupMinutes} between 0 and 1440`)],
);

/** A service needs one resource of each listed kind (a massage needs a "room"). */
export const serviceResourceNeeds = pgTable(
  "service_resource_needs",
  {
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.kind] })],
);

/**
 * Which resources a service may use. A service that needs a kind and lists none of that kind here
 * may use every active resource of the kind.
 */
export const serviceResources = pgTable(
  "service_resources",
  {
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.resourceId] }), index("service_resources_resource_idx").on(t.resourceId)],
);

/**
 * The resource a booking took, with the booking's span copied (kept in step by a trigger on
 * bookings) so that one exclusion constraint per resource can refuse an overlap in the database,
 * whatever the race. The constraint and trigger live in the hand-written part of migration 0016.
 */
export const bookingResources = pgTable(
  "booking_resources",
  {
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id, { onDelete: "cascade" }),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id),
    kind: text("kind").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    bufferBeforeMinutes: integer("buffer_before_minutes").notNull().default(0),
    /** The resource's cleanup as it was when booked (or the booking's after-buffer, whichever is longer). */
    cleanupMinutes: integer("cleanup_minutes").notNull().default(0),
    /** True while the booking blocks time (hold, awaiting_payment, pending, confirmed). */
    blocking: boolean("blocking").notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.kind] }),
    index("booking_resources_resource_starts_idx").on(t.resourceId, t.startsAt),
    check("booking_resources_ends_after_starts", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export type Resource = typeof resources.$inferSelect;
export type BookingResource = typeof bookingResources.$inferSelect;
