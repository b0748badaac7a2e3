import { childLogger } from "@/lib/log/logger";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import EmailProvider from "next-auth/providers/email";
import { getDb } from "@/db/client";
import { clientIpFromHeaders } from "@/lib/http/client-info";
import { HoldfastError } from "@/lib/errors";
import { holdfastAuthAdapter } from "./adapter";
import { appUrl } from "@/lib/app-url";
import { getEnv } from "@/lib/env";
import { secureCookiesEnabled } from "./cookies";
import { MAGIC_LINK_MAX_AGE_SECONDS, queueMagicLinkEmail } from "./magic-link";
import { signInWithPassword } from "./password-sign-in";
import { isRole } from "./roles";
import { endUserSessions, sessionVersionOf } from "./session-version";

const log = childLogger("auth");

/** The error code a rate-limited password sign-in reports to the sign-in form. */
export const RATE_LIMITED_SIGN_IN = "RateLimited";
/**
 * Sessions are JWTs; handlers still re-read the user on every request and compare the token's
 * session version with the row, so a removed admin, a sign-out or a password reset ends it at once.
 */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/**
 * next-auth (v4) for Holdfast: staff (admins, artists) sign in with email + password, customers by
 * magic link. Built on first use rather than at import, so the secret and URLs come from the
 * environment the server was started with (npm start generates them for the embedded mode).
 */
export function getAuthOptions(request: { clientIp?: string } = {}): NextAuthOptions {
  const env = getEnv();
  // A write, not a read: next-auth takes its public URL only from NEXTAUTH_URL, and it must be the
  // one URL every other link and the cookie's __Secure- prefix follow (APP_URL), even if set.
  process.env.NEXTAUTH_URL = appUrl();
  return {
    secret: env.AUTH_SECRET,
    useSecureCookies: secureCookiesEnabled(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    adapter: holdfastAuthAdapter(getDb),
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            const user = await signInWithPassword(getDb(), {
              email: credentials?.email ?? "",
              password: credentials?.password ?? "",
              ip: request.clientIp ?? clientIpFromHeaders(req?.headers as Record<string, string | undefined> | undefined),
            });
            return user ? { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion } : null;
          } catch (err) {
            if (err instanceof HoldfastError && err.code === "rate_limited") throw new Error(RATE_LIMITED_SIGN_IN);
            throw err;
          }
        },
      }),
      EmailProvider({
        from: env.MAIL_FROM,
        maxAge: MAGIC_LINK_MAX_AGE_SECONDS,
        async sendVerificationRequest({ identifier, url, expires }) {
          // The route handler builds these options per request and passes the caller's address (see app/api/auth).
          await queueMagicLinkEmail(getDb(), { email: identifier, url, expires, clientIp: request.clientIp ?? "unknown" });
        },
      }),
    ],
    pages: { signIn: "/signin", verifyRequest: "/signin?sent=1", error: "/signin" },
    logger: {
      // An expired or foreign session cookie (e.g. after AUTH_SECRET changed) is simply no session.
      error(code, metadata) {
        if (code === "JWT_SESSION_ERROR") return;
        // next-auth's metadata can hold the address a link was sent to and the link itself: log the error only.
        const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        // A refused sign-in mail is the limit doing its job, not a failure: one line, no stack, so a flood cannot fill the logs.
        if (error instanceof HoldfastError && error.code === "rate_limited") return log.warn({ code }, "sign-in mail refused by a rate limit");
        log.error({ code, ...(error ? { err: error } : {}) }, "next-auth error");
      },
      warn(code) {
        if (code === "DEBUG_ENABLED") return;
        log.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    callbacks: {
      async signIn({ user, account, email }) {
        if (account?.provider !== "email") return true;
        // Magic links are for customers. Staff sign in with their password; for a staff address the
        // answer looks exactly like a sent link (no account enumeration) but nothing is sent.
        const staff = isRole(user.role) && user.role !== "customer";
        if (!staff) return true;
        return email?.verificationRequest ? "/signin?sent=1" : false;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
          token.name = user.name ?? "";
          token.role = isRole(user.role) ? user.role : "customer";
          token.sv = typeof user.sessionVersion === "number" ? user.sessionVersion : 1;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "", role: token.role ?? "customer" };
        session.sessionVersion = sessionVersionOf(token);
        return session;
      },
    },
    events: {
      // Sign-out ends the session on the server too: the JWT in a copied cookie stops working.
      async signOut({ token }) {
        if (token?.sub) await endUserSessions(getDb(), token.sub, sessionVersionOf(token));
      },
    },
  };
}
