/**
 * Where Holdfast may send a CalDAV request (SSRF guard). An admin types the server URL, so without
 * a guard "Test connection" can probe the studio's own network and send the app password wherever
 * the server points. This module decides, for one URL, whether it may be contacted at all and
 * which IP addresses the socket may connect to; caldav-client.ts applies it to every request
 * (test connection, linking, push, pull) and keeps requests on the origin the admin entered.
 *
 * - CALDAV_ALLOWED_HOSTS (host names, empty = any) is checked on the URL's host name.
 * - CALDAV_BLOCK_PRIVATE=true refuses loopback, private (RFC 1918, ULA), link-local (incl. the
 *   cloud metadata address 169.254.169.254), CGNAT, unspecified, multicast and other special
 *   ranges. The name is resolved here, every address must pass, and the connection then goes to
 *   exactly those addresses (pinnedLookup), so a DNS answer that changes between the check and the
 *   connect (DNS rebinding) cannot reach a refused address.
 * Both are off by default: self-hosters often run Nextcloud on the same machine or LAN.
 */
import dns from "node:dns";
import type { LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";
import { readEnv, type EnvSource } from "@/lib/env";

export type OutboundPolicy = {
  /** Lower-case host names; empty = any host. */
  allowedHosts: readonly string[];
  blockPrivate: boolean;
};

export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: HostResolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * The policy in force (or the one `source` describes). Read with readEnv rather than getEnv():
 * the CalDAV client also runs in scripts (bench, tests) that do not have the whole app configuration.
 */
export function outboundPolicyFromEnv(source?: EnvSource): OutboundPolicy {
  const env = readEnv(["CALDAV_ALLOWED_HOSTS", "CALDAV_BLOCK_PRIVATE"], source);
  return { allowedHosts: env.CALDAV_ALLOWED_HOSTS.map(normalizeHostname), blockPrivate: env.CALDAV_BLOCK_PRIVATE };
}

/** Host name as compared and resolved: lower case, no IPv6 brackets, no trailing root dot. */
export function normalizeHostname(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

export type AddressClass = { public: boolean; range: string };

/**
 * Whether an IP address is an ordinary public unicast address. IPv6 forms that carry an IPv4
 * address (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated, NAT64 64:ff9b::/96, 6to4) are judged by
 * that IPv4 address; anything ipaddr.js does not call "unicast" is refused.
 */
export function classifyAddress(address: string): AddressClass {
  const text = normalizeHostname(address);
  if (!ipaddr.isValid(text)) return { public: false, range: "invalid" };
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === "ipv4") {
    const range = (parsed as ipaddr.IPv4).range();
    return { public: range === "unicast", range };
  }
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const embedded = embeddedIPv4(v6, range);
  if (embedded) {
    const inner = embedded.range();
    return { public: inner === "unicast", range: `${range}:${inner}` };
  }
  return { public: range === "unicast", range };
}

function embeddedIPv4(v6: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const p = v6.parts;
  if (range === "ipv4Mapped" || range === "rfc6145" || (range === "rfc6052" && p[0] === 0x64 && p[1] === 0xff9b && p[2] === 0)) {
    return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
  }
  if (range === "6to4") return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]);
  return null;
}

/** Names that always mean this machine (RFC 6761), refused without asking DNS. */
export function isLocalhostName(hostname: string): boolean {
  const host = normalizeHostname(hostname);
  return host === "localhost" || host.endsWith(".localhost") || host === "localhost.localdomain" || host === "ip6-localhost" || host === "ip6-loopback";
}

/** Why a URL typed by the admin cannot be used at all (a 400 field error), or null when it can. */
export function serverUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL like https://cloud.example.com";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https:// (or http:// on a private network)";
  if (url.username || url.password) return "must not contain a username or password; enter them in the fields below";
  if (!url.hostname) return "must name a server, like https://cloud.example.com";
  return null;
}

export type OutboundRefusalReason = "scheme" | "credentials_in_url" | "not_in_allowed_hosts" | "private_address";

/** The guard said no; nothing was sent. */
export class OutboundRefusal extends Error {
  readonly reason: OutboundRefusalReason;
  readonly host: string;

  constructor(reason: OutboundRefusalReason, host: string, message: string) {
    super(message);
    this.name = "OutboundRefusal";
    this.reason = reason;
    this.host = host;
  }
}

/** What a request to a URL may connect to: `addresses` null = resolve normally (no address rule). */
export type OutboundTarget = { hostname: string; addresses: LookupAddress[] | null };

/**
 * Checks `url` against the policy, resolving its name when addresses matter. Throws
 * OutboundRefusal when the policy forbids it, and the resolver's own error (ENOTFOUND, …) when the
 * name does not resolve. `signal` bounds the DNS lookup as well.
 */
export async function checkOutboundUrl(
  url: URL,
  policy: OutboundPolicy,
  opts: { resolver?: HostResolver; signal?: AbortSignal } = {},
): Promise<OutboundTarget> {
  const hostname = normalizeHostname(url.hostname);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new OutboundRefusal("scheme", hostname, `${url.protocol} URLs are not CalDAV`);
  if (url.username || url.password) throw new OutboundRefusal("credentials_in_url", hostname, "URLs with a username or password in them are refused");
  if (policy.allowedHosts.length > 0 && !policy.allowedHosts.includes(hostname)) {
    throw new OutboundRefusal("not_in_allowed_hosts", hostname, `${hostname} is not in CALDAV_ALLOWED_HOSTS`);
  }
  // A test resolver is honoured even with the address rule off, so pinning itself can be tested.
  if (!policy.blockPrivate && !opts.resolver) return { hostname, addresses: null };

  const refusePrivate = (what: string) =>
    new OutboundRefusal("private_address", hostname, `${what} is a loopback, private or link-local address (CALDAV_BLOCK_PRIVATE=true)`);
  if (ipaddr.isValid(hostname)) {
    const verdict = classifyAddress(hostname);
    if (policy.blockPrivate && !verdict.public) throw refusePrivate(hostname);
    return { hostname, addresses: [{ address: hostname, family: hostname.includes(":") ? 6 : 4 }] };
  }
  if (policy.blockPrivate && isLocalhostName(hostname)) throw refusePrivate(hostname);

  const addresses = await withSignal((opts.resolver ?? systemResolver)(hostname), opts.signal);
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no addresses`), { code: "ENOTFOUND" });
  if (policy.blockPrivate) {
    // Every address, not just the first: the socket may try any of them (happy eyeballs).
    const refused = addresses.find((a) => !classifyAddress(a.address).public);
    if (refused) throw refusePrivate(`${hostname} (${refused.address})`);
  }
  return { hostname, addresses };
}

function withSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/http that answers only with the addresses that were checked, whatever DNS
 * says now, so the socket connects to what the guard approved.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]) {
  return (_hostname: string, options: dns.LookupOptions | number | undefined, callback: LookupCallback): void => {
    const opts: dns.LookupOptions = typeof options === "number" ? { family: options } : (options ?? {});
    const family = opts.family === 4 || opts.family === "IPv4" ? 4 : opts.family === 6 || opts.family === "IPv6" ? 6 : 0;
    const candidates = family ? addresses.filter((a) => a.family === family) : [...addresses];
    if (candidates.length === 0) {
      callback(Object.assign(new Error(`no checked IPv${family} address`), { code: "ENOTFOUND" }), opts.all ? [] : "", family);
      return;
    }
    if (opts.all) callback(null, candidates);
    else callback(null, candidates[0]!.address, candidates[0]!.family);
  };
}
