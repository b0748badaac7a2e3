import { desc, isNotNull, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { incidents } from "@/db/schema";
import { incidentKindInfo } from "./incident-kinds";

/** An incident as the dashboard shows it, with what its kind means and what to do. */
export type IncidentView = {
  id: string;
  kind: string;
  title: string;
  subject: string;
  severity: "warning" | "error";
  message: string;
  meaning: string | null;
  action: string | null;
  bookingIds: string[];
  beganAt: string;
  lastSeenAt: string;
  clearedAt: string | null;
  notifiedAt: string | null;
};

function view(row: typeof incidents.$inferSelect): IncidentView {
  const info = incidentKindInfo(row.kind);
  return {
    id: row.id,
    kind: row.kind,
    title: info?.title ?? row.kind.replace(/_/g, " "),
    subject: row.subject,
    severity: row.severity === "warning" ? "warning" : "error",
    message: row.message,
    meaning: info?.meaning ?? null,
    action: info?.action ?? null,
    bookingIds: row.bookingIds,
    beganAt: row.beganAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    clearedAt: row.clearedAt?.toISOString() ?? null,
    notifiedAt: row.notifiedAt?.toISOString() ?? null,
  };
}

/** The open incidents, the oldest first (the banner on every admin page, /api/health). */
export async function listOpenIncidents(db: Executor): Promise<IncidentView[]> {
  const rows = await db.select().from(incidents).where(isNull(incidents.clearedAt)).orderBy(incidents.beganAt, incidents.kind, incidents.subject);
  return rows.map(view);
}

/** The Alerts page: what is open, and the history of what was (the most recently cleared first). */
export async function listIncidents(db: Executor, opts: { pastLimit?: number } = {}): Promise<{ open: IncidentView[]; past: IncidentView[] }> {
  const [open, past] = await Promise.all([
    listOpenIncidents(db),
    db
      .select()
      .from(incidents)
      .where(isNotNull(incidents.clearedAt))
      .orderBy(desc(incidents.clearedAt))
      .limit(opts.pastLimit ?? 50),
  ]);
  return { open, past: past.map(view) };
}
