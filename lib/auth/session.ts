import { eq } from "drizzle-orm";
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { HoldfastError } from "@/lib/errors";
import { parseCookieHeader } from "./cookies";
import { getAuthOptions } from "./options";
import { isRole, type SessionUser } from "./roles";

export type { SessionUser } from "./roles";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user behind a set of request cookies: next-auth verifies and decodes the session, then the
 * user is read again from the database, so a deleted user or a changed role counts immediately,
 * and a token whose session version is not the row's (issued before a sign-out or a password
 * reset) is nobody's.
 */
async function sessionUserFrom(cookieJar: Record<string, string>, headerBag: Record<string, string>): Promise<SessionUser | null> {
  const noopResponse = { getHeader() {}, setCookie() {}, setHeader() {} };
  const session = await getServerSession({ headers: headerBag, cookies: cookieJar } as never, noopResponse as never, getAuthOptions());
  const id = session?.user?.id;
  if (!id || !UUID_RE.test(id)) return null;
  const [row] = await getDb()
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!row || !isRole(row.role)) return null;
  if ((session?.sessionVersion ?? 1) !== row.sessionVersion) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** The signed-in user of the current request (server components, server actions, route handlers), or null. */
export async function getSessionUser(): Promise<{ id: string; email: string; name: string; role: "admin" | "artist" | "customer" } | null> {
  const cookieStore = await cookies();
  const headerStore = await headers();
  return sessionUserFrom(Object.fromEntries(cookieStore.getAll().map((c) => [c.name, c.value])), Object.fromEntries(headerStore.entries()));
}

/** The same, read from a Request's own headers (route handlers; tests call handlers with plain Requests). */
export async function getSessionUserFromRequest(req: Request): Promise<SessionUser | null> {
  return sessionUserFrom(parseCookieHeader(req.headers.get("cookie")), Object.fromEntries(req.headers.entries()));
}

/** 401 for nobody, 403 for a signed-in non-admin. */
export function assertAdmin(user: SessionUser | null): SessionUser {
  if (!user) throw new HoldfastError("unauthorized", "Sign in as an admin to do this");
  if (user.role !== "admin") throw new HoldfastError("forbidden", "This needs an admin account");
  return user;
}

/** For server actions: the admin behind the request, or a HoldfastError (unauthorized / forbidden). */
export async function requireAdmin(): Promise<SessionUser> {
  return assertAdmin(await getSessionUser());
}
