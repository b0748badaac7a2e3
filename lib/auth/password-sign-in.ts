import bcrypt from "bcryptjs";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { consumeRateLimit, rewardRateLimit } from "@/lib/http/rate-limit";
import { isRole, type SessionUser } from "./roles";

/**
 * A bcrypt hash (cost 12) of a throwaway value: comparing against it when the email is unknown
 * makes "no such user" take as long as "wrong password", so timing does not reveal accounts.
 */
const TIMING_EQUALISER_HASH = "$2b$12$RidFnvjCM/dXl2UJJM8KEOTmqb1kiXDq9iYTrFShPSFZDDMag7fru";
const BCRYPT_COST = 12;

export function normalizeEmail(email: string) {
  return email.normalize("NFKC").trim().toLowerCase();
}

export function hashPassword(password: string) {
  return bcrypt.hash(password, BCRYPT_COST);
}

/**
 * Email + password sign-in for staff (admins and artists). Customers have no password and sign in
 * by magic link. Every attempt counts against the client address, every attempt against the email
 * (a success gives its point back), both shared across instances through Postgres; over either
 * limit the attempt fails with `rate_limited` before any password is checked.
 */
export async function signInWithPassword(db: Executor, input: { email: string; password: string; ip: string }): Promise<SessionUser | null> {
  const email = normalizeEmail(input.email);
  if (!email || !input.password || input.password.length > 200 || email.length > 254) return null;
  await consumeRateLimit("logins_per_ip", input.ip || "unknown");
  await consumeRateLimit("logins_per_email", email);

  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  const staff = user && user.passwordHash && user.role !== "customer" ? user : null;
  const matches = await bcrypt.compare(input.password, staff?.passwordHash ?? TIMING_EQUALISER_HASH);
  if (!staff || !matches || !isRole(staff.role)) return null;
  await rewardRateLimit("logins_per_email", email);
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role };
}
