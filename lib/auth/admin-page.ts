import { redirect } from "next/navigation";
import { getSessionUser } from "./session";
import type { SessionUser } from "./roles";

/** A callback path we are willing to send someone back to after sign-in: our own, never another site. */
export function safeCallbackPath(value: string | null | undefined, fallback = "/admin"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}

/**
 * For admin pages (server components): the admin, or a redirect to the admin sign-in (which says
 * "this needs an admin account" to a signed-in customer or artist). Pages call it themselves;
 * a layout's check does not re-run on every client navigation.
 */
export async function requireAdminPage(path: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (user?.role === "admin") return user;
  const params = new URLSearchParams({ callbackUrl: safeCallbackPath(path) });
  if (user) params.set("error", "forbidden");
  redirect(`/admin/signin?${params}`);
}
