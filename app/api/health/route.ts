import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

export const dynamic = "force-dynamic";

/** Liveness for load balancers: 200 when the database answers, 503 naming the failing check. */
export async function GET() {
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  try {
    const db = getDb();
    const result = await db.execute<{ failed: number; queued: number }>(sql`select
      (select count(*)::int from graphile_worker.jobs where attempts >= max_attempts) as failed,
      (select count(*)::int from notifications where status = 'queued') as queued`);
    checks.database = { ok: true };
    checks.jobs = { ok: true, detail: `${result.rows[0]?.failed ?? 0} permanently failed` };
    checks.mail = { ok: true, detail: process.env.SMTP_URL ? `${result.rows[0]?.queued ?? 0} queued` : "SMTP not configured; messages are kept" };
  } catch (err) {
    checks.database = { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
  const healthy = Object.values(checks).every((c) => c.ok);
  return Response.json({ status: healthy ? "ok" : "unavailable", checks }, { status: healthy ? 200 : 503, headers: { "cache-control": "no-store" } });
}
