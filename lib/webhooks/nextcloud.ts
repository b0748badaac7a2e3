/**
 * Nextcloud 30+ `webhook_listeners` calls as a trigger for an immediate pull. Nextcloud adds the
 * shared secret as a header of our choosing (register the webhook with `authMethod: "header"`,
 * `authData: {"X-Holdfast-Webhook-Secret": "<NEXTCLOUD_WEBHOOK_SECRET>"}`), or
 * `Authorization: Bearer <secret>` works too.
 *
 * The call is only a trigger: nothing in it is trusted as calendar data. It may narrow which
 * calendars are pulled — `?server=https://cloud.example.com` and `?user=mara` in the webhook URL,
 * or the `user.uid` and `event.calendarData.uri` Nextcloud puts in its JSON body — and without any
 * of those every linked calendar is marked due. The pull itself is the normal, locked one.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "@/lib/zod";
import type { Executor } from "@/db/client";
import { calendars } from "@/db/schema";
import { requestCalendarPull } from "@/lib/caldav/request-calendar-pull";
import { getEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";

export const WEBHOOK_SECRET_HEADER = "x-holdfast-webhook-secret";
/** Nextcloud sends the changed object along; we never need it, so we stop reading after this. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

function sameSecret(given: string, expected: string) {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** 503 while NEXTCLOUD_WEBHOOK_SECRET is unset (the route is off), 401 for a missing or wrong secret. */
export function assertWebhookSecret(headers: Headers, expected: string | undefined = getEnv().NEXTCLOUD_WEBHOOK_SECRET) {
  if (!expected) throw new HoldfastError("not_configured", "NEXTCLOUD_WEBHOOK_SECRET is not set, so the Nextcloud webhook is disabled");
  const authorization = headers.get("authorization") ?? "";
  const given = headers.get(WEBHOOK_SECRET_HEADER) ?? (authorization.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : "");
  if (!given || !sameSecret(given, expected)) throw new HoldfastError("unauthorized", "A valid webhook secret is required");
}

const bodySchema = z
  .object({
    user: z
      .object({ uid: z.string().min(1).max(200).optional() })
      .partial()
      .optional(),
    event: z
      .object({
        calendarData: z
          .object({ uri: z.string().min(1).max(500).optional(), principaluri: z.string().max(500).optional() })
          .partial()
          .optional(),
      })
      .partial()
      .optional(),
  })
  .partial();

const querySchema = z.object({
  server: z
    .url()
    .refine((u) => /^https?:\/\//i.test(u))
    .optional(),
  user: z.string().trim().min(1).max(200).optional(),
});

export type WebhookTarget = { server?: string; user?: string; calendarUri?: string };

/** Reads at most MAX_WEBHOOK_BODY_BYTES; an empty, oversized or non-JSON body counts as no body. */
export async function readWebhookBody(req: Request): Promise<unknown> {
  if (!req.body) return null;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WEBHOOK_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Which calendars the call is about, from the webhook URL's query and Nextcloud's body. */
export function webhookTarget(url: URL, body: unknown): WebhookTarget {
  const query = querySchema.safeParse({ server: url.searchParams.get("server") ?? undefined, user: url.searchParams.get("user") ?? undefined });
  if (!query.success)
    throw new HoldfastError("invalid_input", "server must be an http(s) URL and user a Nextcloud user name", {
      fields: { query: ["server must be an http(s) URL and user a Nextcloud user name"] },
    });
  const parsed = bodySchema.safeParse(body ?? {});
  const data = parsed.success ? parsed.data : {};
  const principal = data.event?.calendarData?.principaluri?.match(/^principals\/users\/([^/]+)\/?$/)?.[1];
  return {
    server: query.data.server,
    user: query.data.user ?? data.user?.uid ?? (principal ? decodePrincipalUser(principal) : undefined),
    calendarUri: data.event?.calendarData?.uri,
  };
}

/** `principals/users/<uid>` carries the uid percent-encoded; a broken escape (`%zz`, a lone `%`) is bad input, not a 500. */
function decodePrincipalUser(encoded: string) {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HoldfastError("invalid_input", "event.calendarData.principaluri is not a valid principal URL", {
      fields: { "event.calendarData.principaluri": ["Not a valid percent-encoded principal URL"] },
    });
  }
}

function pathSegments(url: string) {
  try {
    return new URL(url).pathname
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return [];
  }
}

/**
 * Marks the matching active calendars due and queues a pull. A calendar URI that matches none of
 * them (a calendar Holdfast does not follow) pulls nothing; an unknown server or user pulls nothing.
 */
export async function triggerPullFromWebhook(db: Executor, target: WebhookTarget): Promise<{ calendars: number }> {
  const rows = await db
    .select({ id: calendars.id, serverUrl: calendars.serverUrl, username: calendars.username, calendarUrl: calendars.calendarUrl })
    .from(calendars)
    .where(eq(calendars.active, true));
  const host = target.server ? new URL(target.server).host : null;
  const ids = rows
    .filter((r) => {
      if (host) {
        try {
          if (new URL(r.serverUrl).host !== host) return false;
        } catch {
          return false;
        }
      }
      if (target.user && r.username !== target.user) return false;
      if (target.calendarUri && pathSegments(r.calendarUrl).at(-1) !== target.calendarUri) return false;
      return true;
    })
    .map((r) => r.id);
  let count = 0;
  for (const id of ids) count += await requestCalendarPull(db, id);
  return { calendars: count };
}
