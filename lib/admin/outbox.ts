import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { notificationStatus, notifications } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { listFailingJobs, listJobQueueLines, type JobQueueLine, type JobRecord } from "@/lib/jobs/job-queries";

export const outboxQuerySchema = z.object({
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(notificationStatus.enumValues).optional()),
  page: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(200).default(25)),
});

export type OutboxNotification = {
  id: string;
  bookingId: string | null;
  kind: string;
  recipient: string;
  subject: string;
  /** queued | sending (handed to the SMTP server right now) | sent | failed */
  status: string;
  /** When the current send began; set only while status is "sending". */
  sendingStartedAt: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  /** The text body, shown to admins for messages that are still waiting (e.g. no SMTP configured). */
  textBody: string;
};

/**
 * Every notification, newest first, optionally only one status; with the counts per status.
 * Rows being sent right now show as "sending" (and are counted and filtered as queued).
 */
export async function listOutbox(db: Executor, query: { status?: string; page?: number | string; pageSize?: number | string }) {
  const f = outboxQuerySchema.parse(query);
  const where: SQL[] = [];
  if (f.status) where.push(eq(notifications.status, f.status));
  const condition = where.length ? and(...where) : undefined;
  const [rows, counts] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(condition)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ status: notifications.status, n: sql<number>`count(*)::int` })
      .from(notifications)
      .groupBy(notifications.status),
  ]);
  const byStatus = Object.fromEntries(notificationStatus.enumValues.map((s) => [s, 0])) as Record<(typeof notificationStatus.enumValues)[number], number>;
  for (const c of counts) byStatus[c.status] = c.n;
  const total = f.status ? byStatus[f.status] : Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    notifications: rows.map((n): OutboxNotification => ({
      id: n.id,
      bookingId: n.bookingId,
      kind: n.kind,
      recipient: n.recipient,
      subject: n.subject,
      // "sending" is a queued row whose SMTP call is under way (it has no enum value of its own:
      // the row is marked in its own short statement, see deliver-notification.ts).
      status: n.status === "queued" && n.sendingStartedAt ? "sending" : n.status,
      sendingStartedAt: n.status === "queued" ? (n.sendingStartedAt?.toISOString() ?? null) : null,
      attempts: n.attempts,
      lastError: n.lastError,
      createdAt: n.createdAt.toISOString(),
      updatedAt: n.updatedAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
      textBody: n.textBody,
    })),
    byStatus,
    total,
    page: f.page,
    pageSize: f.pageSize,
    smtpConfigured: Boolean(getEnv().SMTP_URL),
  };
}

export type { JobQueueLine };
export type ProblemJob = Omit<JobRecord, "runAt" | "updatedAt" | "lockedAt"> & { dead: boolean; runAt: string; updatedAt: string; locked: boolean };

/**
 * The job queue at a glance: per kind of job how many wait (and how long the oldest has waited),
 * run, retry or are dead (out of attempts); then the failed and dead jobs themselves.
 */
export async function getJobOverview(db: Executor, opts: { limit?: number } = {}) {
  const [queues, problems] = await Promise.all([listJobQueueLines(db), listFailingJobs(db, opts.limit ?? 100)]);
  return {
    queues,
    problems: problems.map((j): ProblemJob => ({
      id: j.id,
      task: j.task,
      key: j.key,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      dead: j.attempts >= j.maxAttempts,
      lastError: j.lastError,
      runAt: j.runAt.toISOString(),
      updatedAt: j.updatedAt.toISOString(),
      locked: j.lockedAt !== null,
    })),
  };
}
