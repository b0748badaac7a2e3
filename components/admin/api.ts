import type { BookingSnapshot } from "@/lib/admin/describe-changes";
import type { LastChange } from "@/lib/admin/decide";

export type ApiError = {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
  current?: BookingSnapshot;
  lastChange?: LastChange | null;
  alternatives?: { start: string; end: string }[];
};

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

/** Calls one of our /api/admin routes from the browser; a lapsed session sends the admin to sign in. */
export async function callAdminApi<T>(url: string, init: { method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown } = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: init.body === undefined ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    return { ok: false, status: 0, error: { code: "network", message: "Could not reach the server. Check the connection and try again." } };
  }
  if (res.status === 401) {
    const signIn = new URL("/admin/signin", window.location.origin);
    signIn.searchParams.set("callbackUrl", window.location.pathname + window.location.search);
    window.location.assign(signIn.href);
  }
  const body = (await res.json().catch(() => null)) as ({ error?: ApiError } & T) | null;
  if (!res.ok) return { ok: false, status: res.status, error: body?.error ?? { code: "internal", message: `The server answered ${res.status}` } };
  return { ok: true, data: body as T };
}
