import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "@/lib/zod";
import { errorStatusByCode } from "@/lib/errors";
import { errorStatusesOf, type ResponseSpec, type RouteAuth, type RouteDefinition } from "./define-route";
import { errorResponseSchema } from "./response-schemas";

/** `/api/bookings/[id]/cancel` → `/api/bookings/{id}/cancel`; a catch-all `[...x]` or `[[...x]]` becomes `{x}`. */
export function openApiPath(pattern: string): string {
  return pattern.replace(/\[\[?(?:\.\.\.)?([^\]]+)\]\]?/g, "{$1}");
}

function pathParamNames(pattern: string): string[] {
  return [...openApiPath(pattern).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

const SECURITY_SCHEMES = {
  adminSession: {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description:
      "The next-auth session cookie of a signed-in admin (over plain HTTP). Its role is checked in the database on every call; any other role is a 403.",
  },
  adminSessionSecure: {
    type: "apiKey",
    in: "cookie",
    name: "__Secure-next-auth.session-token",
    description: "The same session cookie under its name on HTTPS deployments.",
  },
  cronBearer: { type: "http", scheme: "bearer", description: "`Authorization: Bearer $CRON_SECRET`. While CRON_SECRET is unset every call is a 503." },
  webhookSecret: {
    type: "apiKey",
    in: "header",
    name: "X-Holdfast-Webhook-Secret",
    description: "NEXTCLOUD_WEBHOOK_SECRET, compared in constant time (`Authorization: Bearer <secret>` works too). While it is unset every call is a 503.",
  },
  webhookBearer: {
    type: "http",
    scheme: "bearer",
    description: "NEXTCLOUD_WEBHOOK_SECRET as a bearer token, for webhook senders that cannot set a custom header.",
  },
} as const;

const SECURITY_BY_AUTH: Record<RouteAuth, Record<string, string[]>[]> = {
  public: [],
  admin: [{ adminSession: [] }, { adminSessionSecure: [] }],
  cron: [{ cronBearer: [] }],
  webhook: [{ webhookSecret: [] }, { webhookBearer: [] }],
};

const STATUS_WORDS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  400: "Bad input",
  401: "Not signed in, or no valid secret",
  403: "Not allowed",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict with the current state",
  413: "Body too large",
  415: "Not JSON",
  422: "Not bookable",
  429: "Too many attempts",
  500: "Unexpected failure (the log has the reference)",
  503: "Not configured or unavailable",
};

function codesFor(status: number) {
  return Object.entries(errorStatusByCode)
    .filter(([, s]) => s === status)
    .map(([code]) => `\`${code}\``);
}

function errorResponse(status: number): ResponseConfig {
  const codes = codesFor(status);
  return {
    description: `${STATUS_WORDS[status] ?? "Error"}${codes.length ? ` (${codes.join(", ")})` : ""}`,
    ...(status === 429 ? { headers: z.object({ "retry-after": z.string().meta({ description: "Seconds until the next attempt is allowed" }) }) } : {}),
    content: { "application/json": { schema: errorResponseSchema } },
  };
}

function successResponse(status: number, spec: ResponseSpec): ResponseConfig {
  if (spec instanceof z.ZodType) return { description: STATUS_WORDS[status] ?? "Answer", content: { "application/json": { schema: spec } } };
  const headers = spec.headers
    ? z.object(Object.fromEntries(Object.entries(spec.headers).map(([name, h]) => [name, h.schema.meta({ description: h.description })])))
    : undefined;
  const content = spec.schema
    ? { [spec.contentType ?? "application/json"]: { schema: spec.schema } }
    : spec.contentType
      ? { [spec.contentType]: {} }
      : undefined;
  return { description: spec.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
}

/** A path parameter the definition does not describe (next-auth's catch-all) is still declared, as a string. */
function paramsOf(definition: RouteDefinition): z.ZodObject | undefined {
  const declared = definition.params;
  const missing = pathParamNames(definition.path).filter((name) => !declared?.shape[name]);
  if (missing.length === 0) return declared;
  const extra = Object.fromEntries(missing.map((name) => [name, z.string().meta({ description: "One or more path segments" })]));
  return declared ? declared.extend(extra) : z.object(extra);
}

function routeConfig(definition: RouteDefinition): RouteConfig {
  const responses: RouteConfig["responses"] = {};
  for (const [status, spec] of Object.entries(definition.responses)) if (spec) responses[status] = successResponse(Number(status), spec);
  for (const status of errorStatusesOf(definition)) responses[String(status)] ??= errorResponse(status);
  const params = paramsOf(definition);
  return {
    method: definition.method.toLowerCase() as RouteConfig["method"],
    path: openApiPath(definition.path),
    operationId: `${definition.method.toLowerCase()}${definition.path
      .replace(/^\/api/, "")
      .replace(/\[+(?:\.\.\.)?([^\]]+)\]+/g, "by-$1")
      .replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
    summary: definition.summary,
    ...(definition.description ? { description: definition.description } : {}),
    ...(definition.tags ? { tags: definition.tags } : {}),
    security: SECURITY_BY_AUTH[definition.auth],
    request: {
      ...(params ? { params } : {}),
      ...(definition.query ? { query: definition.query } : {}),
      ...(definition.headers ? { headers: definition.headers } : {}),
      ...(definition.body ? { body: { required: definition.parseBody !== false, content: { "application/json": { schema: definition.body } } } } : {}),
    },
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of every /api route, from the same definitions that validate the
 * requests (see defineRoute). GET /api/openapi.json serves it.
 */
export function buildOpenApiDocument(definitions: RouteDefinition[]) {
  const registry = new OpenAPIRegistry();
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) registry.registerComponent("securitySchemes", name, scheme);
  const sorted = [...definitions].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const definition of sorted) registry.registerPath(routeConfig(definition));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Holdfast API",
      version: "1",
      description:
        "Booking for small studios. Public routes need no session; /api/admin routes need an admin's session cookie; the cron route a bearer secret; the Nextcloud webhook its shared secret. Every failure is `{error:{code, message, fields?}}`.",
    },
  });
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
