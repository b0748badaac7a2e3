import type { z } from "@/lib/zod";
import { HoldfastError } from "@/lib/errors";
import { recordRouteAnswer } from "@/lib/metrics/record-route-answer";
import { logBookingRouteError } from "@/lib/log/log-route-error";
import { assertWebhookSecret } from "@/lib/webhooks/nextcloud";
import { parseQuery, readJson } from "./read-json";
import { withAdmin, withCron, withPublic, type AdminHandlerArgs, type HandlerArgs } from "./route-handlers";

/**
 * Who may call a route: anyone; a signed-in admin (session cookie, role checked in the database);
 * the scheduler (`Authorization: Bearer $CRON_SECRET`); Nextcloud (`X-Holdfast-Webhook-Secret`).
 */
export type RouteAuth = "public" | "admin" | "cron" | "webhook";
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type SuccessStatus = 200 | 201 | 202 | 503;
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** One answer a route gives: a zod schema of its JSON body, or that plus a description and headers. */
export type ResponseSpec =
  z.ZodType | { description: string; schema?: z.ZodType; contentType?: string; headers?: Record<string, { description: string; schema: z.ZodType }> };

type ZodObjectLike = z.ZodObject;

/**
 * What a route is, as data: the same object validates the request at run time and becomes the
 * route's operation in GET /api/openapi.json (lib/http/openapi-document.ts), so the two cannot
 * disagree. `path` is the route file's folder under app/, e.g. `/api/bookings/[id]/cancel`.
 */
export type RouteDefinition<
  P extends ZodObjectLike | undefined = ZodObjectLike | undefined,
  Q extends ZodObjectLike | undefined = ZodObjectLike | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  A extends RouteAuth = RouteAuth,
> = {
  method: RouteMethod;
  path: string;
  auth: A;
  summary: string;
  description?: string;
  tags?: string[];
  /** Path parameters; a value that does not parse (e.g. not a UUID) is a 404 with `notFound` as its message. */
  params?: P;
  notFound?: string;
  /** The query string (one value per name); bad values are a 400 with field errors. */
  query?: Q;
  /** False when the handler reads the query itself (with its own messages); `query` then only documents it. */
  parseQuery?: boolean;
  /** The JSON body, read by readJson: 413 past `maxBodyBytes`, 415 for another content type, 400 for bad JSON or values. */
  body?: B;
  maxBodyBytes?: number;
  /** False when the handler reads the body itself (the webhook, which never refuses Nextcloud's body); `body` then only documents it. */
  parseBody?: boolean;
  /** Request headers, for the document only: the handler checks them (each with its own message). */
  headers?: ZodObjectLike;
  responses: Partial<Record<SuccessStatus, ResponseSpec>>;
  /** Error statuses beyond those the definition implies (auth, params, query and body add theirs). */
  errors?: ErrorStatus[];
};

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

type BaseArgs<A extends RouteAuth> = Omit<A extends "admin" ? AdminHandlerArgs<unknown> : HandlerArgs<unknown>, "params">;

export type RouteHandlerArgs<P, Q, B, A extends RouteAuth> = BaseArgs<A> & { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> };

/** The context Next hands a route handler; the tests pass the same shape. */
export type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export type DefinedRoute = ((req: Request, ctx: RouteContext) => Promise<Response>) & { definition: RouteDefinition };

/** The error statuses a definition implies by its auth and inputs, plus those it lists; always 500. */
export function errorStatusesOf(definition: RouteDefinition): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(definition.errors ?? []);
  if (definition.auth === "admin") [401, 403].forEach((s) => statuses.add(s as ErrorStatus));
  if (definition.auth === "cron" || definition.auth === "webhook") [401, 503].forEach((s) => statuses.add(s as ErrorStatus));
  if (definition.params) statuses.add(404);
  if (definition.query && definition.parseQuery !== false) statuses.add(400);
  if (definition.body && definition.parseBody !== false) [400, 413, 415].forEach((s) => statuses.add(s as ErrorStatus));
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * A Next.js route handler from its definition: authorization and error mapping by the
 * withPublic / withAdmin / withCron wrappers (the webhook secret is checked first, like the
 * route did), then params (404), query (400) and body (413/415/400) parsed in that order, and
 * the handler called with typed values. The definition rides along as `.definition` for the
 * OpenAPI document (app/api/route-modules.ts lists every route module).
 */
export function defineRoute<
  A extends RouteAuth,
  P extends ZodObjectLike | undefined = undefined,
  Q extends ZodObjectLike | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<P, Q, B, A>, handler: (args: RouteHandlerArgs<P, Q, B, A>) => Promise<Response>): DefinedRoute {
  const parseInputs = async (req: Request, rawParams: unknown) => {
    let params: unknown = undefined;
    if (definition.params) {
      const parsed = definition.params.safeParse(rawParams ?? {});
      if (!parsed.success) throw new HoldfastError("not_found", definition.notFound ?? "That was not found");
      params = parsed.data;
    }
    const query = definition.query && definition.parseQuery !== false ? parseQuery(new URL(req.url), definition.query) : undefined;
    const body = definition.body && definition.parseBody !== false ? await readJson(req, definition.body, definition.maxBodyBytes) : undefined;
    return { params, query, body } as { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> };
  };

  type Args = RouteHandlerArgs<P, Q, B, A>;
  // Assigned onto the wrapper's args rather than spread into a copy: spreading would read its lazy
  // `db` and `client` before the handler runs (lib/http/route-handlers.ts).
  const withInputs = (args: object, inputs: object) => Object.assign(args, inputs) as unknown as Args;
  const run = async (args: HandlerArgs<unknown>) => handler(withInputs(args, await parseInputs(args.req, args.params)));
  let route: (req: Request, ctx: RouteContext) => Promise<Response>;
  switch (definition.auth) {
    case "admin":
      route = withAdmin<unknown>(run);
      break;
    case "cron":
      route = withCron<unknown>(run);
      break;
    case "webhook":
      route = withPublic<unknown>(async (args) => {
        assertWebhookSecret(args.req.headers);
        return run(args);
      });
      break;
    default:
      route = withPublic<unknown>(run);
  }
  // Timed here because every answer passes this one place (the wrappers turn each failure into a response), so the latency histogram of GET /api/metrics misses none.
  const timed = async (req: Request, ctx: RouteContext) => {
    const started = performance.now();
    const res = await route(req, ctx);
    recordRouteAnswer(definition, res.status, (performance.now() - started) / 1000);
    await logBookingRouteError(definition, req, res);
    return res;
  };
  return Object.assign(timed, { definition: definition as unknown as RouteDefinition });
}

/** A route's definition when `value` is a handler made by defineRoute. */
export function definitionOf(value: unknown): RouteDefinition | undefined {
  if (typeof value !== "function") return undefined;
  const definition = (value as Partial<DefinedRoute>).definition;
  return definition && typeof definition === "object" ? definition : undefined;
}
