"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/**
 * Signs a customer out through next-auth's own sign-out route (CSRF-checked); its signOut event
 * moves the user's session version, so a copied cookie stops working too.
 */
export function CustomerSignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button secondary"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/my-bookings?signedOut=1" }).catch(() => setBusy(false));
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
