import path from "node:path";
import { encode, type JWT } from "next-auth/jwt";

/**
 * next-auth over its real route handler (app/api/auth/[...nextauth]/route.ts), called with plain
 * Requests: CSRF token, credentials sign-in, magic-link requests and sign-out, with the cookies
 * next-auth sets carried from one call to the next like a browser would.
 */
type RouteHandler = (req: Request, ctx: { params: Promise<{ nextauth?: string[] }> }) => Promise<Response>;

const ROUTE_FILE = path.resolve(import.meta.dirname, "../../app/api/auth/[...nextauth]/route.ts");

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response) {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string) {
    return this.cookies.get(name);
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  copy() {
    const jar = new CookieJar();
    for (const [name, value] of this.cookies) jar.cookies.set(name, value);
    return jar;
  }
}

export async function callAuthRoute(
  method: "GET" | "POST",
  route: string,
  opts: { jar?: CookieJar; headers?: Record<string, string>; form?: Record<string, string> } = {},
) {
  const mod = (await import(ROUTE_FILE)) as { GET: RouteHandler; POST: RouteHandler };
  const segments = route.split("/").filter(Boolean);
  const headers = new Headers(opts.headers);
  if (opts.jar) headers.set("cookie", opts.jar.header());
  let body: string | undefined;
  if (opts.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(opts.form).toString();
  }
  const req = new Request(`http://holdfast.test/api/auth/${segments.join("/")}`, { method, headers, body });
  const res = await mod[method](req, { params: Promise.resolve({ nextauth: segments }) });
  opts.jar?.take(res);
  return res;
}

export async function csrfToken(jar: CookieJar, headers: Record<string, string> = {}) {
  const res = await callAuthRoute("GET", "csrf", { jar, headers });
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

/** The `error` next-auth reports in its answer's url (`CredentialsSignin`, `RateLimited`, `EmailSignin`), or null. */
async function answerError(res: Response) {
  const { url } = (await res.json()) as { url: string };
  return new URL(url).searchParams.get("error");
}

/** A staff sign-in through the sign-in form's exact request; on success the jar holds the session cookie. */
export async function signInWithPasswordOverHttp(email: string, password: string, headers: Record<string, string>) {
  const jar = new CookieJar();
  const csrf = await csrfToken(jar, headers);
  const res = await callAuthRoute("POST", "callback/credentials", { jar, headers, form: { csrfToken: csrf, email, password, json: "true" } });
  return { error: await answerError(res), jar };
}

/** A customer asking for a magic link, as the /signin form does. */
export async function requestMagicLinkOverHttp(email: string, headers: Record<string, string>) {
  const jar = new CookieJar();
  const csrf = await csrfToken(jar, headers);
  const res = await callAuthRoute("POST", "signin/email", { jar, headers, form: { csrfToken: csrf, email, callbackUrl: "/my-bookings", json: "true" } });
  return { status: res.status, error: await answerError(res) };
}

/** Sign-out as the admin's "Sign out" button does it (POST with the CSRF token). */
export async function signOutOverHttp(jar: CookieJar, headers: Record<string, string> = {}) {
  const csrf = await csrfToken(jar, headers);
  return callAuthRoute("POST", "signout", { jar, headers, form: { csrfToken: csrf, json: "true" } });
}

export const SESSION_COOKIE = "next-auth.session-token";

/** A session cookie issued with next-auth's own encoder for `token`, as after a sign-in (no sign-in needed). */
export async function sessionCookieFor(token: JWT) {
  return `${SESSION_COOKIE}=${await encode({ token, secret: process.env.AUTH_SECRET! })}`;
}
