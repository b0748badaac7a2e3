import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/admin-page";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminSignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeCallbackPath(one(params.callbackUrl));
  const user = await getSessionUser();
  if (user?.role === "admin") redirect(callbackUrl);
  const error = one(params.error);
  const forbidden = error === "forbidden" || user !== null;
  return (
    <main id="main">
      <div className="signin-card">
        <h1>Holdfast admin</h1>
        {one(params.signedOut) && (
          <p className="notice ok" role="status">
            You are signed out.
          </p>
        )}
        {forbidden && (
          <p className="notice warning" role="alert">
            {user ? `You are signed in as ${user.email} (${user.role}). ` : ""}This area needs an admin account; sign in with one below.
          </p>
        )}
        <p className="muted">Sign in with your studio email and password.</p>
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={
            error && error !== "forbidden"
              ? error === "RateLimited"
                ? "Too many sign-in attempts. Wait 15 minutes and try again."
                : "Signing in did not work. Try again."
              : null
          }
        />
        <p className="small muted" style={{ marginTop: "1rem" }}>
          Customers: <a href="/signin">sign in with an email link</a> to see your bookings.
        </p>
      </div>
    </main>
  );
}
