"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { AdminSummary } from "@/lib/admin/summary";

const EVENT = "holdfast:admin-summary";
export const SUMMARY_POLL_MS = 5_000;

/**
 * The pending-requests badge in the navigation. It polls GET /api/admin/summary every few seconds
 * (and when the tab regains focus) and tells the rest of the page through a window event, so one
 * request per interval serves the badge and the live lists.
 */
export function PendingBadge({ initial }: { initial: AdminSummary }) {
  const [summary, setSummary] = useState(initial);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await fetch("/api/admin/summary", { cache: "no-store", headers: { accept: "application/json" } });
        if (res.ok) {
          const next = (await res.json()) as AdminSummary;
          if (!stopped) {
            setSummary(next);
            window.dispatchEvent(new CustomEvent<AdminSummary>(EVENT, { detail: next }));
          }
        }
      } catch {
        // Offline for a moment: the next poll tries again.
      }
      if (!stopped) timer = setTimeout(poll, SUMMARY_POLL_MS);
    };
    timer = setTimeout(poll, SUMMARY_POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") {
        clearTimeout(timer);
        void poll();
      }
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  const n = summary.pendingCount;
  return (
    <span className="badge-count" data-zero={n === 0} data-testid="pending-badge" aria-label={`${n} pending ${n === 1 ? "request" : "requests"}`}>
      {n}
    </span>
  );
}

/**
 * The open calendar conflicts next to "Calendar sync": fed by the pending badge's poll (no
 * request of its own), hidden while there are none.
 */
export function ConflictsBadge({ initial }: { initial: AdminSummary }) {
  const [n, setN] = useState(initial.openConflicts);
  useEffect(() => {
    const onSummary = (e: Event) => setN((e as CustomEvent<AdminSummary>).detail.openConflicts ?? 0);
    window.addEventListener(EVENT, onSummary);
    return () => window.removeEventListener(EVENT, onSummary);
  }, []);
  return (
    <span
      className="badge-count conflicts"
      data-zero={n === 0}
      data-testid="conflicts-badge"
      aria-label={`${n} open calendar ${n === 1 ? "conflict" : "conflicts"}`}
    >
      {n}
    </span>
  );
}

/**
 * Re-renders the server component around it when the polled summary shows that bookings changed
 * (a new request, someone else's decision), so lists stay current without a reload.
 */
export function LiveRefresh({ latestEventId }: { latestEventId: number }) {
  const router = useRouter();
  const seen = useRef(latestEventId);
  useEffect(() => {
    seen.current = latestEventId;
  }, [latestEventId]);
  useEffect(() => {
    const onSummary = (e: Event) => {
      const next = (e as CustomEvent<AdminSummary>).detail;
      // Not while the admin is typing a reason in a dialog: a refresh must not eat their work.
      if (next.latestEventId !== seen.current && !document.querySelector("dialog[open]")) {
        seen.current = next.latestEventId;
        router.refresh();
      }
    };
    window.addEventListener(EVENT, onSummary);
    return () => window.removeEventListener(EVENT, onSummary);
  }, [router]);
  return null;
}
