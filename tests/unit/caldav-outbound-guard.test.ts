/**
 * The SSRF guard's decisions. If these fail, a hosted Holdfast with CALDAV_BLOCK_PRIVATE=true lets
 * an admin's "Test connection" reach the machine itself, the LAN or the cloud metadata service
 * (169.254.169.254) through some spelling of the address, or takes URLs it should refuse.
 */
import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { calendarAccountSchema } from "@/lib/caldav/test-connection";
import {
  checkOutboundUrl,
  classifyAddress,
  isLocalhostName,
  outboundPolicyFromEnv,
  pinnedLookup,
  serverUrlProblem,
  type HostResolver,
  type OutboundPolicy,
} from "@/lib/caldav/outbound-guard";

const blockPrivate: OutboundPolicy = { allowedHosts: [], blockPrivate: true };
const open: OutboundPolicy = { allowedHosts: [], blockPrivate: false };

/** A resolver that answers from a table and records which names were asked. */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolver: HostResolver = async (host) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolver, asked };
}

describe("classifying addresses", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.10", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fc00::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "ipv4Mapped:loopback"],
    ["::ffff:7f00:1", "ipv4Mapped:loopback"],
    ["::ffff:169.254.169.254", "ipv4Mapped:linkLocal"],
    ["64:ff9b::a00:1", "rfc6052:private"],
    ["2002:c0a8:101::1", "6to4:private"],
  ])("refuses %s (%s)", (address, range) => {
    expect(classifyAddress(address)).toEqual({ public: false, range });
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])(
    "lets the public address %s through",
    (address) => {
      expect(classifyAddress(address).public).toBe(true);
    },
  );

  it("refuses what is not an address at all", () => {
    expect(classifyAddress("cloud.example.com")).toEqual({ public: false, range: "invalid" });
  });

  it("knows the names that always mean this machine", () => {
    for (const name of ["localhost", "LOCALHOST", "localhost.", "api.localhost", "ip6-localhost"]) expect(isLocalhostName(name), name).toBe(true);
    expect(isLocalhostName("localhost.example.com")).toBe(false);
  });
});

describe("checking a URL before anything is sent (CALDAV_BLOCK_PRIVATE=true)", () => {
  // The WHATWG URL parser turns decimal, octal, hex and short IPv4 forms into dotted quads; the
  // guard must see through every one of them, and refuse them without asking DNS.
  it.each([
    "http://127.0.0.1/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://[::1]:5232/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::]/",
    "http://0.0.0.0:8080/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://10.0.0.5/remote.php/dav/",
    "http://localhost:5232/",
    "http://LOCALHOST./",
    "http://caldav.localhost/",
  ])("refuses %s", async (raw) => {
    const dns = fakeDns({});
    await expect(checkOutboundUrl(new URL(raw), blockPrivate, { resolver: dns.resolver })).rejects.toMatchObject({
      name: "OutboundRefusal",
      reason: "private_address",
    });
    expect(dns.asked).toEqual([]);
  });

  it("refuses a name when any one of its addresses is private (the socket may try any of them)", async () => {
    const dns = fakeDns({ "cloud.example.com": ["93.184.215.14", "10.0.0.7"], "v6.example.com": ["2606:4700::1", "::1"] });
    await expect(checkOutboundUrl(new URL("https://cloud.example.com/"), blockPrivate, dns)).rejects.toMatchObject({
      reason: "private_address",
      message: expect.stringContaining("10.0.0.7"),
    });
    await expect(checkOutboundUrl(new URL("https://v6.example.com/"), blockPrivate, dns)).rejects.toMatchObject({ reason: "private_address" });
  });

  it("returns the checked addresses of a public name, for the connection to be pinned to", async () => {
    const dns = fakeDns({ "cloud.example.com": ["93.184.215.14", "2606:4700::1"] });
    expect(await checkOutboundUrl(new URL("https://cloud.example.com/remote.php/dav/"), blockPrivate, dns)).toEqual({
      hostname: "cloud.example.com",
      addresses: [
        { address: "93.184.215.14", family: 4 },
        { address: "2606:4700::1", family: 6 },
      ],
    });
  });

  it("passes a DNS failure on as it is (the client reports it as unreachable)", async () => {
    await expect(checkOutboundUrl(new URL("https://nonexistent.invalid/"), blockPrivate, fakeDns({}))).rejects.toMatchObject({ code: "ENOTFOUND" });
  });
});

describe("checking a URL with the defaults (self-hosters)", () => {
  it("lets loopback and LAN addresses through and leaves DNS to the socket", async () => {
    for (const raw of ["http://127.0.0.1:5232/", "http://localhost/", "http://192.168.1.10/"]) {
      expect(await checkOutboundUrl(new URL(raw), open)).toEqual({ hostname: new URL(raw).hostname, addresses: null });
    }
  });
});

describe("CALDAV_ALLOWED_HOSTS", () => {
  const allowList: OutboundPolicy = { allowedHosts: ["cloud.example.com", "::1"], blockPrivate: false };

  it("refuses every other host, however the allowed one is spelled", async () => {
    await expect(checkOutboundUrl(new URL("https://evil.example.com/"), allowList)).rejects.toMatchObject({
      reason: "not_in_allowed_hosts",
      host: "evil.example.com",
    });
    await expect(checkOutboundUrl(new URL("https://cloud.example.com.evil.net/"), allowList)).rejects.toMatchObject({ reason: "not_in_allowed_hosts" });
    await expect(checkOutboundUrl(new URL("http://127.0.0.1/"), allowList)).rejects.toMatchObject({ reason: "not_in_allowed_hosts" });
    expect((await checkOutboundUrl(new URL("https://Cloud.Example.COM./dav/"), allowList)).hostname).toBe("cloud.example.com");
    expect((await checkOutboundUrl(new URL("http://[::1]:5232/"), allowList)).hostname).toBe("::1");
  });

  it("is read from the environment through lib/env's parser", () => {
    expect(outboundPolicyFromEnv({ CALDAV_ALLOWED_HOSTS: " Cloud.Example.com , dav.example.org ", CALDAV_BLOCK_PRIVATE: "true" })).toEqual({
      allowedHosts: ["cloud.example.com", "dav.example.org"],
      blockPrivate: true,
    });
    expect(outboundPolicyFromEnv({})).toEqual({ allowedHosts: [], blockPrivate: false });
  });
});

describe("the server URL an admin types", () => {
  it.each([
    ["ftp://cloud.example.com/", /https:\/\//],
    ["file:///etc/passwd", /https:\/\//],
    ["javascript:alert(1)", /https:\/\//],
    ["gopher://127.0.0.1:6379/", /https:\/\//],
    ["https://ink:app-password@cloud.example.com/", /username or password/],
    ["https://ink@cloud.example.com/", /username or password/],
  ])("refuses %s with a field error", (serverUrl, message) => {
    expect(serverUrlProblem(serverUrl)).toMatch(message);
    const parsed = calendarAccountSchema.safeParse({ serverUrl, username: "ink", password: "pw" });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues.map((i) => [i.path.join("."), i.message])).toContainEqual(["serverUrl", expect.stringMatching(message)]);
  });

  it("takes ordinary http(s) server URLs", () => {
    for (const serverUrl of ["https://cloud.example.com", "http://192.168.1.10:5232/", "https://cloud.example.com/remote.php/dav/"]) {
      expect(serverUrlProblem(serverUrl)).toBeNull();
      expect(calendarAccountSchema.safeParse({ serverUrl, username: "ink", password: "pw" }).success).toBe(true);
    }
  });
});

describe("pinning the connection to the checked addresses", () => {
  const checked: LookupAddress[] = [
    { address: "93.184.215.14", family: 4 },
    { address: "2606:4700::1", family: 6 },
  ];
  const lookup = pinnedLookup(checked);
  const ask = (options: Parameters<typeof lookup>[1]) =>
    new Promise<{ err: unknown; address: unknown; family: unknown }>((resolve) =>
      lookup("rebound.example.com", options, (err, address, family) => resolve({ err, address, family })),
    );

  it("answers with the checked addresses whatever name is asked (no second DNS lookup to rebind)", async () => {
    expect(await ask({ all: true })).toMatchObject({ err: null, address: checked });
    expect(await ask({})).toMatchObject({ err: null, address: "93.184.215.14", family: 4 });
    expect(await ask({ family: 6 })).toMatchObject({ err: null, address: "2606:4700::1", family: 6 });
    expect(await ask(4)).toMatchObject({ err: null, address: "93.184.215.14" });
  });

  it("fails rather than falling back to DNS when no checked address has the wanted family", async () => {
    const v4only = pinnedLookup([{ address: "93.184.215.14", family: 4 }]);
    const result = await new Promise<unknown>((resolve) => v4only("x", { family: 6 }, (err) => resolve(err)));
    expect(result).toMatchObject({ code: "ENOTFOUND" });
  });
});
