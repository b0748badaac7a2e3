import { handleNextAuthRequest } from "@/lib/auth/next-auth-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth?: string[] }> };

// Options are built per request, with the caller's address for the sign-in limits (see handleNextAuthRequest).
async function handler(req: Request, ctx: Context) {
  const { nextauth } = await ctx.params;
  return handleNextAuthRequest(req, nextauth ?? []);
}

export { handler as GET, handler as POST };
