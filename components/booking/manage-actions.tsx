"use client";

import { useEffect, useRef, useState } from "react";
import { cancelBookingAction, rescheduleBookingAction } from "@/app/bookings/[id]/actions";
import { describeNoticeHours } from "@/lib/bookings/cancellation-notice";
import type { ActionError, ActionResult } from "@/lib/http/server-action";
import type { StudioContactDetails } from "@/lib/studio/public-studio-info";
import { formatTimeRangeInZone, localDateInZone, zoneAbbreviation, zoneLabel } from "@/lib/time/format-in-zone";
import { Alternatives } from "./alternatives";
import { clockTime, longDay } from "./format";
import { SlotPicker, weekAnnouncement } from "./slot-picker";
import { useBrowserTimeZone } from "./use-browser-time-zone";
import { useHydrated } from "./use-hydrated";
import { useWeekSlots, type Slot } from "./use-week-slots";

type Props = {
  bookingId: string;
  token: string;
  status: string;
  start: string;
  end: string;
  artist: { slug: string; name: string; timezone: string };
  service: { slug: string; name: string };
  studioZoneLabel: string;
  noticeHours: number;
  /** How to reach the studio, for when the customer may not cancel online any more. */
  contact: Pick<StudioContactDetails, "phone" | "phoneHref" | "email" | "mailtoHref">;
  picker: { week: string; slots: Slot[]; minWeek: string; maxWeek: string };
};

type Panel = "reschedule" | "cancel" | null;
type FocusTarget = "move" | "conflict" | "picker" | "cancel";

async function call<T>(fn: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await fn();
  } catch {
    return { ok: false, error: { code: "network", message: "We could not reach the studio. Check your connection and try again." } };
  }
}

/** The studio's phone and email as links, for a change the customer cannot make online. */
function ContactTheStudio({ contact }: { contact: Props["contact"] }) {
  const linked = (text: string | null, href: string | null) => (text && href ? <a href={href}>{text}</a> : text);
  const phone = linked(contact.phone, contact.phoneHref);
  const email = linked(contact.email, contact.mailtoHref);
  if (!phone && !email) {
    return (
      <p data-testid="contact-the-studio">
        See <a href="#studio-contact">the studio&rsquo;s contact details</a> below.
      </p>
    );
  }
  return (
    <p data-testid="contact-the-studio">
      {phone ? <>Call the studio on {phone}</> : null}
      {phone && email ? " or email " : email ? "Email the studio at " : null}
      {email}.
    </p>
  );
}

/** Reschedule (to another free slot of the same service) and cancel, through the signed link. */
export function ManageActions(props: Props) {
  const { artist } = props;
  const hydrated = useHydrated();
  const browserZone = useBrowserTimeZone();
  const [zoneChoice, setZoneChoice] = useState<string | null>(null);
  const displayZone = zoneChoice ?? artist.timezone;
  const weeks = useWeekSlots({
    artist: artist.slug,
    service: props.service.slug,
    initialWeek: props.picker.week,
    initialSlots: props.picker.slots,
    maxWeek: props.picker.maxWeek,
  });

  const [panel, setPanel] = useState<Panel>(null);
  const [proposed, setProposed] = useState<Slot | null>(null);
  const [conflict, setConflict] = useState<{ title: string; message: string; alternatives: Slot[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; contactStudio?: boolean } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [announcement, setAnnouncement] = useState("");
  const [focusSeq, setFocusSeq] = useState<{ target: FocusTarget; n: number } | null>(null);
  const inFlight = useRef(false);
  const moveTitle = useRef<HTMLHeadingElement>(null);
  const conflictTitle = useRef<HTMLHeadingElement>(null);
  const pickerTitle = useRef<HTMLHeadingElement>(null);
  const cancelTitle = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!focusSeq) return;
    ({ move: moveTitle, conflict: conflictTitle, picker: pickerTitle, cancel: cancelTitle })[focusSeq.target].current?.focus();
  }, [focusSeq]);

  const focus = (target: FocusTarget) => setFocusSeq((f) => ({ target, n: (f?.n ?? 0) + 1 }));
  const announce = (text: string) => setAnnouncement((prev) => (prev === text ? `${text}\u00a0` : text));
  const describe = (start: string) =>
    `${longDay(localDateInZone(new Date(start), displayZone))} at ${clockTime(start, displayZone)} ${zoneAbbreviation(new Date(start), displayZone)}`;

  function openPanel(next: Panel) {
    setPanel(next);
    setError(null);
    setDone(null);
    setProposed(null);
    setConflict(null);
    if (next) focus(next === "cancel" ? "cancel" : "picker");
  }

  function propose(slot: Slot) {
    setProposed(slot);
    setError(null);
    announce(`Move your booking to ${describe(slot.start)}? Confirm below.`);
    focus("move");
  }

  async function move() {
    if (!proposed || inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const target = proposed;
    const res = await call(() => rescheduleBookingAction({ bookingId: props.bookingId, token: props.token, start: target.start }));
    inFlight.current = false;
    setBusy(false);
    if (res.ok) {
      const message = `Your booking now starts ${describe(res.data.start)}. We have emailed you the new time.`;
      setDone(message);
      setPanel(null);
      setProposed(null);
      setConflict(null);
      void weeks.refresh();
      return;
    }
    handleMoveError(target, res.error);
  }

  function handleMoveError(target: Slot, err: ActionError) {
    setProposed(null);
    if (err.code === "slot_taken" || err.code === "no_room_free" || err.code === "not_bookable") {
      const titles: Record<string, string> = {
        slot_taken: "Sorry — that time was just taken",
        no_room_free: "Sorry — no room is free then",
        not_bookable: "That time can no longer be booked",
      };
      setConflict({
        title: titles[err.code]!,
        message:
          err.code === "no_room_free"
            ? `Every room for this service is taken at ${describe(target.start)}. Your booking keeps its current time.`
            : `${describe(target.start)} is not free any more. Your booking keeps its current time.`,
        alternatives: (err.alternatives ?? []).slice(0, 5),
      });
      announce("That time was just taken. Your booking keeps its current time.");
      focus("conflict");
      void weeks.refresh();
      return;
    }
    setError({ message: err.message });
  }

  async function cancel(e: React.FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const res = await call(() => cancelBookingAction({ bookingId: props.bookingId, token: props.token, reason: reason.trim() || null }));
    inFlight.current = false;
    setBusy(false);
    if (res.ok) {
      setPanel(null);
      announce("Your booking is cancelled.");
      return;
    }
    setError({ message: res.error.message, contactStudio: res.error.code === "cancellation_window_passed" });
  }

  const currentStudioTime = formatTimeRangeInZone(new Date(props.start), new Date(props.end), artist.timezone);
  const duration = Date.parse(props.end) - Date.parse(props.start);

  return (
    <section className="manage-actions" aria-labelledby="change-title" data-ready={hydrated ? "true" : "false"}>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      <h2 id="change-title">Change your booking</h2>
      {done ? (
        <p className="notice ok" role="status">
          {done}
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className={`button ${panel === "reschedule" ? "primary" : "secondary"}`}
          aria-expanded={panel === "reschedule"}
          aria-controls="reschedule-panel"
          onClick={() => openPanel(panel === "reschedule" ? null : "reschedule")}
        >
          Reschedule
        </button>
        <button
          type="button"
          className={`button ${panel === "cancel" ? "danger" : "secondary"}`}
          aria-expanded={panel === "cancel"}
          aria-controls="cancel-panel"
          onClick={() => openPanel(panel === "cancel" ? null : "cancel")}
        >
          Cancel booking
        </button>
      </div>

      {error ? (
        <div className="notice danger" role="alert">
          <p>{error.message}</p>
          {error.contactStudio ? <ContactTheStudio contact={props.contact} /> : null}
        </div>
      ) : null}

      <div id="reschedule-panel" hidden={panel !== "reschedule"}>
        {panel === "reschedule" ? (
          <>
            {conflict ? (
              <Alternatives
                title={conflict.title}
                message={conflict.message}
                titleRef={conflictTitle}
                alternatives={conflict.alternatives}
                zone={displayZone}
                zoneName={zoneLabel(displayZone)}
                busyStart={busy ? "busy" : null}
                chooseVerb="Move to"
                onChoose={propose}
              />
            ) : null}
            {proposed ? (
              <div className="card confirm-move" role="group" aria-labelledby="move-title">
                <h3 id="move-title" ref={moveTitle} tabIndex={-1}>
                  Move your booking?
                </h3>
                <p>
                  <span className="muted">Now:</span> {currentStudioTime}
                </p>
                <p>
                  <span className="muted">New:</span>{" "}
                  <strong>{formatTimeRangeInZone(new Date(proposed.start), new Date(Date.parse(proposed.start) + duration), artist.timezone)}</strong>
                </p>
                {displayZone !== artist.timezone ? (
                  <p className="small">
                    Your time: {formatTimeRangeInZone(new Date(proposed.start), new Date(Date.parse(proposed.start) + duration), displayZone)}
                  </p>
                ) : null}
                <p className="small muted">Your current time is only given up once the new one is yours.</p>
                <div className="actions">
                  <button type="button" className="button primary" onClick={() => void move()} disabled={busy}>
                    {busy ? (
                      <>
                        <span className="spinner" aria-hidden="true" /> Moving…
                      </>
                    ) : (
                      "Move booking"
                    )}
                  </button>
                  <button type="button" className="button secondary" onClick={() => setProposed(null)} disabled={busy}>
                    Pick a different time
                  </button>
                </div>
              </div>
            ) : null}
            <SlotPicker
              idPrefix="move"
              title="Pick a new time"
              titleRef={pickerTitle}
              week={weeks.state}
              minWeek={props.picker.minWeek}
              maxWeek={props.picker.maxWeek}
              onWeekChange={async (monday) => {
                const slots = await weeks.goToWeek(monday);
                if (!slots) return;
                announce(weekAnnouncement(monday, slots, displayZone));
              }}
              studioZone={artist.timezone}
              studioZoneLabel={props.studioZoneLabel}
              browserZone={browserZone}
              displayZone={displayZone}
              onDisplayZoneChange={(zone) => {
                setZoneChoice(zone);
                announce(`Times are now shown in ${zoneLabel(zone)}.`);
              }}
              onChoose={propose}
              busyStart={busy ? (proposed?.start ?? "busy") : null}
              highlight={proposed ? [proposed.start] : conflict?.alternatives.map((a) => a.start)}
            />
          </>
        ) : null}
      </div>

      <div id="cancel-panel" hidden={panel !== "cancel"}>
        {panel === "cancel" ? (
          <form className="card cancel-form" onSubmit={(e) => void cancel(e)} noValidate>
            <h3 id="cancel-title" ref={cancelTitle} tabIndex={-1}>
              Cancel this booking?
            </h3>
            <p>
              {props.status === "confirmed" ? (
                <>
                  Confirmed bookings can be cancelled here up to {describeNoticeHours(props.noticeHours)} before they start. After that, please{" "}
                  <a href="#studio-contact">contact the studio</a>.
                </>
              ) : (
                "Your request has not been confirmed yet, so you can withdraw it at any time."
              )}
            </p>
            <div className="field">
              <label htmlFor="cancel-reason">
                Reason<span className="optional"> (optional)</span>
              </label>
              <p className="hint" id="cancel-reason-hint">
                It helps the studio, but you do not have to say.
              </p>
              <textarea
                id="cancel-reason"
                rows={3}
                maxLength={500}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-describedby="cancel-reason-hint"
              />
            </div>
            <div className="actions">
              <button type="submit" className="button danger" disabled={busy}>
                {busy ? (
                  <>
                    <span className="spinner" aria-hidden="true" /> Cancelling…
                  </>
                ) : (
                  "Yes, cancel my booking"
                )}
              </button>
              <button type="button" className="button secondary" onClick={() => openPanel(null)} disabled={busy}>
                Keep my booking
              </button>
            </div>
          </form>
        ) : null}
      </div>
    </section>
  );
}
