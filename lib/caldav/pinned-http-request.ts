/**
 * One HTTP request over node:http/https whose socket connects only to addresses the outbound
 * guard checked (a `lookup` that answers with them), never following redirects. Global fetch
 * cannot do this without undici's Agent, which is not a dependency. No keep-alive: every
 * connection goes through the pinned lookup, and no socket outlives the request it was opened
 * for (CalDAV syncs make a handful of requests, so the extra handshakes cost little).
 */
import http from "node:http";
import https from "node:https";
import type { LookupAddress } from "node:dns";
import { pinnedLookup } from "./outbound-guard";

export type RawResponse = { status: number; statusText: string; headers: Headers; body: Buffer };

export type PinnedRequest = {
  url: URL;
  method: string;
  headers: Headers;
  body?: Buffer;
  /** Checked addresses to connect to; null = the system resolver (no address rule in force). */
  addresses: LookupAddress[] | null;
  signal: AbortSignal;
};

/** Request bodies tsdav and Holdfast send (strings); anything else is a programming error. */
export function bodyBytes(body: RequestInit["body"]): Buffer | undefined {
  if (body == null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("CalDAV request bodies must be strings or bytes");
}

/**
 * Sends the request and reads the whole answer. Rejects with `signal.reason` when the signal
 * fires (a TimeoutError from AbortSignal.timeout), otherwise with the socket's error.
 */
export function pinnedHttpRequest(req: PinnedRequest): Promise<RawResponse> {
  const { url, signal } = req;
  if (signal.aborted) return Promise.reject(signal.reason);
  const transport = url.protocol === "https:" ? https : http;
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => (headers[name] = value));
  if (req.body) headers["content-length"] = String(req.body.length);
  // Plain bodies: nothing here decompresses.
  headers["accept-encoding"] = "identity";

  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, value?: RawResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(value!);
    };
    const request = transport.request(
      url,
      {
        method: req.method,
        headers,
        agent: false,
        ...(req.addresses ? { lookup: pinnedLookup(req.addresses) as unknown as http.RequestOptions["lookup"] } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (err) => finish(err));
        res.on("aborted", () => finish(Object.assign(new Error("the connection closed before the answer was complete"), { code: "ECONNRESET" })));
        res.on("end", () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
          }
          finish(null, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: out, body: Buffer.concat(chunks) });
        });
      },
    );
    const onAbort = () => {
      finish(signal.reason);
      request.destroy();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    request.on("error", (err) => finish(err));
    request.end(req.body);
  });
}
