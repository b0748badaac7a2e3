import type { Role } from "./roles";

// What Holdfast keeps in next-auth's JWT and session: the user id (`sub`), role and session
// version (`sv`). The role in the token is only a hint for the proxy; handlers re-read the user
// from the database and refuse a token whose session version is not the row's.
declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
    sessionVersion?: number;
  }
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    sv?: number;
  }
}
