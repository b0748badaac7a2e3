"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAdminApi } from "./api";

/** Retries failed or dead jobs: due now, attempts back to zero. */
export function RetryJobsButton({ jobIds, label = "Retry" }: { jobIds: string[]; label?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="btn-row">
      <button
        type="button"
        className="btn small"
        disabled={pending || jobIds.length === 0}
        onClick={() =>
          startTransition(async () => {
            const result = await callAdminApi<{ retried: string[]; skipped: string[] }>("/api/admin/jobs/retry", { body: { jobIds } });
            setMessage(result.ok ? (result.data.retried.length ? `Queued again (${result.data.retried.length})` : "Nothing to retry (running or gone)") : result.error.message);
            router.refresh();
          })
        }
      >
        {pending ? "Retrying…" : label}
      </button>
      {message && (
        <span role="status" className="small">
          {message}
        </span>
      )}
    </span>
  );
}

/** Sends a notification that is not sent yet once more. */
export function RetryNotificationButton({ notificationId }: { notificationId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="btn-row">
      <button
        type="button"
        className="btn small"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await callAdminApi<{ outcome: string }>(`/api/admin/notifications/${notificationId}/retry`, { body: {} });
            setMessage(result.ok ? (result.data.outcome === "requeued" ? "Queued again" : "Already sent") : result.error.message);
            router.refresh();
          })
        }
      >
        {pending ? "Sending…" : "Send again"}
      </button>
      {message && (
        <span role="status" className="small">
          {message}
        </span>
      )}
    </span>
  );
}
