"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import type { AdminBookingRow } from "@/lib/admin/list-bookings";
import { localDateInZone } from "@/lib/time/format-in-zone";
import { instantInZone, wallClockInZone } from "@/lib/time/zone-clock";
import { callAdminApi, type ApiError } from "./api";
import { ConflictNotice } from "./conflict-notice";
import { formatWhen } from "./format";

type Action = "approve" | "reject" | "cancel" | "reschedule" | "complete";
const DONE: Record<Action, string> = { approve: "Approved", reject: "Rejected", cancel: "Cancelled", reschedule: "Rescheduled", complete: "Marked completed" };

function localParts(iso: string, timezone: string) {
  const at = new Date(iso);
  const w = wallClockInZone(at, timezone);
  return { date: localDateInZone(at, timezone), time: `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}` };
}

/**
 * Approve / reject (with a reason) / cancel / reschedule / complete for one booking, from a table
 * row or the detail page. Every request carries the version this page saw; a 409 shows what
 * changed instead of overwriting it.
 */
export function BookingActions({ booking, layout = "row" }: { booking: AdminBookingRow; layout?: "row" | "detail" }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<Action | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [dialog, setDialog] = useState<Action | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const local = localParts(booking.start, booking.timezone);
  const [date, setDate] = useState(local.date);
  const [time, setTime] = useState(local.time);
  const [slots, setSlots] = useState<{ start: string; end: string }[] | null>(null);
  const ids = useId();

  const can = {
    approve: booking.status === "pending",
    reject: booking.status === "pending",
    reschedule: booking.status === "pending" || booking.status === "confirmed",
    cancel: booking.status === "pending" || booking.status === "confirmed",
    complete: booking.status === "confirmed" && Date.parse(booking.start) < Date.now(),
  };
  if (!Object.values(can).some(Boolean) && !message && !error) return null;

  async function run(action: Action, extra: { reason?: string; start?: string } = {}) {
    setBusy(action);
    setError(null);
    setMessage(null);
    const result = await callAdminApi<{ booking: AdminBookingRow }>(`/api/admin/bookings/${booking.id}/${action}`, {
      body: { version: booking.version, ...(extra.reason ? { reason: extra.reason } : {}), ...(extra.start ? { start: extra.start } : {}) },
    });
    setBusy(null);
    if (result.ok) {
      setMessage(`${DONE[action]}: now ${result.data.booking.status}.`);
      closeDialog();
      startTransition(() => router.refresh());
      return;
    }
    setError(result.error);
    if (result.error.code === "stale_version" || result.error.code === "invalid_transition") closeDialog();
  }

  function openDialog(action: Action) {
    setError(null);
    setMessage(null);
    setReason("");
    setSlots(null);
    setDialog(action);
    queueMicrotask(() => dialogRef.current?.showModal());
  }

  function closeDialog() {
    dialogRef.current?.close();
    setDialog(null);
  }

  async function loadSlots(forDate: string) {
    setSlots(null);
    const res = await fetch(`/api/availability?artist=${booking.artist.id}&service=${booking.service.id}&from=${forDate}&to=${forDate}`);
    const body = (await res.json().catch(() => null)) as { slots?: { start: string; end: string }[] } | null;
    setSlots(body?.slots ?? []);
  }

  function submitDialog(e: React.FormEvent) {
    e.preventDefault();
    if (dialog === "reject") {
      if (!reason.trim()) return;
      void run("reject", { reason: reason.trim() });
    } else if (dialog === "cancel") {
      void run("cancel", { reason: reason.trim() || undefined });
    } else if (dialog === "reschedule") {
      const start = instantInZone(`${date}T${time}:00`, booking.timezone);
      if (Number.isNaN(start.getTime())) return;
      void run("reschedule", { start: start.toISOString(), reason: reason.trim() || undefined });
    }
  }

  const disabled = busy !== null || pending;
  const seen = {
    status: booking.status,
    start: booking.start,
    end: booking.end,
    version: booking.version,
    customer: booking.customer,
    notes: booking.notes,
    reason: booking.reason,
  };
  const who = booking.customer.name ?? booking.customer.email ?? "this booking";

  return (
    <div className="booking-actions" data-booking-actions={booking.id}>
      <div className="btn-row">
        {can.approve && (
          <button
            type="button"
            className="btn approve small"
            disabled={disabled}
            onClick={() => void run("approve")}
            aria-label={layout === "row" ? `Approve ${who}` : undefined}
          >
            {busy === "approve" ? "Approving…" : "Approve"}
          </button>
        )}
        {can.reject && (
          <button
            type="button"
            className="btn danger small"
            disabled={disabled}
            onClick={() => openDialog("reject")}
            aria-label={layout === "row" ? `Reject ${who}` : undefined}
          >
            Reject…
          </button>
        )}
        {can.reschedule && (
          <button
            type="button"
            className="btn small"
            disabled={disabled}
            onClick={() => openDialog("reschedule")}
            aria-label={layout === "row" ? `Reschedule ${who}` : undefined}
          >
            Reschedule…
          </button>
        )}
        {can.cancel && (
          <button
            type="button"
            className="btn small"
            disabled={disabled}
            onClick={() => openDialog("cancel")}
            aria-label={layout === "row" ? `Cancel ${who}` : undefined}
          >
            Cancel…
          </button>
        )}
        {can.complete && (
          <button type="button" className="btn small" disabled={disabled} onClick={() => void run("complete")}>
            Mark completed
          </button>
        )}
      </div>
      <div aria-live="polite">
        {message && (
          <p className="notice ok small" role="status">
            {message}
          </p>
        )}
      </div>
      {error && (error.code === "stale_version" || error.code === "invalid_transition") && (
        <ConflictNotice error={error} seen={seen} timezone={booking.timezone} onReload={() => startTransition(() => router.refresh())} />
      )}
      {error && error.code !== "stale_version" && error.code !== "invalid_transition" && !dialog && (
        <p className="notice error small" role="alert">
          {error.message}
        </p>
      )}

      <dialog ref={dialogRef} className="admin-dialog" aria-labelledby={`${ids}-title`} onClose={() => setDialog(null)}>
        {dialog && (
          <form onSubmit={submitDialog}>
            <h2 id={`${ids}-title`}>
              {dialog === "reject" ? "Reject request" : dialog === "cancel" ? "Cancel booking" : "Reschedule booking"} — {who}
            </h2>
            <p className="small muted">
              {booking.service.name} with {booking.artist.name}, {formatWhen(booking.start, booking.end, booking.timezone).text}
            </p>
            {dialog === "reschedule" && (
              <>
                <p className="small">
                  New time on {booking.artist.name}&apos;s clock ({booking.timezone}). Admins may place it outside the offered slots as long as it does not
                  overlap.
                </p>
                <div className="filters">
                  <div className="a-field">
                    <label htmlFor={`${ids}-date`}>Date</label>
                    <input
                      id={`${ids}-date`}
                      type="date"
                      value={date}
                      required
                      onChange={(e) => {
                        setDate(e.target.value);
                        setSlots(null);
                      }}
                    />
                  </div>
                  <div className="a-field">
                    <label htmlFor={`${ids}-time`}>Start time</label>
                    <input id={`${ids}-time`} type="time" value={time} required step={300} onChange={(e) => setTime(e.target.value)} />
                  </div>
                  <button type="button" className="btn small" onClick={() => void loadSlots(date)}>
                    Show free slots
                  </button>
                </div>
                {slots && (
                  <div className="btn-row" aria-label="Free slots that day">
                    {slots.length === 0 && <span className="small muted">No free slots that day.</span>}
                    {slots.slice(0, 24).map((s) => {
                      const t = localParts(s.start, booking.timezone).time;
                      return (
                        <button key={s.start} type="button" className="btn small" aria-pressed={t === time} onClick={() => setTime(t)}>
                          {t}
                        </button>
                      );
                    })}
                  </div>
                )}
              </>
            )}
            {dialog !== "reschedule" && (
              <div className="a-field">
                <label htmlFor={`${ids}-reason`}>{dialog === "reject" ? "Reason (sent to the customer)" : "Reason (optional, sent to the customer)"}</label>
                <textarea id={`${ids}-reason`} value={reason} maxLength={500} required={dialog === "reject"} onChange={(e) => setReason(e.target.value)} />
              </div>
            )}
            {error && error.code !== "stale_version" && error.code !== "invalid_transition" && (
              <div className="notice error small" role="alert">
                <p>{error.message}</p>
                {error.alternatives && error.alternatives.length > 0 && (
                  <div className="btn-row">
                    <span>Free nearby:</span>
                    {error.alternatives.map((a) => {
                      const p = localParts(a.start, booking.timezone);
                      return (
                        <button
                          key={a.start}
                          type="button"
                          className="btn small"
                          onClick={() => {
                            setDate(p.date);
                            setTime(p.time);
                          }}
                        >
                          {p.date} {p.time}
                        </button>
                      );
                    })}
                  </div>
                )}
              </div>
            )}
            <div className="btn-row">
              <button type="button" className="btn" onClick={closeDialog}>
                Back
              </button>
              <button
                type="submit"
                className={`btn ${dialog === "reschedule" ? "primary" : "danger solid"}`}
                disabled={disabled || (dialog === "reject" && !reason.trim())}
              >
                {busy ? "Saving…" : dialog === "reject" ? "Reject request" : dialog === "cancel" ? "Cancel booking" : "Move booking"}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </div>
  );
}

/**
 * "New customer link" on the booking detail page: revokes every manage link sent so far (say, a
 * customer forwarded theirs) and shows the new one once, for the admin to pass on.
 */
export function ManageLinkRotation({ bookingId }: { bookingId: string }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function rotate() {
    setBusy(true);
    setError(null);
    const result = await callAdminApi<{ manageUrl: string }>(`/api/admin/bookings/${bookingId}/manage-link`, { body: {} });
    setBusy(false);
    setConfirming(false);
    if (result.ok) setLink(result.data.manageUrl);
    else setError(result.error);
  }

  return (
    <div data-testid="manage-link-rotation">
      {!confirming ? (
        <button type="button" className="btn small" disabled={busy} onClick={() => setConfirming(true)}>
          New customer link…
        </button>
      ) : (
        <div className="notice warning small" role="group" aria-label="Confirm a new customer link">
          <p>Every link sent to the customer so far stops working. They will not be emailed the new one: pass it on yourself.</p>
          <div className="btn-row">
            <button type="button" className="btn small" onClick={() => setConfirming(false)}>
              Back
            </button>
            <button type="button" className="btn danger solid small" disabled={busy} onClick={() => void rotate()}>
              {busy ? "Making a new link…" : "Revoke old links"}
            </button>
          </div>
        </div>
      )}
      <div aria-live="polite">
        {link && (
          <p className="notice ok small" role="status">
            New link (earlier ones no longer work):{" "}
            <span className="mono" data-testid="new-manage-link">
              {link}
            </span>
          </p>
        )}
      </div>
      {error && (
        <p className="notice error small" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}
