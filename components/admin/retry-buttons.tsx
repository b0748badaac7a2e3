"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAdminApi } from "./api";

/** A small button that runs one admin call, says what happened, and refreshes the page. */
function AdminCallButton({ label, busyLabel, disabled, run }: { label: string; busyLabel: string; disabled?: boolean; run: () => Promise<string> }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="btn-row">
      <button
        type="button"
        className="btn small"
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

/** Retries failed or dead jobs: due now, attempts back to zero. */
export function RetryJobsButton({ jobIds, label = "Retry" }: { jobIds: string[]; label?: string }) {
  return (
    <AdminCallButton
      label={label}
      busyLabel="Retrying…"
      disabled={jobIds.length === 0}
      run={async () => {
        const result = await callAdminApi<{ retried: string[]; skipped: string[] }>("/api/admin/jobs/retry", { body: { jobIds } });
        return result.ok
          ? result.data.retried.length
            ? `Queued again (${result.data.retried.length})`
            : "Nothing to retry (running or gone)"
          : result.error.message;
      }}
    />
  );
}

/** Sends a notification that is not sent yet once more. */
export function RetryNotificationButton({ notificationId }: { notificationId: string }) {
  return (
    <AdminCallButton
      label="Send again"
      busyLabel="Sending…"
      run={async () => {
        const result = await callAdminApi<{ outcome: string }>(`/api/admin/notifications/${notificationId}/retry`, { body: {} });
        return result.ok ? (result.data.outcome === "requeued" ? "Queued again" : "Already sent") : result.error.message;
      }}
    />
  );
}
