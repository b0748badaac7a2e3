"use client";

import { AdminCallButton } from "./admin-call-button";
import { callAdminApi } from "./api";

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
