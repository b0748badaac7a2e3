/**
 * The one way Holdfast talks CalDAV: tsdav's request functions behind a fetch of our own that
 * adds Basic auth and a timeout to every request, counts requests and bytes, and turns HTTP and
 * network failures into one typed error. tsdav's traps (see DESIGN.md) are handled here once:
 * auth lives in the fetch override (per-call headers would replace it), a missing ETag is never
 * the string "undefined", create/update/delete answers are checked by status (tsdav does not
 * throw on 412), hrefs are resolved against the calendar URL, and sync-collection is used
 * directly with sync-level 1.
 *
 * The same fetch is the SSRF guard (see outbound-guard.ts): every request, redirects included,
 * must stay on the origin of the server URL the admin entered (the only place the app password
 * may go), must pass CALDAV_ALLOWED_HOSTS / CALDAV_BLOCK_PRIVATE, and connects only to the
 * addresses that were checked. Redirects are followed here, by hand, and only on that origin.
 */
import { davRequest, propfind, syncCollection, createObject, updateObject, deleteObject, type DAVResponse } from "tsdav";
import { checkOutboundUrl, OutboundRefusal, outboundPolicyFromEnv, type HostResolver, type OutboundPolicy } from "./outbound-guard";
import { bodyBytes, pinnedHttpRequest, type RawResponse } from "./pinned-http-request";

export const DEFAULT_TIMEOUT_MS = 10_000;
export const TEST_CONNECTION_TIMEOUT_MS = 3_000;
/** Hrefs per calendar-multiget; keeps each answer a few hundred KB at most. */
const MULTIGET_CHUNK = 100;
/** Same-origin redirects followed per request (Nextcloud's /.well-known/caldav needs one). */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type CalDavErrorKind =
  | "unauthorized"
  | "rate_limited"
  | "not_caldav"
  | "timeout"
  | "unreachable"
  | "server_error"
  | "invalid_sync_token"
  | "truncated"
  | "bad_response"
  /** The outbound guard refused the host (allow-list, private address, scheme); nothing was sent. */
  | "host_not_allowed"
  /** Discovery or a redirect pointed at another origin; the password was not sent there. */
  | "cross_origin_discovery";

/** Which failures heal by themselves, so a job should be retried rather than reported as wrong. */
const TRANSIENT: ReadonlySet<CalDavErrorKind> = new Set(["rate_limited", "timeout", "unreachable", "server_error"]);

export class CalDavError extends Error {
  readonly kind: CalDavErrorKind;
  readonly status?: number;
  /** From Retry-After on 429/503, when the server sent one. */
  readonly retryAfterMs?: number;
  /** host_not_allowed / cross_origin_discovery: the host that was refused. */
  readonly refusedHost?: string;
  /** cross_origin_discovery: the URL the server pointed at. */
  readonly refusedUrl?: string;

  constructor(
    kind: CalDavErrorKind,
    message: string,
    opts: { status?: number; retryAfterMs?: number; cause?: unknown; refusedHost?: string; refusedUrl?: string } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "CalDavError";
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.refusedHost = opts.refusedHost;
    this.refusedUrl = opts.refusedUrl;
  }

  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

export type CalDavStats = { requests: number; bytesSent: number; bytesReceived: number };

export type CalDavAccount = { serverUrl: string; username: string; password: string };

export type CalDavClientOptions = {
  /** Per request. */
  timeoutMs?: number;
  /** Aborts everything (e.g. an overall deadline for "test connection"). */
  signal?: AbortSignal;
  /** Shared counters, e.g. one per sync run. */
  stats?: CalDavStats;
  /**
   * Sends the requests instead of Holdfast's pinned node:http transport (tests, the bench). The
   * guard still checks every URL first, but cannot pin the connection to the checked addresses.
   */
  fetch?: typeof globalThis.fetch;
  /** Default: CALDAV_ALLOWED_HOSTS / CALDAV_BLOCK_PRIVATE from the environment. */
  policy?: OutboundPolicy;
  /** Tests only: answers DNS for the guard (and so decides where the socket connects). */
  resolver?: HostResolver;
};

export type DiscoveredCalendar = { url: string; displayName: string | null; supportsSync: boolean; supportsEvents: boolean };
export type ObjectVersion = { href: string; etag: string | null };
export type FetchedObject = { href: string; etag: string | null; data: string };
export type SyncChanges = { token: string; changed: ObjectVersion[]; deleted: string[] };
export type CreateOutcome = { kind: "created"; etag: string | null } | { kind: "exists" } | { kind: "uid_taken"; detail: string };
export type UpdateOutcome = { kind: "updated"; etag: string | null } | { kind: "precondition_failed" } | { kind: "gone" };
export type DeleteOutcome = "deleted" | "gone" | "precondition_failed";

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** tsdav turns a missing getetag into "undefined" and numeric-looking text into numbers. */
export function normalizeEtag(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === "string" ? value.trim() : String(value);
  if (!text || text === "undefined" || text === "null") return null;
  return text;
}

/** Text content of a tsdav-parsed XML node: a string, a number, or `{_text}` / `{_cdata}`. */
function textOf(node: unknown): string | null {
  if (node === null || node === undefined) return null;
  if (typeof node === "string") return node;
  if (typeof node === "number" || typeof node === "boolean") return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o._cdata === "string") return o._cdata;
    if (typeof o._text === "string" || typeof o._text === "number") return String(o._text);
  }
  return null;
}

function hrefOf(node: unknown): string | null {
  if (node && typeof node === "object" && !Array.isArray(node) && "href" in node) return textOf((node as { href: unknown }).href);
  return textOf(node);
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function ensureTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** Absolute href of `href` (often a bare path in multistatus answers) relative to a collection. */
export function resolveHref(href: string, baseUrl: string): string {
  return new URL(href, ensureTrailingSlash(baseUrl)).href;
}

/** Compares hrefs regardless of host spelling and percent-encoding. */
export function hrefKey(href: string): string {
  const path = new URL(href, "http://x/").pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function describeUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return String(url);
  }
}

function resourceTypes(props: DAVResponse["props"]): string[] {
  const rt: unknown = props?.resourcetype;
  return rt && typeof rt === "object" ? Object.keys(rt) : [];
}

function componentNames(props: DAVResponse["props"]): string[] {
  const comp: unknown = props?.supportedCalendarComponentSet?.comp;
  const list = Array.isArray(comp) ? comp : comp ? [comp] : [];
  return list
    .map((c: unknown) => (c && typeof c === "object" ? ((c as { _attributes?: { name?: string } })._attributes?.name ?? null) : null))
    .filter((n): n is string => Boolean(n))
    .map((n) => n.toUpperCase());
}

export class CalDavClient {
  readonly stats: CalDavStats;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly signal?: AbortSignal;
  private readonly baseFetch: typeof globalThis.fetch | null;
  private readonly policy: OutboundPolicy;
  private readonly resolver?: HostResolver;
  readonly serverUrl: string;
  /** Requests that got an HTTP answer (any status): proof that the origin speaks HTTP. */
  answeredRequests = 0;

  constructor(account: CalDavAccount, opts: CalDavClientOptions = {}) {
    this.serverUrl = account.serverUrl;
    this.authorization = `Basic ${Buffer.from(`${account.username}:${account.password}`, "utf8").toString("base64")}`;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.signal = opts.signal;
    this.stats = opts.stats ?? { requests: 0, bytesSent: 0, bytesReceived: 0 };
    this.baseFetch = opts.fetch ?? null;
    this.policy = opts.policy ?? outboundPolicyFromEnv();
    this.resolver = opts.resolver;
  }

  /** The only origin that receives the credentials: the one of the server URL that was entered. */
  get origin(): string | null {
    try {
      const origin = new URL(this.serverUrl).origin;
      return origin === "null" ? null : origin;
    } catch {
      return null;
    }
  }

  /** Refuses (before any request) a URL on another origin than the server URL's. */
  assertSameOrigin(url: string | URL, what: string): void {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new CalDavError("bad_response", `${what} is not a valid URL: ${String(url).slice(0, 200)}`);
    }
    const origin = this.origin;
    if (!origin) throw new CalDavError("host_not_allowed", `${this.serverUrl.slice(0, 200)} is not an http(s) URL`);
    if (target.origin !== origin) {
      throw new CalDavError(
        "cross_origin_discovery",
        `${describeUrl(this.serverUrl)} pointed to ${target.origin} for ${what}; Holdfast sends the app password only to ${origin}`,
        { refusedHost: target.host, refusedUrl: target.href },
      );
    }
  }

  /**
   * The fetch handed to tsdav. Auth is set here, after tsdav merged its headers, so nothing can
   * drop it; the body is read here so bytes are counted and a stalled body also times out.
   */
  readonly fetch: typeof globalThis.fetch = async (input, init = {}) => {
    let url: URL;
    try {
      url = new URL(input instanceof Request ? input.url : String(input));
    } catch (err) {
      throw new CalDavError("bad_response", `not a valid URL: ${String(input).slice(0, 200)}`, { cause: err });
    }
    let method = init.method ?? "GET";
    let body = init.body;
    const headers = new Headers(init.headers);
    headers.set("authorization", this.authorization);
    for (const name of ["if-match", "if-none-match"]) if (headers.get(name) === "undefined") headers.delete(name);

    for (let hop = 0; ; hop += 1) {
      this.assertSameOrigin(url, hop === 0 ? `${method} ${url.pathname}` : "a redirect");
      const res = await this.send(url, method, headers, body);
      const location = REDIRECT_STATUSES.has(res.status) ? res.headers.get("location") : null;
      if (location) {
        if (hop >= MAX_REDIRECTS)
          throw new CalDavError("bad_response", `${method} ${describeUrl(url)}: more than ${MAX_REDIRECTS} redirects`, { status: res.status });
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (err) {
          throw new CalDavError("bad_response", `${method} ${describeUrl(url)} redirected to an invalid URL`, { status: res.status, cause: err });
        }
        this.assertSameOrigin(next, `a redirect (${res.status})`);
        if (res.status === 303 && method !== "GET" && method !== "HEAD") {
          method = "GET";
          body = undefined;
          headers.delete("content-type");
        }
        url = next;
        continue;
      }
      this.throwOnFatalStatus(res, url.href, method, res.body);
      const copy = new Response(NULL_BODY_STATUSES.has(res.status) ? null : new Uint8Array(res.body), {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
      Object.defineProperty(copy, "url", { value: url.href });
      return copy;
    }
  };

  /** One request on the wire: the guard's check, then the pinned transport (or the test fetch). */
  private async send(url: URL, method: string, headers: Headers, body: RequestInit["body"]): Promise<RawResponse> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), ...(this.signal ? [this.signal] : [])]);
    const bytes = bodyBytes(body);
    this.stats.requests += 1;
    this.stats.bytesSent += bytes?.length ?? 0;
    let raw: RawResponse;
    try {
      const target = await checkOutboundUrl(url, this.policy, { resolver: this.resolver, signal });
      if (this.baseFetch) {
        const res = await this.baseFetch(url.href, { method, headers, body: bytes ? new Uint8Array(bytes) : undefined, redirect: "manual", signal });
        raw = { status: res.status, statusText: res.statusText, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
      } else {
        raw = await pinnedHttpRequest({ url, method, headers, body: bytes, addresses: target.addresses, signal });
      }
    } catch (err) {
      if (err instanceof OutboundRefusal) {
        throw new CalDavError("host_not_allowed", `Holdfast may not connect to ${err.host}: ${err.message}`, { cause: err, refusedHost: err.host });
      }
      throw this.transportError(err, url.href, method);
    }
    this.answeredRequests += 1;
    this.stats.bytesReceived += raw.body.length;
    return raw;
  }

  /**
   * Every failure below HTTP (refused, reset, DNS, TLS, …) gets the same words, so the message
   * cannot tell an open port from a closed one or a missing host; the cause keeps the detail for
   * the server's logs.
   */
  private transportError(err: unknown, url: string, method: string): CalDavError {
    if (err instanceof CalDavError) return err;
    const name = err instanceof Error ? err.name : "";
    const reason = this.signal?.aborted ? this.signal.reason : undefined;
    if (name === "TimeoutError" || (name === "AbortError" && (reason instanceof Error ? reason.name === "TimeoutError" : true))) {
      return new CalDavError("timeout", `${describeUrl(url)} did not answer within ${Math.round(this.timeoutMs / 100) / 10} s`, { cause: err });
    }
    return new CalDavError("unreachable", `${method} ${describeUrl(url)} failed: could not connect to the server`, { cause: err });
  }

  /** Statuses no caller can act on except by giving up for now: auth, rate limit, server trouble. */
  private throwOnFatalStatus(res: { status: number; headers: Headers }, url: string, method: string, body: Buffer) {
    const where = `${method} ${describeUrl(url)}`;
    if (res.status === 401) {
      throw new CalDavError("unauthorized", `${where}: the server refused the username or app password (401)`, { status: 401 });
    }
    if (res.status === 429) {
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      throw new CalDavError(
        "rate_limited",
        `${where}: the server is rate-limiting us (429)${retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ""}`,
        { status: 429, retryAfterMs },
      );
    }
    // 507 is how sync-collection says "truncated"; the caller handles it.
    if (res.status >= 500 && res.status !== 507) {
      const snippet = body.toString("utf8").slice(0, 200).replace(/\s+/g, " ").trim();
      throw new CalDavError("server_error", `${where}: server error ${res.status}${snippet ? ` (${snippet})` : ""}`, {
        status: res.status,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Discovery

  /**
   * The calendars this account can see. Accepts the server's base URL, its DAV root, a principal
   * or a calendar URL. Each step is one PROPFIND, so a wrong password costs a single attempt
   * (Nextcloud's brute-force protection counts them).
   */
  async discoverCalendars(): Promise<DiscoveredCalendar[]> {
    const start = this.serverUrl;
    const first = await this.propfindOne(start, "0", {
      "d:resourcetype": {},
      "d:current-user-principal": {},
      "d:displayname": {},
      "c:supported-calendar-component-set": {},
      "d:sync-token": {},
      "d:supported-report-set": {},
    });
    if (first && resourceTypes(first.props).includes("calendar")) return [this.toCalendar(first, start)];

    let principal = first ? hrefOf(first.props?.currentUserPrincipal) : null;
    let base = start;
    if (!principal) {
      for (const candidate of [new URL("/.well-known/caldav", start).href, new URL("remote.php/dav/", ensureTrailingSlash(start)).href]) {
        const found = await this.propfindOne(candidate, "0", { "d:current-user-principal": {} });
        principal = found ? hrefOf(found.props?.currentUserPrincipal) : null;
        if (principal) {
          base = candidate;
          break;
        }
      }
    }
    if (!principal) throw new CalDavError("not_caldav", `${describeUrl(start)} does not look like a CalDAV server (no current-user-principal)`);

    const principalUrl = resolveHref(principal, base);
    this.assertSameOrigin(principalUrl, "the account's principal (current-user-principal)");
    const principalProps = await this.propfindOne(principalUrl, "0", { "c:calendar-home-set": {} });
    const home = principalProps ? hrefOf(principalProps.props?.calendarHomeSet) : null;
    if (!home) throw new CalDavError("not_caldav", `${describeUrl(principalUrl)} has no calendar-home-set; is this a CalDAV account?`);
    const homeUrl = resolveHref(home, principalUrl);
    this.assertSameOrigin(homeUrl, "the calendar home (calendar-home-set)");

    const listing = await propfind({
      url: homeUrl,
      depth: "1",
      props: {
        "d:resourcetype": {},
        "d:displayname": {},
        "c:supported-calendar-component-set": {},
        "d:sync-token": {},
        "d:supported-report-set": {},
      },
      fetch: this.fetch,
    });
    const found = listing
      .filter((r) => r.href && r.ok && resourceTypes(r.props).includes("calendar"))
      .map((r) => this.toCalendar(r, resolveHref(r.href!, homeUrl)));
    for (const calendar of found) this.assertSameOrigin(calendar.url, "a calendar");
    return found;
  }

  private toCalendar(r: DAVResponse, url: string): DiscoveredCalendar {
    // Xandikos leaves out the <report> wrapper inside supported-report, which tsdav's own
    // supportedReportSet misses; a DAV:sync-token property also proves RFC 6578 support.
    const reports = JSON.stringify(r.props?.supportedReportSet ?? {});
    const components = componentNames(r.props);
    return {
      url: ensureTrailingSlash(url),
      displayName: textOf(r.props?.displayname),
      supportsSync: reports.includes("syncCollection") || normalizeEtag(textOf(r.props?.syncToken)) !== null,
      supportsEvents: components.length === 0 || components.includes("VEVENT"),
    };
  }

  /** One resource's properties, or null when it is not a DAV resource (404, 405, HTML, …). */
  private async propfindOne(url: string, depth: "0" | "1", props: Record<string, object>): Promise<DAVResponse | null> {
    const responses = await propfind({ url, depth, props, fetch: this.fetch });
    const own = responses.find((r) => r.ok && r.href && hrefKey(resolveHref(r.href, url)) === hrefKey(url)) ?? responses.find((r) => r.ok && r.href);
    return own && own.props && Object.keys(own.props).length > 0 ? own : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Sync (RFC 6578)

  /**
   * Changes since `token` (all members when null). Members come with their ETag only; fetch the
   * ones that differ with fetchObjects. Throws invalid_sync_token (403 valid-sync-token, the
   * server forgot the token) and truncated (507): both mean "do a full resync".
   */
  async syncChanges(calendarUrl: string, token: string | null): Promise<SyncChanges> {
    const responses = await syncCollection({
      url: calendarUrl,
      props: { "d:getetag": {} },
      syncLevel: 1,
      // Never a result limit: a limited initial sync is truncated by design (507).
      syncToken: token ?? undefined,
      fetch: this.fetch,
    });
    const whole = responses.length === 1 && !responses[0]!.ok && typeof responses[0]!.raw !== "object" ? responses[0]! : null;
    if (whole) {
      const raw = String(whole.raw ?? "");
      if (whole.status === 403 && raw.includes("valid-sync-token"))
        throw new CalDavError("invalid_sync_token", "The server no longer knows our sync token", { status: 403 });
      if (whole.status === 507) throw new CalDavError("truncated", "The server truncated the sync result (507)", { status: 507 });
      if (whole.status === 404 || whole.status === 405 || whole.status === 403 || whole.status === 400) {
        throw new CalDavError("not_caldav", `sync-collection on ${describeUrl(calendarUrl)} failed with ${whole.status}`, { status: whole.status });
      }
      throw new CalDavError("bad_response", `sync-collection on ${describeUrl(calendarUrl)} answered ${whole.status}`, { status: whole.status });
    }

    const rawToken = (responses[0]?.raw as { multistatus?: { syncToken?: unknown } } | undefined)?.multistatus?.syncToken;
    const newToken = normalizeEtag(textOf(rawToken));
    if (!newToken) throw new CalDavError("bad_response", `sync-collection on ${describeUrl(calendarUrl)} returned no sync-token`);

    const changed: ObjectVersion[] = [];
    const deleted: string[] = [];
    const collectionKey = hrefKey(calendarUrl);
    for (const r of responses) {
      if (!r.href) continue; // an empty multistatus comes back as one entry without href
      const href = resolveHref(r.href, calendarUrl);
      if (hrefKey(href) === collectionKey) {
        // RFC 6578 §3.6: a 507 on the collection itself marks a truncated result.
        if (r.status === 507) throw new CalDavError("truncated", "The server truncated the sync result (507)", { status: 507 });
        continue;
      }
      // Deleted members come with a non-2xx status: 404 (RFC 6578), or 418 from Nextcloud.
      if (!r.ok) deleted.push(href);
      else changed.push({ href, etag: normalizeEtag(textOf(r.props?.getetag)) });
    }
    return { token: newToken, changed, deleted };
  }

  /**
   * Every member with its ETag, by plain PROPFIND, plus a token taken just before the listing
   * (anything that changes in between is simply reported again next time). The fallback for a
   * server that truncates even a tokenless sync-collection.
   */
  async listMembers(calendarUrl: string): Promise<{ token: string | null; members: ObjectVersion[] }> {
    const self = await this.propfindOne(calendarUrl, "0", { "d:sync-token": {} });
    const token = self ? normalizeEtag(textOf(self.props?.syncToken)) : null;
    const responses = await propfind({ url: calendarUrl, depth: "1", props: { "d:getetag": {}, "d:resourcetype": {} }, fetch: this.fetch });
    const collectionKey = hrefKey(calendarUrl);
    const members = responses
      .filter((r) => r.ok && r.href && hrefKey(resolveHref(r.href, calendarUrl)) !== collectionKey && !resourceTypes(r.props).includes("collection"))
      .map((r) => ({ href: resolveHref(r.href!, calendarUrl), etag: normalizeEtag(textOf(r.props?.getetag)) }));
    return { token, members };
  }

  /**
   * calendar-multiget of `hrefs`. tsdav's calendarMultiGet throws when any one href is gone, so
   * this goes through davRequest and reports those as `missing` (deleted in the meantime).
   */
  async fetchObjects(calendarUrl: string, hrefs: string[]): Promise<{ found: FetchedObject[]; missing: string[] }> {
    const found: FetchedObject[] = [];
    const missing: string[] = [];
    for (let i = 0; i < hrefs.length; i += MULTIGET_CHUNK) {
      const chunk = hrefs.slice(i, i + MULTIGET_CHUNK);
      const wanted = new Map(chunk.map((h) => [hrefKey(h), h]));
      const responses = await davRequest({
        url: calendarUrl,
        init: {
          method: "REPORT",
          namespace: "d",
          headers: { depth: "1" },
          body: {
            "c:calendar-multiget": {
              _attributes: { "xmlns:d": "DAV:", "xmlns:c": "urn:ietf:params:xml:ns:caldav" },
              "d:prop": { "d:getetag": {}, "c:calendar-data": {} },
              "d:href": chunk.map((h) => new URL(h).pathname),
            },
          },
        },
        fetch: this.fetch,
      });
      const whole = responses.length === 1 && !responses[0]!.ok && typeof responses[0]!.raw !== "object" ? responses[0]! : null;
      if (whole) throw new CalDavError("bad_response", `calendar-multiget on ${describeUrl(calendarUrl)} answered ${whole.status}`, { status: whole.status });
      const seen = new Set<string>();
      for (const r of responses) {
        if (!r.href) continue;
        const key = hrefKey(resolveHref(r.href, calendarUrl));
        const href = wanted.get(key);
        if (!href) continue;
        seen.add(key);
        const data = textOf(r.props?.calendarData);
        if (!r.ok || data === null) missing.push(href);
        else found.push({ href, etag: normalizeEtag(textOf(r.props?.getetag)), data });
      }
      for (const [key, href] of wanted) if (!seen.has(key)) missing.push(href);
    }
    return { found, missing };
  }

  async fetchObject(calendarUrl: string, href: string): Promise<FetchedObject | null> {
    const { found } = await this.fetchObjects(calendarUrl, [href]);
    return found[0] ?? null;
  }

  /** The current ETag of one object (some servers answer a PUT without one). */
  async fetchEtag(href: string): Promise<string | null> {
    const found = await this.propfindOne(href, "0", { "d:getetag": {} });
    return found ? normalizeEtag(textOf(found.props?.getetag)) : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Writes. tsdav returns the raw Response and does not throw on 412: check the status here.

  /** PUT with If-None-Match: * — never overwrites whatever is already at `href`. */
  async createObject(href: string, ics: string): Promise<CreateOutcome> {
    const res = await createObject({
      url: href,
      data: ics,
      headers: { "content-type": "text/calendar; charset=utf-8", "if-none-match": "*" },
      fetch: this.fetch,
    });
    if (res.ok) return { kind: "created", etag: normalizeEtag(res.headers.get("etag")) };
    if (res.status === 412) return { kind: "exists" };
    const text = await res.text();
    // The UID lives elsewhere in the collection (RFC 4791 no-uid-conflict, 409 in Radicale) or in
    // Nextcloud's trash bin, which answers 400 "… uid already exists …".
    if ((res.status === 409 || res.status === 400 || res.status === 403) && /no-uid-conflict|uid already exists/i.test(text)) {
      return { kind: "uid_taken", detail: text.slice(0, 300) };
    }
    throw new CalDavError("bad_response", `PUT ${describeUrl(href)} answered ${res.status}: ${text.slice(0, 200)}`, { status: res.status });
  }

  /** PUT with If-Match: the update lands only on the version we last saw. */
  async updateObject(href: string, ics: string, etag: string): Promise<UpdateOutcome> {
    const res = await updateObject({
      url: href,
      data: ics,
      etag,
      headers: { "content-type": "text/calendar; charset=utf-8" },
      fetch: this.fetch,
    });
    if (res.ok) return { kind: "updated", etag: normalizeEtag(res.headers.get("etag")) };
    if (res.status === 412) return { kind: "precondition_failed" };
    if (res.status === 404) return { kind: "gone" };
    const text = await res.text();
    throw new CalDavError("bad_response", `PUT ${describeUrl(href)} answered ${res.status}: ${text.slice(0, 200)}`, { status: res.status });
  }

  /** DELETE with If-Match; 404 means someone already removed it, which is what we wanted. */
  async deleteObject(href: string, etag: string | null): Promise<DeleteOutcome> {
    const res = await deleteObject({ url: href, etag: etag ?? undefined, fetch: this.fetch });
    if (res.ok) return "deleted";
    if (res.status === 404 || res.status === 410) return "gone";
    if (res.status === 412) return "precondition_failed";
    throw new CalDavError("bad_response", `DELETE ${describeUrl(href)} answered ${res.status}`, { status: res.status });
  }
}

export function createCalDavClient(account: CalDavAccount, opts: CalDavClientOptions = {}): CalDavClient {
  return new CalDavClient(account, opts);
}
