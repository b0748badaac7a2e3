import { setTimeout as sleep } from "node:timers/promises";
import bcrypt from "bcryptjs";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { assertUnderRateLimit, clearRateLimit, consumeRateLimit, rateLimitUsage, recordRateLimitFailure } from "@/lib/http/rate-limit";
import { normalizeEmail } from "./email-address";
import { isRole, type SessionUser } from "./roles";

export { normalizeEmail } from "./email-address";

/**
 * A bcrypt hash (cost 12) of a throwaway value: comparing against it when the email is unknown
 * makes "no such user" take as long as "wrong password", so timing does not reveal accounts.
 */
const TIMING_EQUALISER_HASH = "$2b$12$RidFnvjCM/dXl2UJJM8KEOTmqb1kiXDq9iYTrFShPSFZDDMag7fru";
const BCRYPT_COST = 12;
/** How long every attempt at an email waits once that email saw too many failures from anywhere. */
export const EMAIL_UNDER_ATTACK_DELAY_MS = 1500;

export function hashPassword(password: string) {
  return bcrypt.hash(password, BCRYPT_COST);
}

/** A staff user as a successful sign-in hands them to next-auth: the session version goes into the JWT. */
export type SignedInStaff = SessionUser & { sessionVersion: number };

/**
 * Email + password sign-in for staff (admins and artists). Customers have no password and sign in
 * by magic link. All counters live in Postgres, shared across instances:
 * - every attempt counts against the client address (a sprayer is refused whatever the emails);
 * - failed attempts count against that address *and* email: over the limit this address is
 *   refused for this email, and a right password from it clears its count;
 * - failed attempts also count against the email from anywhere, but over that limit attempts are
 *   only slowed down: refusing there would let anyone lock an admin out by guessing from many
 *   addresses, so a right password from an address without failures always gets in.
 */
export async function signInWithPassword(db: Executor, input: { email: string; password: string; ip: string }): Promise<SignedInStaff | null> {
  const email = normalizeEmail(input.email);
  if (!email || !input.password || input.password.length > 200 || email.length > 254) return null;
  const ip = input.ip || "unknown";
  const addressAndEmail = `${ip}|${email}`;
  await consumeRateLimit("logins_per_ip", ip);
  await assertUnderRateLimit("login_failures_per_ip_email", addressAndEmail);
  const emailWide = await rateLimitUsage("login_failures_per_email", email);
  if (emailWide.used >= emailWide.points) await sleep(EMAIL_UNDER_ATTACK_DELAY_MS);

  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, passwordHash: users.passwordHash, sessionVersion: users.sessionVersion })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  const staff = user && user.passwordHash && user.role !== "customer" ? user : null;
  const matches = await bcrypt.compare(input.password, staff?.passwordHash ?? TIMING_EQUALISER_HASH);
  if (!staff || !matches || !isRole(staff.role)) {
    await recordRateLimitFailure("login_failures_per_ip_email", addressAndEmail);
    await recordRateLimitFailure("login_failures_per_email", email);
    return null;
  }
  await clearRateLimit("login_failures_per_ip_email", addressAndEmail);
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role, sessionVersion: staff.sessionVersion };
}
