import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, users } from "@/db/schema";
import { holdfastAuthAdapter } from "@/lib/auth/adapter";
import { queueMagicLinkEmail } from "@/lib/auth/magic-link";
import { EMAIL_UNDER_ATTACK_DELAY_MS, signInWithPassword } from "@/lib/auth/password-sign-in";
import { upsertStaffUser } from "@/lib/auth/staff-users";
import { HoldfastError } from "@/lib/errors";
import { uniqueTag, setupTestDatabase } from "../support/test-db";

const db = setupTestDatabase();

const ip = () => `192.0.2.${Math.floor(Math.random() * 250) + 1}-${uniqueTag()}`;

describe("staff sign-in with a password", () => {
  it("signs in an admin by email (any case) and password, and nobody with a wrong one", async () => {
    const email = `Admin.${uniqueTag()}@Studio.test`;
    expect(await upsertStaffUser(db, { email, password: "correct horse battery", role: "admin", name: "Ana" })).toBe("created");
    const user = await signInWithPassword(db, { email: email.toUpperCase(), password: "correct horse battery", ip: ip() });
    expect(user).toEqual({ id: expect.any(String), email: email.toLowerCase(), name: "Ana", role: "admin", sessionVersion: 1 });
    expect(await signInWithPassword(db, { email, password: "correct horse battery!", ip: ip() })).toBeNull();
    expect(await signInWithPassword(db, { email: `nobody-${uniqueTag()}@studio.test`, password: "x", ip: ip() })).toBeNull();
  });

  it("never lets a customer (no password) sign in with one", async () => {
    const email = `customer-${uniqueTag()}@example.com`;
    await db.insert(users).values({ email, role: "customer" });
    expect(await signInWithPassword(db, { email, password: "", ip: ip() })).toBeNull();
    expect(await signInWithPassword(db, { email, password: "anything", ip: ip() })).toBeNull();
  });

  it("refuses an address after 10 failed guesses at one email, even with the right password; a success clears its count", async () => {
    const email = `target-${uniqueTag()}@studio.test`;
    const from = ip();
    await upsertStaffUser(db, { email, password: "the real password", role: "admin" });
    for (let i = 0; i < 9; i += 1) expect(await signInWithPassword(db, { email, password: `guess ${i}`, ip: from })).toBeNull();
    // The admin's own typo streak ends with the right password: the count of this address starts again.
    expect(await signInWithPassword(db, { email, password: "the real password", ip: from })).not.toBeNull();
    for (let i = 0; i < 10; i += 1) expect(await signInWithPassword(db, { email, password: `guess ${i}`, ip: from })).toBeNull();
    const locked = signInWithPassword(db, { email, password: "the real password", ip: from });
    await expect(locked).rejects.toBeInstanceOf(HoldfastError);
    await expect(locked).rejects.toMatchObject({ code: "rate_limited", headers: { "retry-after": expect.any(String) } });
  });

  it("never locks an admin out because of guesses from other addresses: it only slows every attempt down", async () => {
    // The attack of issue 8: 10 wrong passwords from rotating addresses used to lock the right one out for 15 minutes.
    const email = `rotating-${uniqueTag()}@studio.test`;
    await upsertStaffUser(db, { email, password: "the real password", role: "admin" });
    for (let i = 0; i < 12; i += 1) expect(await signInWithPassword(db, { email, password: `guess ${i}`, ip: ip() })).toBeNull();
    const started = Date.now();
    expect(await signInWithPassword(db, { email, password: "the real password", ip: ip() })).toEqual(expect.objectContaining({ email }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(EMAIL_UNDER_ATTACK_DELAY_MS - 50);
  });

  it("locks an address after 30 attempts in 15 minutes, whatever the emails", async () => {
    const from = ip();
    for (let i = 0; i < 30; i += 1) await signInWithPassword(db, { email: `spray-${i}-${uniqueTag()}@studio.test`, password: "x", ip: from });
    await expect(signInWithPassword(db, { email: `spray-last-${uniqueTag()}@studio.test`, password: "x", ip: from })).rejects.toMatchObject({
      code: "rate_limited",
    });
  });

  it("creates, leaves alone and resets staff logins (the production CLI); a reset ends the user's sessions", async () => {
    const email = `cli-${uniqueTag()}@studio.test`;
    expect(await upsertStaffUser(db, { email, password: "first password!", role: "artist" })).toBe("created");
    expect(await upsertStaffUser(db, { email, password: "second password!", role: "admin" })).toBe("exists");
    expect(await signInWithPassword(db, { email, password: "first password!", ip: ip() })).toEqual(expect.objectContaining({ role: "artist" }));
    expect(await upsertStaffUser(db, { email, password: "second password!", role: "admin", resetPassword: true })).toBe("updated");
    expect(await signInWithPassword(db, { email, password: "second password!", ip: ip() })).toEqual(
      expect.objectContaining({ role: "admin", sessionVersion: 2 }),
    );
    await expect(upsertStaffUser(db, { email, password: "short", role: "admin" })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("customers' magic links", () => {
  it("uses a verification token exactly once", async () => {
    const adapter = holdfastAuthAdapter(() => db);
    const identifier = `once-${uniqueTag()}@example.com`;
    await adapter.createVerificationToken!({ identifier, token: "hashed-token", expires: new Date(Date.now() + 60_000) });
    expect(await adapter.useVerificationToken!({ identifier, token: "hashed-token" })).toEqual(expect.objectContaining({ identifier, token: "hashed-token" }));
    expect(await adapter.useVerificationToken!({ identifier, token: "hashed-token" })).toBeNull();
  });

  it("makes a first-time customer a customer user, and finds them again by email in any case", async () => {
    const adapter = holdfastAuthAdapter(() => db);
    const email = `new-${uniqueTag()}@example.com`;
    const created = await adapter.createUser!({ email: email.toUpperCase(), emailVerified: new Date() } as never);
    expect(created).toEqual(expect.objectContaining({ email, role: "customer" }));
    expect((await adapter.getUserByEmail!(email.toUpperCase()))?.id).toBe(created.id);
    expect((await adapter.getUser!(created.id))?.email).toBe(email);
    const [row] = await db.select().from(users).where(eq(users.id, created.id));
    expect(row!.passwordHash).toBeNull();
  });

  it("queues the link as an outbox message with a delivery job, so it is never lost", async () => {
    const email = `link-${uniqueTag()}@example.com`;
    const id = await queueMagicLinkEmail(db, {
      email,
      url: "http://holdfast.test/api/auth/callback/email?token=abc&email=x",
      expires: new Date(Date.now() + 3_600_000),
      clientIp: ip(),
    });
    const [n] = await db.select().from(notifications).where(eq(notifications.id, id));
    expect(n).toEqual(expect.objectContaining({ kind: "magic_link", recipient: email, status: "queued", bookingId: null }));
    expect(n!.textBody).toContain("http://holdfast.test/api/auth/callback/email?token=abc&email=x");
    const jobs = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where key = ${`notification:${id}`}`);
    expect(jobs.rows[0]!.n).toBe(1);
  });
});
