"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/admin/signin?signedOut=1" })}>
      Sign out
    </button>
  );
}
