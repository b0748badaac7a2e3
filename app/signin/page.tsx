import type { Metadata } from "next";
import Link from "next/link";
import { safeCallbackPath } from "@/lib/auth/admin-page";
import { getSessionUser } from "@/lib/auth/session";
import { CustomerSignInForm } from "./customer-sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

const ERRORS: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one below.",
  AccessDenied: "That sign-in link cannot be used here. Staff sign in at the admin page.",
  EmailSignin: "We could not send a link just now. Try again in a few minutes.",
};

/** Customers sign in with a magic link to see all their bookings; staff use /admin/signin. */
export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeCallbackPath(one(params.callbackUrl), "/my-bookings");
  const error = one(params.error);
  const user = await getSessionUser();

  return (
    <main id="main">
      <h1>Sign in</h1>
      {user ? (
        <div className="notice ok">
          <p>
            You are signed in as <strong>{user.email}</strong>.
          </p>
          <p>
            <Link href={user.role === "admin" ? "/admin" : callbackUrl}>Continue</Link>
          </p>
        </div>
      ) : one(params.sent) ? (
        <div className="notice ok" role="status">
          <h2>Check your email</h2>
          <p>If that address can sign in here, a sign-in link is on its way. It works once, for the next hour.</p>
        </div>
      ) : (
        <>
          <p className="lede">Enter the email you booked with and we will send you a link that signs you in. No password needed.</p>
          {error && (
            <p className="notice danger" role="alert">
              {ERRORS[error] ?? "Signing in did not work. Ask for a new link below."}
            </p>
          )}
          <CustomerSignInForm callbackUrl={callbackUrl} />
        </>
      )}
      <p className="muted small" style={{ marginTop: "2rem" }}>
        Studio staff: <Link href="/admin/signin">sign in with your password</Link>.
      </p>
    </main>
  );
}
