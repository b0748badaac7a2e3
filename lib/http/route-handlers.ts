import { createHash, timingSafeEqual } from "node:crypto";
import { getDb, type Database } from "@/db/client";
import { appUrl } from "@/lib/app-url";
import type { Actor } from "@/lib/bookings/audit-context";
import { assertAdmin, getSessionUserFromRequest, type SessionUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { HoldfastError } from "@/lib/errors";
import { actorFrom, clientInfo, type ClientInfo } from "./client-info";
import { errorToResponse } from "./error-response";

type RouteContext<P> = { params: Promise<P> };
export type HandlerArgs<P> = { req: Request; params: P; client: ClientInfo; db: Database };

function wrap<P>(authorize: (req: Request) => void, handler: (args: HandlerArgs<P>) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      authorize(req);
      const params = ctx?.params ? await ctx.params : ({} as P);
      // Made on first use, so a route that needs neither is not failed by them: the health check
      // reports a missing DATABASE_URL as its own 503, not as this wrapper's 500.
      let db: Database | undefined;
      let client: ClientInfo | undefined;
      const args: HandlerArgs<P> = {
        req,
        params,
        get client() {
          return (client ??= clientInfo(req));
        },
        get db() {
          return (db ??= getDb());
        },
      };
      return await handler(args);
    } catch (err) {
      return errorToResponse(err);
    }
  };
}

/** For routes anyone may call: validation and error mapping, no session. */
export function withPublic<P = Record<string, never>>(handler: (args: HandlerArgs<P>) => Promise<Response>) {
  return wrap<P>(() => undefined, handler);
}

function sameSecret(given: string, expected: string) {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** For scheduler calls: refuses unless `Authorization: Bearer $CRON_SECRET`, and refuses everything while CRON_SECRET is unset. */
export function withCron<P = Record<string, never>>(handler: (args: HandlerArgs<P>) => Promise<Response>) {
  return wrap<P>((req) => {
    const expected = getEnv().CRON_SECRET;
    if (!expected) throw new HoldfastError("not_configured", "CRON_SECRET is not set, so scheduled routes are disabled");
    const header = req.headers.get("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
    if (!given || !sameSecret(given, expected)) throw new HoldfastError("unauthorized", "A valid cron bearer token is required");
  }, handler);
}

export type AdminHandlerArgs<P> = HandlerArgs<P> & { user: SessionUser; actor: Actor };

/** A state-changing request must come from our own pages (or a tool without a browser): no cross-site forms. */
function assertSameOrigin(req: Request) {
  if (req.method === "GET" || req.method === "HEAD") return;
  const origin = req.headers.get("origin");
  if (!origin) return;
  const allowed = new Set([new URL(req.url).origin, new URL(appUrl()).origin]);
  if (!allowed.has(origin)) throw new HoldfastError("forbidden", "Cross-site requests are not allowed");
}

/**
 * For /api/admin routes: reads the next-auth session itself (the proxy is only the first lock),
 * 401 without a session, 403 for any role but admin, then the same error mapping as the others.
 * The handler gets the admin and an audit actor (admin id, IP, user agent).
 */
export function withAdmin<P = Record<string, never>>(handler: (args: AdminHandlerArgs<P>) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      const user = assertAdmin(await getSessionUserFromRequest(req));
      assertSameOrigin(req);
      const params = ctx?.params ? await ctx.params : ({} as P);
      const client = clientInfo(req);
      const res = await handler({ req, params, client, db: getDb(), user, actor: actorFrom(client, "admin", user.id) });
      if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
      return res;
    } catch (err) {
      return errorToResponse(err);
    }
  };
}
