"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { saveCalendarEditPolicyAction } from "@/app/admin/actions";
import { callAdminApi } from "./api";

/** "Sync now": the calendar is due at once; the page refreshes while the worker pulls it. */
export function SyncNowButton({ calendarId, name }: { calendarId: string; name: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  async function sync() {
    setBusy(true);
    setMessage(null);
    const res = await callAdminApi<{ queued: number }>(`/api/admin/calendars/${calendarId}/sync`, { body: {} });
    setBusy(false);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error.message });
      return;
    }
    setMessage({ ok: true, text: "Queued; the worker pulls it within seconds." });
    timers.current.forEach(clearTimeout);
    timers.current = [1_500, 4_000, 8_000].map((ms) => setTimeout(() => router.refresh(), ms));
  }

  return (
    <span className="btn-row">
      <button type="button" className="btn small" disabled={busy} onClick={() => void sync()} aria-label={`Sync now: ${name}`}>
        {busy ? "Queuing…" : "Sync now"}
      </button>
      {message && (
        <span role={message.ok ? "status" : "alert"} className={`small${message.ok ? "" : " a-field-error"}`}>
          {message.text}
        </span>
      )}
    </span>
  );
}

/** A confirmation dialog around a destructive action (unlink, cancel a booking). */
function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="admin-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      {open && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onConfirm();
          }}
        >
          <h2 id={`${id}-title`}>{title}</h2>
          {children}
          {error && (
            <p className="notice error small" role="alert">
              {error}
            </p>
          )}
          <div className="btn-row">
            <button type="button" className="btn" onClick={onClose}>
              Back
            </button>
            <button type="submit" className="btn danger solid" disabled={busy}>
              {busy ? "Working…" : confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

/** Unlinks a calendar after a confirmation; nothing is deleted in the calendar itself. */
export function UnlinkCalendarButton({ calendarId, name, artistName, role }: { calendarId: string; name: string; artistName: string; role: "write" | "busy" }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  async function unlink() {
    setBusy(true);
    setError(null);
    const res = await callAdminApi<{ unlinked: string }>(`/api/admin/calendars/${calendarId}`, { method: "DELETE" });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setOpen(false);
    startTransition(() => router.refresh());
  }

  return (
    <>
      <button type="button" className="btn danger small" onClick={() => setOpen(true)} aria-label={`Unlink ${name}`}>
        Unlink…
      </button>
      <ConfirmDialog
        open={open}
        title={`Unlink ${name}?`}
        confirmLabel="Unlink calendar"
        busy={busy}
        error={error}
        onConfirm={() => void unlink()}
        onClose={() => setOpen(false)}
      >
        <p className="small">
          {role === "write" ? `New bookings for ${artistName} will no longer be written to this calendar, and` : "Its"} events will stop blocking {artistName}
          &apos;s slots. Nothing is deleted from the calendar, and the stored app password is removed.
        </p>
      </ConfirmDialog>
    </>
  );
}

type Resolution = "keep_booking" | "accept_calendar" | "cancel_booking";

const RESOLUTION_LABELS: Record<Resolution, string> = {
  keep_booking: "Keep booking & re-push",
  accept_calendar: "Accept calendar's version",
  cancel_booking: "Cancel booking & email customer",
};

/** What "accept the calendar's version" does to the booking, per kind of conflict. */
export function acceptMeaning(kind: string): { text: string; ends: boolean } {
  switch (kind) {
    case "event_deleted":
      return { text: "the booking is cancelled (a request is rejected) and the customer is emailed", ends: true };
    case "event_moved":
      return { text: "the booking moves to the calendar's time and the customer is emailed", ends: false };
    case "event_confirmed":
      return { text: "the request is approved and the customer is emailed", ends: false };
    default:
      return { text: "the artist's event wins: the booking is cancelled and the customer is emailed", ends: true };
  }
}

/**
 * One-click answers to a calendar conflict. Keeping the booking, or accepting a move or a
 * confirmation, happens at once; anything that ends the booking asks first (the customer is emailed).
 */
export function ConflictActions({ conflictId, kind, resolutions, who }: { conflictId: string; kind: string; resolutions: Resolution[]; who: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState<Resolution | null>(null);
  const [confirm, setConfirm] = useState<Resolution | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const accept = acceptMeaning(kind);

  async function resolve(resolution: Resolution) {
    setBusy(resolution);
    setError(null);
    const res = await callAdminApi<{ conflict: { resolution: string } }>(`/api/admin/calendar-conflicts/${conflictId}/resolve`, { body: { resolution } });
    setBusy(null);
    if (!res.ok) {
      setError(res.error.message);
      if (res.status === 409) startTransition(() => router.refresh());
      return;
    }
    setConfirm(null);
    setDone(`Resolved: ${RESOLUTION_LABELS[resolution].toLowerCase()}.`);
    startTransition(() => router.refresh());
  }

  const ends = (r: Resolution) => r === "cancel_booking" || (r === "accept_calendar" && accept.ends);

  return (
    <div className="conflict-actions">
      <div className="btn-row">
        {resolutions.map((r) => (
          <button
            key={r}
            type="button"
            className={`btn small${r === "keep_booking" ? " primary" : r === "cancel_booking" ? " danger" : ""}`}
            disabled={busy !== null || done !== null}
            onClick={() => (ends(r) ? setConfirm(r) : void resolve(r))}
          >
            {busy === r ? "Working…" : RESOLUTION_LABELS[r]}
          </button>
        ))}
      </div>
      {resolutions.includes("accept_calendar") && <p className="small muted">Accepting the calendar&apos;s version: {accept.text}.</p>}
      <div aria-live="polite">
        {done && (
          <p className="notice ok small" role="status">
            {done}
          </p>
        )}
        {error && !confirm && (
          <p className="notice error small" role="alert">
            {error}
          </p>
        )}
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "cancel_booking" ? `Cancel ${who}'s booking?` : `Accept the calendar's version for ${who}?`}
        confirmLabel={confirm === "cancel_booking" ? "Cancel booking" : "Accept and end booking"}
        busy={busy !== null}
        error={error}
        onConfirm={() => confirm && void resolve(confirm)}
        onClose={() => {
          setConfirm(null);
          setError(null);
        }}
      >
        <p className="small">
          {confirm === "cancel_booking"
            ? "The booking is cancelled, the customer gets an email, and the event is removed from the calendar."
            : `If you accept, ${accept.text}.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** The studio setting: artist edits to Holdfast events are reviewed by an admin, or applied at once. */
export function CalendarEditPolicyForm({ policy }: { policy: "review" | "auto" }) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(policy);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function save(e: React.FormEvent) {
    e.preventDefault();
    setMessage(null);
    startTransition(async () => {
      const result = await saveCalendarEditPolicyAction({ policy: value });
      if (!result.ok) {
        setMessage({ ok: false, text: result.error.message });
        return;
      }
      setMessage({ ok: true, text: "Saved." });
      router.refresh();
    });
  }

  return (
    <form onSubmit={save} aria-labelledby={`${id}-title`} className="policy-form">
      <fieldset>
        <legend id={`${id}-title`}>When an artist deletes, moves or confirms a Holdfast event in their calendar</legend>
        <label className="a-field check">
          <input type="radio" name="calendarEditPolicy" value="review" checked={value === "review"} onChange={() => setValue("review")} />
          <span>Ask an admin: open a conflict here (default)</span>
        </label>
        <label className="a-field check">
          <input type="radio" name="calendarEditPolicy" value="auto" checked={value === "auto"} onChange={() => setValue("auto")} />
          <span>Apply it to the booking automatically (the customer is emailed)</span>
        </label>
      </fieldset>
      <div className="btn-row">
        <button type="submit" className="btn primary small" disabled={pending || value === policy}>
          {pending ? "Saving…" : "Save policy"}
        </button>
        <span aria-live="polite">
          {message && (
            <span role={message.ok ? "status" : "alert"} className={`small${message.ok ? "" : " a-field-error"}`}>
              {message.text}
            </span>
          )}
        </span>
      </div>
    </form>
  );
}
