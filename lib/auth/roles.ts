export const USER_ROLES = ["admin", "artist", "customer"] as const;
export type Role = (typeof USER_ROLES)[number];

/** The signed-in person as the app sees them; the exact shape `getSessionUser()` returns. */
export type SessionUser = { id: string; email: string; name: string; role: Role };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (USER_ROLES as readonly string[]).includes(value);
}
