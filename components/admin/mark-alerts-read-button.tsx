"use client";

import { useTransition } from "react";
import { markAlertsReadAction } from "@/app/admin/actions";

export function MarkAlertsReadButton({ count }: { count: number }) {
  const [pending, startTransition] = useTransition();
  return (
    <button type="button" className="btn small" disabled={pending} onClick={() => startTransition(async () => void (await markAlertsReadAction()))}>
      Mark {count} as read
    </button>
  );
}
