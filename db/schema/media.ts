import { sql } from "drizzle-orm";
import { check, customType, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { artists } from "./studio";
import { bookings } from "./bookings";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * An image Holdfast stores: an artist's portrait or portfolio piece, or a customer's reference
 * image for a request. Only re-encoded pixels are kept (EXIF stripped), in Postgres so backups keep them.
 */
export const mediaImages = pgTable(
  "media_images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** "portrait", "portfolio" (artistId set) or "reference" (bookingId set). */
    role: text("role").notNull(),
    artistId: uuid("artist_id").references(() => artists.id, { onDelete: "cascade" }),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "cascade" }),
    altText: text("alt_text").notNull().default(""),
    position: integer("position").notNull().default(0),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("media_images_artist_idx").on(t.artistId, t.role, t.position),
    index("media_images_booking_idx").on(t.bookingId),
    check(
      "media_images_owner",
      sql`(${t.role} in ('portrait', 'portfolio') and ${t.artistId} is not null and ${t.bookingId} is null) or (${t.role} = 'reference' and ${t.bookingId} is not null and ${t.artistId} is null)`,
    ),
  ],
);

/** The web sizes of an image (e.g. 320/640/1280 px wide, WebP and JPEG), served with long cache lifetimes. */
export const mediaImageVariants = pgTable(
  "media_image_variants",
  {
    imageId: uuid("image_id")
      .notNull()
      .references(() => mediaImages.id, { onDelete: "cascade" }),
    width: integer("width").notNull(),
    format: text("format").notNull(),
    bytes: bytea("bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.imageId, t.width, t.format] })],
);

export type MediaImage = typeof mediaImages.$inferSelect;
