"use client";

import { signIn } from "next-auth/react";
import { useId, useState } from "react";

/** Email → magic link, through next-auth's email provider (the link is queued in our outbox). */
export function CustomerSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const id = useId();
  const [state, setState] = useState<"idle" | "sending" | "sent" | "error">("idle");
  const [email, setEmail] = useState("");

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setState("sending");
    const result = await signIn("email", { email, redirect: false, callbackUrl }).catch(() => null);
    setState(result && !result.error ? "sent" : "error");
  }

  if (state === "sent") {
    return (
      <div className="notice ok" role="status">
        <h2>Check your email</h2>
        <p>
          If <strong>{email}</strong> can sign in here, a sign-in link is on its way. It works once, for the next hour.
        </p>
        <button type="button" className="link-button" onClick={() => setState("idle")}>
          Use a different email
        </button>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} aria-describedby={state === "error" ? `${id}-error` : undefined}>
      {state === "error" && (
        <p id={`${id}-error`} className="notice danger" role="alert">
          We could not send a link just now. Check the address and try again in a few minutes.
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-email`}>Your email</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <button type="submit" className="button primary" disabled={state === "sending"}>
        {state === "sending" ? "Sending…" : "Email me a sign-in link"}
      </button>
    </form>
  );
}
