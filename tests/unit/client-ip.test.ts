import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIpFromHeaders, forwardedClientIp, normalizeIpAddress } from "@/lib/http/client-info";

// If these fail, a client behind the studio's proxy picks its own rate-limit key and its own
// audit address by sending an X-Forwarded-For header, or every customer shares one key.
describe("forwardedClientIp (TRUST_PROXY=N: the Nth entry from the right)", () => {
  it("takes the only entry with one trusted proxy (the e2e server's case)", () => {
    expect(forwardedClientIp("203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("takes the rightmost entry, not the leftmost the client wrote itself, with one proxy", () => {
    expect(forwardedClientIp("6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(forwardedClientIp("1.1.1.1, 2.2.2.2, 6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("ignores spaces and empty entries around the commas", () => {
    expect(forwardedClientIp("  6.6.6.6 ,203.0.113.7  ", 1)).toBe("203.0.113.7");
    expect(forwardedClientIp("6.6.6.6,,  203.0.113.7 ,", 1)).toBe("203.0.113.7");
  });

  it("takes the Nth from the right with N hops (client, then what each of our proxies appended)", () => {
    // client-supplied spoof, real client (appended by the CDN), the CDN (appended by the load balancer)
    expect(forwardedClientIp("6.6.6.6, 203.0.113.7, 198.51.100.1", 2)).toBe("203.0.113.7");
    expect(forwardedClientIp("6.6.6.6, 203.0.113.7, 198.51.100.1, 198.51.100.2", 3)).toBe("203.0.113.7");
  });

  it("with fewer entries than hops takes the rightmost, the one entry our nearest proxy certainly wrote", () => {
    expect(forwardedClientIp("203.0.113.7", 2)).toBe("203.0.113.7");
    expect(forwardedClientIp("6.6.6.6, 203.0.113.7", 3)).toBe("203.0.113.7");
  });

  it("reads IPv6 entries in one canonical form (with or without brackets and port)", () => {
    expect(forwardedClientIp("2001:DB8:0:0::1", 1)).toBe("2001:db8::1");
    expect(forwardedClientIp("6.6.6.6, [2001:db8::1]:4711", 1)).toBe("2001:db8::1");
    expect(forwardedClientIp("::ffff:203.0.113.7", 1)).toBe("203.0.113.7");
    expect(forwardedClientIp("203.0.113.7:51234", 1)).toBe("203.0.113.7");
  });

  it("answers null for garbage in the trusted entry, and ignores garbage to its left", () => {
    expect(forwardedClientIp("not-an-ip, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(forwardedClientIp("203.0.113.7, unknown", 1)).toBeNull();
    expect(forwardedClientIp("<script>", 1)).toBeNull();
    expect(forwardedClientIp("999.1.1.1", 1)).toBeNull();
    expect(forwardedClientIp("127.1", 1)).toBeNull();
    expect(forwardedClientIp(" , ", 1)).toBeNull();
  });

  it("answers null when proxies are not trusted or there is no header", () => {
    expect(forwardedClientIp("203.0.113.7", 0)).toBeNull();
    expect(forwardedClientIp(null, 1)).toBeNull();
    expect(forwardedClientIp("", 1)).toBeNull();
  });
});

describe("clientIpFromHeaders (the one rule for the whole app)", () => {
  const socket = { [CLIENT_IP_HEADER]: "::ffff:10.0.0.5" };

  it("uses the socket address our server wrote when proxies are not trusted, whatever X-Forwarded-For says", () => {
    expect(clientIpFromHeaders(new Headers({ ...socket, "x-forwarded-for": "6.6.6.6" }), 0)).toBe("10.0.0.5");
  });

  it("uses the forwarded address with a trusted proxy, from Headers and from next-auth's plain objects alike", () => {
    expect(clientIpFromHeaders(new Headers({ ...socket, "x-forwarded-for": "6.6.6.6, 203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientIpFromHeaders({ ...socket, "x-forwarded-for": "6.6.6.6, 203.0.113.7" }, 1)).toBe("203.0.113.7");
    expect(clientIpFromHeaders({ ...socket, "x-forwarded-for": ["6.6.6.6", "203.0.113.7"] }, 1)).toBe("203.0.113.7");
  });

  it("falls back to the socket address when the trusted entry is garbage, and to 'unknown' without either", () => {
    expect(clientIpFromHeaders(new Headers({ ...socket, "x-forwarded-for": "203.0.113.7, garbage" }), 1)).toBe("10.0.0.5");
    expect(clientIpFromHeaders(new Headers(), 1)).toBe("unknown");
    expect(clientIpFromHeaders(undefined, 0)).toBe("unknown");
  });
});

describe("normalizeIpAddress", () => {
  it("gives one key per address", () => {
    expect(normalizeIpAddress("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(normalizeIpAddress("[::1]")).toBe("::1");
    expect(normalizeIpAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeIpAddress("192.0.2.1-x")).toBeNull();
  });
});
