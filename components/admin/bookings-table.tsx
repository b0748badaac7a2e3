"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import type { BulkItemResult } from "@/lib/admin/decide";
import type { AdminBookingRow } from "@/lib/admin/list-bookings";
import { callAdminApi } from "./api";
import { formatInstant } from "./format";
import { BookingActions } from "./booking-actions";
import { StatusPill } from "./status-pill";
import { When } from "./when";

type BulkAction = "approve" | "reject";
type BulkOutcome = { action: BulkAction; succeeded: number; failed: number; results: BulkItemResult[] };

/**
 * The bookings table: one row per booking with its own actions, and a selection for deciding
 * many pending requests at once. Each selected booking is sent with the version shown here; the
 * server decides each in its own transaction and the result is reported per booking.
 */
export function BookingsTable({
  rows,
  sortHref,
  sort,
  showRequested = true,
  caption,
}: {
  rows: AdminBookingRow[];
  sortHref?: string;
  sort?: "asc" | "desc";
  showRequested?: boolean;
  caption: string;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();
  const [reason, setReason] = useState("");
  const dialogRef = useRef<HTMLDialogElement>(null);
  const ids = useId();

  const selectable = rows.filter((r) => r.status === "pending");
  const selectedRows = rows.filter((r) => selected.has(r.id));
  const allSelected = selectable.length > 0 && selectable.every((r) => selected.has(r.id));
  const byId = new Map(rows.map((r) => [r.id, r]));

  function toggle(id: string, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function bulk(action: BulkAction, withReason?: string) {
    setBusy(true);
    setError(null);
    setOutcome(null);
    const result = await callAdminApi<BulkOutcome>("/api/admin/bookings/bulk", {
      body: { action, reason: withReason || undefined, items: selectedRows.map((r) => ({ id: r.id, version: r.version })) },
    });
    setBusy(false);
    dialogRef.current?.close();
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setOutcome(result.data);
    setSelected(new Set());
    startTransition(() => router.refresh());
  }

  const label = (id: string) => {
    const r = byId.get(id);
    return r ? `${r.customer.name ?? r.customer.email ?? id} (${r.service.name})` : id;
  };

  return (
    <div>
      {selectable.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Bulk actions">
          <span>
            <strong>{selectedRows.length}</strong> of {selectable.length} pending selected
          </span>
          <button type="button" className="btn approve small" disabled={busy || selectedRows.length === 0} onClick={() => void bulk("approve")}>
            Approve selected
          </button>
          <button
            type="button"
            className="btn danger small"
            disabled={busy || selectedRows.length === 0}
            onClick={() => {
              setReason("");
              dialogRef.current?.showModal();
            }}
          >
            Reject selected…
          </button>
          {busy && <span role="status">Working…</span>}
        </div>
      )}
      <div aria-live="polite">
        {outcome && (
          <div className={`notice ${outcome.failed ? "warning" : "ok"}`} role="status" data-testid="bulk-outcome">
            <p>
              <strong>
                {outcome.action === "approve" ? "Approved" : "Rejected"} {outcome.succeeded} of {outcome.succeeded + outcome.failed}.
              </strong>
              {outcome.failed > 0 && ` ${outcome.failed} not changed:`}
            </p>
            {outcome.failed > 0 && (
              <ul>
                {outcome.results
                  .filter((r): r is Extract<BulkItemResult, { ok: false }> => !r.ok)
                  .map((r) => (
                    <li key={r.id}>
                      <Link href={`/admin/bookings/${r.id}`}>{label(r.id)}</Link>:{" "}
                      {r.error.code === "stale_version" ? "changed by someone else meanwhile" : r.error.message}
                      {r.error.lastChange ? ` (by ${r.error.lastChange.actorLabel})` : ""}
                    </li>
                  ))}
              </ul>
            )}
          </div>
        )}
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </div>

      {/* Focusable: on a phone the table scrolls sideways, and a keyboard user must be able to scroll it too. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
        <table className="data">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all pending requests on this page"
                  checked={allSelected}
                  disabled={selectable.length === 0}
                  onChange={(e) => setSelected(e.target.checked ? new Set(selectable.map((r) => r.id)) : new Set())}
                />
              </th>
              <th scope="col" aria-sort={sort ? (sort === "asc" ? "ascending" : "descending") : undefined}>
                {sortHref ? (
                  <Link href={sortHref}>
                    When (artist&apos;s time) {sort === "asc" ? "▲" : "▼"}
                    <span className="sr-only">, sort {sort === "asc" ? "newest first" : "oldest first"}</span>
                  </Link>
                ) : (
                  "When (artist's time)"
                )}
              </th>
              <th scope="col">Customer</th>
              <th scope="col">Artist · service</th>
              <th scope="col">Status</th>
              {showRequested && <th scope="col">Requested</th>}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={showRequested ? 7 : 6} className="muted">
                  No bookings match.
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.id} data-booking-id={r.id} data-selected={selected.has(r.id)}>
                <td>
                  {r.status === "pending" && (
                    <input type="checkbox" aria-label={`Select ${label(r.id)}`} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
                  )}
                </td>
                <td>
                  <When start={r.start} end={r.end} timezone={r.timezone} />
                </td>
                <td>
                  <Link href={`/admin/bookings/${r.id}`}>{r.customer.name ?? "(no name)"}</Link>
                  <div className="small muted">{r.customer.email}</div>
                </td>
                <td>
                  {r.artist.name}
                  <div className="small muted">{r.service.name}</div>
                </td>
                <td>
                  <StatusPill status={r.status} />
                  {r.reason && <div className="small muted">“{r.reason}”</div>}
                  {!showRequested && r.status === "pending" && (
                    <div className="small muted requested">requested {formatInstant(r.submittedAt ?? r.createdAt, r.timezone)}</div>
                  )}
                </td>
                {showRequested && <td className="small">{formatInstant(r.submittedAt ?? r.createdAt, r.timezone)}</td>}
                <td className="actions-cell">
                  <BookingActions booking={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <dialog ref={dialogRef} className="admin-dialog" aria-labelledby={`${ids}-bulk-title`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void bulk("reject", reason.trim());
          }}
        >
          <h2 id={`${ids}-bulk-title`}>Reject {selectedRows.length} requests</h2>
          <div className="a-field">
            <label htmlFor={`${ids}-bulk-reason`}>Reason (sent to each customer)</label>
            <textarea id={`${ids}-bulk-reason`} value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="btn-row">
            <button type="button" className="btn" onClick={() => dialogRef.current?.close()}>
              Back
            </button>
            <button type="submit" className="btn danger solid" disabled={busy || !reason.trim()}>
              Reject {selectedRows.length}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
