import NextAuth from "next-auth";
import { clientInfo } from "@/lib/http/client-info";
import { parseCookieHeader } from "./cookies";
import { getAuthOptions } from "./options";

/**
 * What next-auth's handler writes to, collected into a Fetch Response. next-auth 4 calls
 * status(), setHeader()/getHeader() (cookies accumulate under Set-Cookie), end(), json(), send().
 */
class CollectedAuthResponse {
  private statusCode = 200;
  private readonly headers = new Headers();
  private setCookies: string[] = [];
  private body: string | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return name.toLowerCase() === "set-cookie" ? this.setCookies : (this.headers.get(name) ?? undefined);
  }
  setHeader(name: string, value: string | string[]) {
    if (name.toLowerCase() === "set-cookie") this.setCookies = Array.isArray(value) ? value : [value];
    else this.headers.set(name, Array.isArray(value) ? value.join(", ") : String(value));
    return this;
  }
  end() {
    return this;
  }
  json(value: unknown) {
    this.headers.set("content-type", "application/json");
    this.body = JSON.stringify(value);
    return this;
  }
  send(value: unknown) {
    if (value === undefined || value === null) this.body = null;
    else if (typeof value === "string") this.body = value;
    else return this.json(value);
    return this;
  }
  toResponse() {
    const headers = new Headers(this.headers);
    for (const cookie of this.setCookies) headers.append("set-cookie", cookie);
    const nullBody = this.statusCode === 204 || this.statusCode === 304 || (this.statusCode >= 300 && this.statusCode < 400 && this.body === null);
    return new Response(nullBody ? null : this.body, { status: this.statusCode, headers });
  }
}

/** The body next-auth expects: a form or JSON object on POST, else nothing (as next-auth's own route adapter reads it). */
async function readAuthBody(req: Request): Promise<Record<string, unknown> | undefined> {
  if (req.method !== "POST" || !req.body) return undefined;
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) return (await req.json()) as Record<string, unknown>;
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(await req.text()));
  return undefined;
}

/**
 * Runs next-auth for one /api/auth/* request. Built from the Request alone (not from next/headers),
 * so the options can carry the caller's address by the app's one rule (clientIpFromHeaders) into
 * the sign-in limits, and tests can call the route handler with plain Requests.
 */
export async function handleNextAuthRequest(req: Request, segments: string[]): Promise<Response> {
  const url = new URL(req.url);
  const request = {
    method: req.method,
    query: { ...Object.fromEntries(url.searchParams), nextauth: segments },
    body: await readAuthBody(req),
    headers: Object.fromEntries(req.headers.entries()),
    cookies: parseCookieHeader(req.headers.get("cookie")),
  };
  const response = new CollectedAuthResponse();
  await NextAuth(request as never, response as never, getAuthOptions({ clientIp: clientInfo(req).ip }));
  return response.toResponse();
}
