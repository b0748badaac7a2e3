/**
 * One JSON line for each error answer of the public booking routes (holds, requests, the
 * customer's own booking): which route, which status and error code, and the booking's id when
 * the path names one. Taken slots and rate limits are expected outcomes (info); a 5xx is an error
 * (its reference and log-safe cause are logged by lib/http/error-response.ts). Never the body
 * the customer sent.
 */
import { childLogger } from "./logger";

const log = childLogger("http");

/** The tag of the public booking routes in their definitions (and the OpenAPI document). */
const BOOKING_PATH_TAG = "booking";

export async function logBookingRouteError(definition: { method: string; path: string; tags?: string[] }, req: Request, res: Response): Promise<void> {
  if (res.status < 400 || !definition.tags?.includes(BOOKING_PATH_TAG)) return;
  let code: string | null = null;
  try {
    const body = (await res.clone().json()) as { error?: { code?: unknown } };
    code = typeof body.error?.code === "string" ? body.error.code : null;
  } catch {
    // Not a JSON error body (should not happen); the status still says enough.
  }
  const bookingId = /\/api\/bookings\/([0-9a-f-]{36})(?:\/|$)/i.exec(new URL(req.url).pathname)?.[1] ?? null;
  const line = { route: `${definition.method} ${definition.path}`, status: res.status, code, ...(bookingId ? { bookingId } : {}) };
  if (res.status >= 500) log.error(line, "booking route failed");
  else log.info(line, "booking route refused the request");
}
