"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

/** A small button that runs one admin call, says what happened, and refreshes the page. */
export function AdminCallButton({
  label,
  busyLabel,
  disabled,
  danger,
  run,
}: {
  label: string;
  busyLabel: string;
  disabled?: boolean;
  danger?: boolean;
  run: () => Promise<string>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="btn-row">
      <button
        type="button"
        className={danger ? "btn small danger" : "btn small"}
        disabled={pending || disabled}
        onClick={() =>
          startTransition(async () => {
            setMessage(await run());
            router.refresh();
          })
        }
      >
        {pending ? busyLabel : label}
      </button>
      {message && (
        <span role="status" className="small">
          {message}
        </span>
      )}
    </span>
  );
}
