import ipaddr from "ipaddr.js";
import type { Actor, ActorKind } from "@/lib/bookings/audit-context";
import { getEnv } from "@/lib/env";

/** Set by our own server from the socket address (scripts/serve.ts); any incoming copy is dropped there. */
export const CLIENT_IP_HEADER = "x-holdfast-client-ip";

export type ClientInfo = { ip: string; userAgent: string | null };

/** Request headers as the different callers hold them: a Fetch `Headers`, or next-auth's plain object. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined> | null | undefined;

function readHeader(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  // Next's ReadonlyHeaders and the Fetch Headers both have get(); next-auth hands over a plain object.
  if (typeof headers.get === "function") return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const value = bag[name] ?? bag[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * One address in its canonical form (IPv6 compressed and lower-case, IPv4-mapped IPv6 as IPv4, a
 * port or brackets dropped), or null when the text is not an IP address. Canonical, so that
 * `2001:DB8:0::1` and `2001:db8::1` are one rate-limit key.
 */
export function normalizeIpAddress(raw: string): string | null {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (!ipaddr.IPv4.isValidFourPartDecimal(value) && !ipaddr.IPv6.isValid(value)) return null;
  return ipaddr.process(value).toString();
}

/**
 * The client address from an X-Forwarded-For value, given how many proxies of ours (`trustedHops`)
 * sit in front of the app. Each proxy appends the address it got the request from, so only the
 * rightmost `trustedHops` entries were written by us; everything to their left is whatever the
 * client sent. We take the Nth entry from the right. When there are fewer entries than hops the
 * request skipped some of our proxies, and only the rightmost entry is certainly ours, so that one
 * is taken. Null when proxies are not trusted, the header is missing, or the chosen entry is not an
 * IP address (the caller then falls back to the socket address).
 */
export function forwardedClientIp(forwardedFor: string | null | undefined, trustedHops: number): string | null {
  if (!forwardedFor || !Number.isInteger(trustedHops) || trustedHops < 1) return null;
  const entries = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const chosen = entries.length >= trustedHops ? entries[entries.length - trustedHops]! : entries[entries.length - 1]!;
  return normalizeIpAddress(chosen);
}

/**
 * The one rule for "who is calling", for route handlers, server actions and next-auth alike: with
 * TRUST_PROXY=N the address our proxies put into X-Forwarded-For, else (or when that entry is no
 * address) the socket address our own server wrote into its header; "unknown" without either.
 */
export function clientIpFromHeaders(headers: HeaderBag, trustedHops: number = getEnv().TRUST_PROXY): string {
  const forwarded = forwardedClientIp(readHeader(headers, "x-forwarded-for"), trustedHops);
  if (forwarded) return forwarded;
  const socket = readHeader(headers, CLIENT_IP_HEADER)?.trim();
  if (!socket) return "unknown";
  return normalizeIpAddress(socket) ?? socket;
}

export function clientInfo(req: Pick<Request, "headers">): ClientInfo {
  return { ip: clientIpFromHeaders(req.headers), userAgent: req.headers.get("user-agent") };
}

export function actorFrom(client: ClientInfo, kind: ActorKind, id?: string | null): Actor {
  return { kind, id: id ?? null, ip: client.ip, userAgent: client.userAgent };
}
