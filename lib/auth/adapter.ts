import { and, eq, sql } from "drizzle-orm";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import type { Database } from "@/db/client";
import { authVerificationTokens, users, type User } from "@/db/schema";
import { isRole } from "./roles";
import { normalizeEmail } from "./email-address";

function toAdapterUser(row: Pick<User, "id" | "email" | "name" | "role" | "sessionVersion">): AdapterUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name || null,
    emailVerified: null,
    role: isRole(row.role) ? row.role : undefined,
    sessionVersion: row.sessionVersion,
  };
}

/**
 * The smallest next-auth adapter the email (magic link) provider needs with JWT sessions:
 * verification tokens in `auth_verification_tokens` (next-auth stores them hashed) and users in
 * `users`, where a first sign-in creates a customer. No sessions or OAuth accounts are stored.
 */
export function holdfastAuthAdapter(getDb: () => Database): Adapter {
  const selectUser = { id: users.id, email: users.email, name: users.name, role: users.role, sessionVersion: users.sessionVersion };
  return {
    async createVerificationToken(token) {
      await getDb().insert(authVerificationTokens).values({ identifier: token.identifier, token: token.token, expires: token.expires });
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      // Deleting and returning in one statement: a link works exactly once, even when clicked twice at once.
      const [row] = await getDb()
        .delete(authVerificationTokens)
        .where(and(eq(authVerificationTokens.identifier, identifier), eq(authVerificationTokens.token, token)))
        .returning();
      // Expired tokens of anyone are swept on the way.
      await getDb()
        .delete(authVerificationTokens)
        .where(sql`${authVerificationTokens.expires} < now() - interval '1 day'`);
      return row ? { identifier: row.identifier, token: row.token, expires: row.expires } : null;
    },
    async getUserByEmail(email) {
      const [row] = await getDb()
        .select(selectUser)
        .from(users)
        .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`)
        .limit(1);
      return row ? toAdapterUser(row) : null;
    },
    async getUser(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const [row] = await getDb().select(selectUser).from(users).where(eq(users.id, id)).limit(1);
      return row ? toAdapterUser(row) : null;
    },
    async createUser(user: Omit<AdapterUser, "id">) {
      const email = normalizeEmail(user.email);
      await getDb()
        .insert(users)
        .values({ email, name: user.name ?? "", role: "customer" })
        .onConflictDoNothing();
      // Two first sign-ins racing: whichever insert won, both get that one user.
      const [row] = await getDb()
        .select(selectUser)
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`)
        .limit(1);
      return toAdapterUser(row!);
    },
    async updateUser(user) {
      // There is no email_verified column; a magic-link sign-in changes nothing about the user.
      const [row] = await getDb().select(selectUser).from(users).where(eq(users.id, user.id)).limit(1);
      if (!row) throw new Error("That user no longer exists");
      return toAdapterUser(row);
    },
  };
}
