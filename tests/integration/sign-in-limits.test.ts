/**
 * Issue 8, items 3, 4 and 5, over HTTP: the real next-auth route handler and the public routes,
 * called with Requests that carry X-Forwarded-For as the studio's proxy would (TRUST_PROXY=1).
 * - sign-in mails: per client address, per mailbox (+tag and case folded) and an hourly ceiling;
 * - password guesses from many addresses never lock the admin out;
 * - a client's own (leftmost) X-Forwarded-For entry picks neither its rate-limit key nor its audit IP.
 */
import path from "node:path";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { bookingEvents, notifications } from "@/db/schema";
import { EMAIL_UNDER_ATTACK_DELAY_MS } from "@/lib/auth/password-sign-in";
import { upsertStaffUser } from "@/lib/auth/staff-users";
import { MAGIC_LINK_KIND } from "@/lib/auth/magic-link";
import { resetEnvCache } from "@/lib/env";
import { rateLimitUsage } from "@/lib/http/rate-limit";
import { SESSION_COOKIE, requestMagicLinkOverHttp, signInWithPasswordOverHttp } from "../support/auth-http";
import { closeDb, createTestArtist, futureSlot, useTestDatabase } from "../support/test-db";

const ROOT = path.resolve(import.meta.dirname, "../..");
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: Database;
beforeAll(() => {
  // The e2e server's setting: one proxy of ours in front, so its entry (the rightmost) is the client.
  process.env.TRUST_PROXY = "1";
  resetEnvCache();
  db = useTestDatabase();
});
afterAll(async () => {
  await closeDb();
});

const tag = () => crypto.randomUUID().slice(0, 8);
/** A fresh address per simulated customer (198.18.0.0/15 is for tests), as the e2e suite's uniqueClientIp does. */
function clientIp() {
  const n = Number.parseInt(crypto.randomUUID().slice(0, 6), 16);
  return `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
}
const via = (ip: string) => ({ "x-forwarded-for": ip, "user-agent": "vitest-sign-in-limits" });

async function queuedMailsTo(recipients: string[]) {
  const rows = await db
    .select({ recipient: notifications.recipient })
    .from(notifications)
    .where(and(eq(notifications.kind, MAGIC_LINK_KIND), inArray(notifications.recipient, recipients)));
  return rows.length;
}

describe("sign-in mails (magic links) are limited per client, per mailbox and in total", () => {
  it("sends at most 10 links an hour to one client address, however many addresses it asks for", async () => {
    // Before: 40 addresses from one IP were all sent (only a per-address limit existed).
    const ip = clientIp();
    const domain = `flood-${tag()}.test`;
    const emails = Array.from({ length: 40 }, (_, i) => `victim${i}@${domain}`);
    const answers = [];
    for (const email of emails) answers.push(await requestMagicLinkOverHttp(email, via(ip)));
    expect(await queuedMailsTo(emails)).toBe(10);
    expect(answers.slice(0, 10).every((a) => a.error === null)).toBe(true);
    // The form then says "we could not send a link just now".
    expect(answers.slice(10).every((a) => a.error === "EmailSignin")).toBe(true);
    // Another customer behind the same proxy is not affected.
    expect((await requestMagicLinkOverHttp(`bystander@${domain}`, via(clientIp()))).error).toBeNull();
  });

  it("counts a+1@x and A+2@X as one mailbox: +tags and case do not buy more mails to one inbox", async () => {
    const domain = `tags-${tag()}.test`;
    const variants = ["a+1@", "A+2@", "a+3@", "A@", "a+x@", "a+6@", "A+7@"].map((local) => `${local}${domain.toUpperCase()}`);
    for (const email of variants) await requestMagicLinkOverHttp(email, via(clientIp()));
    const sent = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.kind, MAGIC_LINK_KIND), like(notifications.recipient, `%@${domain}`)));
    expect(sent).toHaveLength(5);
    // A different mailbox at the same domain still gets its link.
    expect((await requestMagicLinkOverHttp(`b+1@${domain}`, via(clientIp()))).error).toBeNull();
  });

  it("stops all sign-in mails at the hourly ceiling (RATE_LIMIT_SIGNIN_MAILS_PER_HOUR), whoever asks", async () => {
    const { used } = await rateLimitUsage("signin_mails_total", "all");
    process.env.RATE_LIMIT_SIGNIN_MAILS_PER_HOUR = String(used + 3);
    resetEnvCache();
    try {
      const domain = `ceiling-${tag()}.test`;
      const emails = Array.from({ length: 5 }, (_, i) => `c${i}@${domain}`);
      const answers = [];
      for (const email of emails) answers.push(await requestMagicLinkOverHttp(email, via(clientIp())));
      expect(await queuedMailsTo(emails)).toBe(3);
      expect(answers.map((a) => a.error)).toEqual([null, null, null, "EmailSignin", "EmailSignin"]);
    } finally {
      delete process.env.RATE_LIMIT_SIGNIN_MAILS_PER_HOUR;
      resetEnvCache();
    }
  });
});

describe("password sign-in cannot be used to lock an admin out", () => {
  it("signs the admin in from an 11th address after 10 wrong passwords from 10 others (slowed down, not refused)", async () => {
    // Before: the 10 guesses spent the email's points and the right password got "RateLimited" for 15 minutes.
    const email = `locked-out-${tag()}@studio.test`;
    await upsertStaffUser(db, { email, password: "the real password", role: "admin" });
    for (let i = 0; i < 10; i += 1) expect((await signInWithPasswordOverHttp(email, `guess ${i}`, via(clientIp()))).error).toBe("CredentialsSignin");
    const started = Date.now();
    const { error, jar } = await signInWithPasswordOverHttp(email, "the real password", via(clientIp()));
    expect(error).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(EMAIL_UNDER_ATTACK_DELAY_MS - 50);
    // The session works on an admin route.
    const { GET } = (await import(path.join(ROOT, "app/api/admin/summary/route.ts"))) as { GET: Handler };
    expect(jar.get(SESSION_COOKIE)).toBeTruthy();
    const res = await GET(new Request("http://holdfast.test/api/admin/summary", { headers: { cookie: jar.header() } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
  });

  it("still refuses the one address that made the 10 guesses, for that email", async () => {
    const email = `guesser-${tag()}@studio.test`;
    const ip = clientIp();
    await upsertStaffUser(db, { email, password: "the real password", role: "admin" });
    for (let i = 0; i < 10; i += 1) expect((await signInWithPasswordOverHttp(email, `guess ${i}`, via(ip))).error).toBe("CredentialsSignin");
    expect((await signInWithPasswordOverHttp(email, "the real password", via(ip))).error).toBe("RateLimited");
  });
});

describe("a spoofed X-Forwarded-For entry", () => {
  it("changes neither the rate-limit key nor the audit IP: both are the address our proxy appended", async () => {
    // Before: the leftmost entry (written by the client) was taken, so rotating it bypassed every per-IP limit.
    const { artist, service } = await createTestArtist(db);
    const { POST } = (await import(path.join(ROOT, "app/api/holds/route.ts"))) as { POST: Handler };
    const real = clientIp();
    const spoofs = [clientIp(), clientIp(), clientIp()];
    const holdIds: string[] = [];
    for (const [i, spoof] of spoofs.entries()) {
      const req = new Request("http://holdfast.test/api/holds", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `${spoof}, ${real}`, "x-holdfast-client-ip": "10.0.0.1" },
        body: JSON.stringify({ artist: artist.slug, service: service.slug, start: futureSlot(10 + i, "10:00").toISOString() }),
      });
      const res = await POST(req, { params: Promise.resolve({}) });
      expect(res.status).toBe(201);
      holdIds.push(((await res.json()) as { hold: { id: string } }).hold.id);
    }
    const candidates = [real, ...spoofs].map((ip) => sql`${`holds_per_ip:${ip}`}`);
    const keys = await db.execute<{ key: string; points: number }>(sql`select key, points from rate_limits where key in (${sql.join(candidates, sql`, `)})`);
    expect(keys.rows).toEqual([{ key: `holds_per_ip:${real}`, points: 3 }]);
    const audit = await db.select({ ip: bookingEvents.ip }).from(bookingEvents).where(inArray(bookingEvents.bookingId, holdIds));
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(new Set(audit.map((a) => a.ip))).toEqual(new Set([real]));
  });

  it("does not move a sign-in attempt to another address's count either", async () => {
    const real = clientIp();
    const spoof = clientIp();
    await signInWithPasswordOverHttp(`nobody-${tag()}@studio.test`, "x", { "x-forwarded-for": `${spoof}, ${real}` });
    const keys = await db.execute<{ key: string }>(sql`select key from rate_limits where key in (${`logins_per_ip:${real}`}, ${`logins_per_ip:${spoof}`})`);
    expect(keys.rows.map((r) => r.key)).toEqual([`logins_per_ip:${real}`]);
  });
});
