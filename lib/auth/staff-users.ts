import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { normalizeEmail } from "./email-address";
import { hashPassword } from "./password-sign-in";

export const MIN_PASSWORD_LENGTH = 12;

export function generatePassword() {
  return randomBytes(15).toString("base64url");
}

/**
 * Creates a staff user (admin or artist) with a password, or — with `resetPassword` — gives an
 * existing one a new password (and the role asked for) and ends all their sessions. Without it an
 * existing user is left alone, so running it twice never changes a password by accident.
 */
export async function upsertStaffUser(
  db: Database,
  input: { email: string; password: string; role: "admin" | "artist"; name?: string; resetPassword?: boolean },
): Promise<"created" | "updated" | "exists"> {
  const email = normalizeEmail(input.email);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new HoldfastError("invalid_input", "That is not an email address", { fields: { email: ["Enter a valid email"] } });
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new HoldfastError("invalid_input", `Use a password of at least ${MIN_PASSWORD_LENGTH} characters`, { fields: { password: ["Too short"] } });
  }
  const hash = await hashPassword(input.password);
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  if (!existing) {
    await db.insert(users).values({ email, name: input.name ?? "", passwordHash: hash, role: input.role });
    return "created";
  }
  if (!input.resetPassword) return "exists";
  // A reset also ends every session of that user: a token issued before it carries the old version.
  await db
    .update(users)
    .set({ passwordHash: hash, role: input.role, sessionVersion: sql`${users.sessionVersion} + 1`, ...(input.name ? { name: input.name } : {}) })
    .where(sql`${users.id} = ${existing.id}`);
  return "updated";
}
