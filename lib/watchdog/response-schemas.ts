/** What GET /api/health answers, as a zod schema for GET /api/openapi.json. */
import { z } from "@/lib/zod";

const healthCheckSchema = z.strictObject({ ok: z.boolean(), detail: z.string() });

/** GET /api/health (lib/watchdog/health-report.ts): every part, each ok or not with a line a stranger may read. */
export const healthResponseSchema = z.strictObject({
  status: z.enum(["ok", "unavailable"]),
  checks: z.strictObject({
    database: healthCheckSchema,
    worker: healthCheckSchema,
    mail: healthCheckSchema,
    calendars: healthCheckSchema,
    jobs: healthCheckSchema,
    alerts: healthCheckSchema,
  }),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;
export type HealthCheckName = keyof HealthResponse["checks"];
