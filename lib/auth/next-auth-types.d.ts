import type { Role } from "./roles";

// What Holdfast keeps in next-auth's JWT and session: the user id (`sub`) and role. The role in
// the token is only a hint for the proxy; handlers re-read the user from the database.
declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}
