"use client";

import { signIn } from "next-auth/react";
import { useId, useState } from "react";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an admin or artist account.",
  RateLimited: "Too many sign-in attempts. Wait 15 minutes and try again.",
};

/** Email + password sign-in for staff, through next-auth's credentials provider. */
export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string | null }) {
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
    }).catch(() => ({ ok: false, error: "network", url: null, status: 0 }));
    if (result?.ok && !result.error) {
      // A full navigation, so the proxy and the server components see the new session cookie.
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(MESSAGES[result?.error ?? ""] ?? "Signing in did not work. Try again in a moment.");
  }

  return (
    <form onSubmit={onSubmit} noValidate={false} aria-describedby={error ? `${id}-error` : undefined}>
      {error && (
        <p id={`${id}-error`} className="notice error" role="alert">
          {error}
        </p>
      )}
      <div className="a-field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="a-field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" className="btn primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
