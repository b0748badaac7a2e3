import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";

/**
 * A session token carries the user's session version from its sign-in (next-auth JWTs cannot be
 * recalled); every request compares it with the row. Tokens from before this field existed count
 * as version 1, the column's default, so deploying it signs nobody out.
 */
export function sessionVersionOf(token: { sv?: unknown } | null | undefined): number {
  return typeof token?.sv === "number" && Number.isInteger(token.sv) ? token.sv : 1;
}

/**
 * Ends every session of a user that carries `currentVersion` (sign-out: only when the token is
 * still current, so a stale token cannot sign its owner out of newer sessions). Answers whether
 * the version moved.
 */
export async function endUserSessions(db: Executor, userId: string, currentVersion: number): Promise<boolean> {
  const moved = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.sessionVersion, currentVersion)))
    .returning({ id: users.id });
  return moved.length > 0;
}
