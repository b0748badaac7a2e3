/**
 * A small HTTP proxy of our own between Holdfast and a real CalDAV server (Radicale). It makes the
 * server behave like Nextcloud where they differ, and fails on demand:
 * - `rule({...})`: for matching requests (method, body text), delay, hang, answer a fixed status
 *   (5xx, 429 + Retry-After, 401) instead of forwarding, or forward and then never answer
 *   (the write lands, the client never hears) — for a number of times or until cleared;
 * - `expireSyncTokens()`: every sync token issued so far gets 403 valid-sync-token (Nextcloud
 *   prunes tokens after ~60 days);
 * - `deletedAs418`: deleted members in sync-collection results carry 418 instead of 404;
 * - `stripPutEtag`: PUT answers come without an ETag header;
 * - `refuseReusedUids`: a PUT creating an object whose UID was deleted through the proxy gets
 *   Nextcloud's 400 (its trash bin keeps the UID);
 * - `rewriteResponse`: edit a forwarded answer (a malformed object, a missing capability).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FaultRule = {
  method?: string;
  /** Only requests whose body contains this text (e.g. "sync-collection", "calendar-multiget"). */
  bodyIncludes?: string;
  /** How many matching requests this rule applies to (default: until cleared). */
  times?: number;
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Forward to the server, then never answer: the change lands, the client times out. */
  forwardThenHang?: boolean;
  respond?: { status: number; headers?: Record<string, string>; body?: string };
};

export type ProxyLogEntry = { method: string; path: string; status: number | "hung" };

export type FaultProxy = {
  url: string;
  /** Rewrites `targetUrl`'s origin to the proxy's, keeping the path. */
  viaProxy(targetUrl: string): string;
  rule(rule: FaultRule): void;
  clearRules(): void;
  expireSyncTokens(): void;
  deletedAs418: boolean;
  stripPutEtag: boolean;
  refuseReusedUids: boolean;
  /** Last word on a forwarded answer's body (e.g. corrupt one object, hide a capability). */
  rewriteResponse: ((ctx: { method: string; path: string; requestBody: string; body: string }) => string) | null;
  log: ProxyLogEntry[];
  /** Clears rules, switches and the log. */
  reset(): void;
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function uidOf(ics: string): string | null {
  return /^UID:(.+)$/m.exec(ics.replace(/\r\n[ \t]/g, ""))?.[1]?.trim() ?? null;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  let rules: (FaultRule & { used: number })[] = [];
  const expiredTokens = new Set<string>();
  const issuedTokens = new Set<string>();
  const uidByPath = new Map<string, string>();
  const deletedUids = new Set<string>();
  const sockets = new Set<Socket>();
  const hung = new Set<http.ServerResponse>();

  const forward = (req: http.IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      // Plain bodies only: the proxy edits some answers, which a gzip body would not survive.
      const headers = { ...req.headers, host: targetUrl.host, "accept-encoding": "identity" };
      const upstream = http.request({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      upstream.on("error", reject);
      upstream.end(body);
    });

  const proxy: FaultProxy = {
    url: "",
    viaProxy: (u) => {
      const parsed = new URL(u);
      return new URL(parsed.pathname + parsed.search, proxy.url).href;
    },
    rule: (rule) => void rules.push({ ...rule, used: 0 }),
    clearRules: () => {
      rules = [];
      for (const res of hung) res.destroy();
      hung.clear();
    },
    expireSyncTokens: () => {
      for (const t of issuedTokens) expiredTokens.add(t);
    },
    deletedAs418: false,
    stripPutEtag: false,
    refuseReusedUids: false,
    rewriteResponse: null,
    log: [],
    reset: () => {
      proxy.clearRules();
      expiredTokens.clear();
      proxy.deletedAs418 = false;
      proxy.stripPutEtag = false;
      proxy.refuseReusedUids = false;
      proxy.rewriteResponse = null;
      proxy.log = [];
    },
    stop: async () => {
      proxy.clearRules();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = await readBody(req);
    const text = body.toString("utf8");
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const send = (status: number, headers: Record<string, string | string[] | undefined>, payload: Buffer | string) => {
      proxy.log.push({ method, path, status });
      const buf = typeof payload === "string" ? Buffer.from(payload) : payload;
      const clean = Object.fromEntries(
        Object.entries(headers).filter(([k, v]) => v !== undefined && !["content-length", "transfer-encoding", "connection"].includes(k.toLowerCase())),
      );
      res.writeHead(status, { ...clean, "content-length": String(buf.length) });
      res.end(buf);
    };

    const rule = rules.find(
      (r) => (!r.method || r.method === method) && (!r.bodyIncludes || text.includes(r.bodyIncludes)) && (r.times === undefined || r.used < r.times),
    );
    if (rule) {
      rule.used += 1;
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.hang) {
        proxy.log.push({ method, path, status: "hung" });
        hung.add(res);
        return;
      }
      if (rule.forwardThenHang) {
        await forward(req, body);
        proxy.log.push({ method, path, status: "hung" });
        hung.add(res);
        return;
      }
      if (rule.respond) {
        send(rule.respond.status, { "content-type": "text/plain", ...rule.respond.headers }, rule.respond.body ?? "");
        return;
      }
    }

    if (method === "REPORT" && text.includes("sync-collection")) {
      const token = /<[^>]*sync-token[^>]*>([^<]+)</.exec(text)?.[1]?.trim();
      if (token && expiredTokens.has(token)) {
        send(
          403,
          { "content-type": "application/xml; charset=utf-8" },
          `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><d:valid-sync-token/><s:message>Invalid or unknown sync token</s:message></d:error>`,
        );
        return;
      }
    }
    if (method === "PUT") {
      const uid = uidOf(text);
      if (proxy.refuseReusedUids && uid && deletedUids.has(uid) && (req.headers["if-none-match"] ?? "") === "*") {
        send(
          400,
          { "content-type": "application/xml; charset=utf-8" },
          `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><s:exception>Sabre\\DAV\\Exception\\BadRequest</s:exception><s:message>Deleted calendar object with uid already exists in this calendar collection.</s:message></d:error>`,
        );
        return;
      }
      if (uid) uidByPath.set(path, uid);
    }

    let upstream;
    try {
      upstream = await forward(req, body);
    } catch (err) {
      send(502, { "content-type": "text/plain" }, `proxy: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    let payload = upstream.body;
    const headers: Record<string, string | string[] | undefined> = { ...upstream.headers };
    if (method === "REPORT" && text.includes("sync-collection")) {
      let xml = payload.toString("utf8");
      for (const m of xml.matchAll(/<[^>]*sync-token[^>]*>([^<]+)</g)) issuedTokens.add(m[1]!.trim());
      if (proxy.deletedAs418) xml = xml.replace(/HTTP\/1\.1 404 Not Found/g, "HTTP/1.1 418 I'm a teapot");
      payload = Buffer.from(xml);
    }
    if (proxy.rewriteResponse) payload = Buffer.from(proxy.rewriteResponse({ method, path, requestBody: text, body: payload.toString("utf8") }));
    if (method === "PUT" && proxy.stripPutEtag) delete headers.etag;
    if (method === "DELETE" && upstream.status < 300) {
      const uid = uidByPath.get(path);
      if (uid) deletedUids.add(uid);
    }
    send(upstream.status, headers, payload);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
