import { CLIENT_IP_HEADER } from "@/lib/http/client-info";

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function read(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The client address from a plain header bag (next-auth hands `authorize` one), with the same
 * rule as `clientInfo`: X-Forwarded-For only when TRUST_PROXY is on, else the socket address our
 * own server put in its header.
 */
export function clientIpFromHeaders(headers: HeaderBag): string {
  const trustProxy = ["1", "true", "yes", "on"].includes((process.env.TRUST_PROXY ?? "").toLowerCase());
  const forwarded = trustProxy ? read(headers, "x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  return forwarded || read(headers, CLIENT_IP_HEADER) || "unknown";
}
