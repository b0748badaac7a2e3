import { integer, pgEnum, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { artists } from "./studio";

export const userRole = pgEnum("user_role", ["admin", "artist", "customer"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    /** bcrypt; null for customers who only sign in by magic link. */
    passwordHash: text("password_hash"),
    role: userRole("role").notNull(),
    artistId: uuid("artist_id").references(() => artists.id, { onDelete: "set null" }),
    /** Raised on sign-out and password reset; a session token carrying an older number is refused. */
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export type User = typeof users.$inferSelect;
export type UserRole = (typeof userRole.enumValues)[number];
