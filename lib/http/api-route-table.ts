/**
 * Which /api paths exist and which methods each answers, so the proxy can answer an unknown path
 * (404 `not_found`) or a missing method (405 `method_not_allowed` with `Allow`) in the one error
 * shape — Next's own answers for those are an HTML page and an empty body. The table is read
 * from app/api/**\/route.ts by list-api-routes.ts at build time (next.config.ts) and in tests,
 * so a new route or method can never be missing from it.
 */
export const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** `pattern` is the folder path under app/, e.g. `/api/bookings/[id]/cancel`; `methods` are the exported handlers. */
export type ApiRoute = { pattern: string; methods: string[] };

type SegmentKind = 0 | 1 | 2 | 3; // static, [param], [...catchAll], [[...optional]]

function kindOf(segment: string): SegmentKind {
  if (/^\[\[\.\.\..+\]\]$/.test(segment)) return 3;
  if (/^\[\.\.\..+\]$/.test(segment)) return 2;
  if (/^\[.+\]$/.test(segment)) return 1;
  return 0;
}

/** Route groups `(name)` and parallel slots `@name` are not part of the URL. */
function urlSegments(pattern: string) {
  return pattern.split("/").filter((s) => s && !/^\(.+\)$/.test(s) && !s.startsWith("@"));
}

function matches(pattern: string[], path: string[]): boolean {
  for (let i = 0; i < pattern.length; i += 1) {
    const kind = kindOf(pattern[i]!);
    if (kind === 2) return path.length > i;
    if (kind === 3) return true;
    if (i >= path.length) return false;
    if (kind === 0 && pattern[i] !== path[i]) return false;
  }
  return pattern.length === path.length;
}

/** Next's precedence: at the first differing segment a static one beats a [param], which beats a catch-all. */
function moreSpecific(a: string[], b: string[]) {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const ka = a[i] === undefined ? 4 : kindOf(a[i]!);
    const kb = b[i] === undefined ? 4 : kindOf(b[i]!);
    if (ka !== kb) return ka < kb;
  }
  return false;
}

/** The route Next would run for `pathname` (percent-encoded, as in the URL), or undefined. */
export function matchApiRoute(routes: ApiRoute[], pathname: string): ApiRoute | undefined {
  const path = pathname.split("/").filter(Boolean);
  let best: { route: ApiRoute; segments: string[] } | undefined;
  for (const route of routes) {
    const segments = urlSegments(route.pattern);
    if (!matches(segments, path)) continue;
    if (!best || moreSpecific(segments, best.segments)) best = { route, segments };
  }
  return best?.route;
}

/** What a route answers: its handlers, plus HEAD when it has GET and OPTIONS always (Next adds both). */
export function allowedMethods(route: ApiRoute): string[] {
  const allowed = new Set(route.methods);
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return ROUTE_METHODS.filter((m) => allowed.has(m));
}

/** The table as next.config.ts hands it to the proxy (HOLDFAST_API_ROUTES), or undefined when absent or unreadable. */
export function parseApiRouteTable(json: string | undefined): ApiRoute[] | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? (parsed as ApiRoute[]) : undefined;
  } catch {
    return undefined;
  }
}
