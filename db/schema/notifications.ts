import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { bookings } from "./bookings";

export const notificationStatus = pgEnum("notification_status", ["queued", "sent", "failed", "scheduled", "cancelled"]);

/** One row per message. The content is rendered when it is queued, so what an admin sees is what is sent. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "set null" }),
    kind: text("kind").notNull(),
    recipient: text("recipient").notNull(),
    /** Where an answer goes: the studio for a customer's mail, the customer for the studio's. */
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    icsAttachment: text("ics_attachment"),
    status: notificationStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    providerMessageId: text("provider_message_id"),
    lastError: text("last_error"),
    /**
     * For a reminder: when it is due. It stays `scheduled` until then; a reschedule or cancellation
     * of the booking marks it `cancelled` in the same transaction.
     */
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    /**
     * Set in its own short transaction just before the SMTP call (no transaction or row lock is
     * held while talking to the server); cleared when the result is recorded.
     */
    sendingStartedAt: timestamp("sending_started_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("notifications_booking_idx").on(t.bookingId), index("notifications_status_created_idx").on(t.status, t.createdAt)],
);

export type Notification = typeof notifications.$inferSelect;
export type NotificationStatus = (typeof notificationStatus.enumValues)[number];
