import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request from the environment the server runs with (see getAuthOptions).
async function handler(req: Request, ctx: Context) {
  return NextAuth(req as never, ctx as never, getAuthOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
