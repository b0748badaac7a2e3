/**
 * The disable rule: an endpoint whose deliveries have failed without a success for a day is
 * switched off (its waiting messages given up), and the watchdog's incident for it is opened in
 * the same transaction: a line in the admin feed, an email, alert.raised to the other endpoints,
 * and /api/health naming it. The incident stays open while the endpoint stays disabled (the
 * watchdog's check below) and clears when an admin enables or deletes it.
 */
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import type { CheckResult, Finding } from "@/lib/watchdog/checks";
import { INCIDENT_KIND_INFO } from "@/lib/watchdog/incident-kinds";
import { openOrRefreshIncident } from "@/lib/watchdog/run-watchdog";

export const ENDPOINT_DISABLED_AFTER_FAILING_MS = 24 * 60 * 60 * 1000;

/** Host and path only: a URL's query may carry the receiver's own token (ntfy, Slack). */
export function describeEndpointUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "an endpoint";
  }
}

export function disabledEndpointFinding(endpoint: Pick<WebhookEndpoint, "id" | "url" | "failingSince">): Finding {
  const since = endpoint.failingSince ? ` (failing since ${endpoint.failingSince.toISOString()})` : "";
  return {
    kind: "webhook_endpoint_disabled",
    subject: `webhook:${endpoint.id}`,
    severity: INCIDENT_KIND_INFO.webhook_endpoint_disabled.severity,
    message: `Webhook endpoint ${describeEndpointUrl(endpoint.url)} was disabled after failing for a day${since}`,
    bookingIds: [],
  };
}

/** Disables it unless someone just did; returns whether this call did. */
export async function disableFailingEndpoint(tx: Executor, endpoint: WebhookEndpoint, now: Date): Promise<boolean> {
  const [disabled] = await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledAt: now, disabledReason: "failing for more than a day" })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.enabled, true)))
    .returning();
  if (!disabled) return false;
  await tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: sql`coalesce(${webhookDeliveries.lastError} || '; ', '') || 'given up: the endpoint was disabled'` })
    .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, "pending")));
  await openOrRefreshIncident(tx, disabledEndpointFinding(disabled), now);
  return true;
}

/** The watchdog's check: one incident per endpoint the rule disabled, cleared once it is enabled or deleted. */
export async function checkDisabledWebhookEndpoints(db: Executor): Promise<CheckResult & { findings: Finding[] }> {
  const disabled = await db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, failingSince: webhookEndpoints.failingSince })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, false), isNotNull(webhookEndpoints.disabledAt)));
  return { kind: "webhook_endpoint_disabled", findings: disabled.map(disabledEndpointFinding) };
}
