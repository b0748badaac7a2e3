"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { holdSlotAction, releaseHoldAction, submitBookingAction, type HeldSlot } from "@/app/book/actions";
import type { SlotRules, WeeklyHours } from "@/lib/availability/find-slots";
import { monthOf, summarizeMonth } from "@/lib/availability/summarize-month";
import { describeNoticeHours, isInsideCancellationNotice } from "@/lib/bookings/cancellation-notice";
import { addDays, availabilityRange, mondayOf } from "@/lib/time/calendar-dates";
import { formatDuration } from "@/lib/time/format-duration";
import type { ActionError, ActionResult } from "@/lib/http/server-action";
import { formatTimeRangeInZone, localDateInZone, zoneAbbreviation, zoneLabel } from "@/lib/time/format-in-zone";
import { navigateTopLevel } from "@/components/embed/embed-bridge";
import { Alternatives } from "./alternatives";
import { emptyDetails, toFormInput, type DetailsValues, type FieldErrors } from "./details-values";
import { clockTime, longDay, monthLabel } from "./format";
import { HoldCountdown } from "./hold-countdown";
import { MonthView } from "./month-view";
import { SlotPicker, weekAnnouncement, ZoneNote } from "./slot-picker";
import { useMonthSlots } from "./use-month-slots";
import { ZoneSelect } from "./zone-select";

// The form and the schemas it validates with in the browser load once a time is held: a customer
// who is still choosing a day downloads none of them.
const DetailsForm = dynamic(() => import("./details-form").then((m) => m.DetailsForm));
import { useBrowserTimeZone } from "./use-browser-time-zone";
import { useHydrated } from "./use-hydrated";
import { useWeekSlots, type Slot } from "./use-week-slots";
import type { IntakeFormConfig } from "@/lib/intake/form-config";

export type BookingFlowProps = {
  artist: { slug: string; name: string; timezone: string };
  /** The service's intake questions, consent line and reference images (lib/intake); none when absent. */
  intake?: IntakeFormConfig;
  service: { slug: string; name: string; durationMinutes: number; autoConfirm: boolean };
  studioName: string;
  studioZoneLabel: string;
  policyText: string;
  /** The studio's cancellation notice (studio_settings.cancellation_notice_hours): a confirmed booking closer than this cannot be cancelled online. */
  cancellationNoticeHours: number;
  /** The first month from the server render; its slots cover the month's grid and a day either side. */
  initialMonth: string;
  monthSlots: Slot[];
  minMonth: string;
  maxMonth: string;
  /** The week the Week view opens on (the requested one, else the first free day's). */
  initialWeek: string;
  minWeek: string;
  maxWeek: string;
  initialView: "month" | "week";
  hours: WeeklyHours[];
  rules: SlotRules;
  /** The artist's upcoming time off (instants): those days show as closed. */
  timeOff: { start: string; end: string }[];
  /** The server's clock at render: which days are past or too soon is decided against it, the same in SSR and hydration. */
  now: string;
  /** Duration, price (and deposit, once there is one) of the service, shown in the side summary while the form is filled in. */
  serviceFacts?: ReactNode;
};

type PickerView = "month" | "week";

const clampWeek = (monday: string, min: string, max: string) => (monday < min ? min : monday > max ? max : monday);

/** A week's slots out of a month's (the month's range covers every week of its grid). */
function slotsOfWeek(slots: Slot[], monday: string, zone: string) {
  const { from, to } = availabilityRange(monday);
  return slots.filter((s) => {
    const d = localDateInZone(new Date(s.start), zone);
    return d >= from && d <= to;
  });
}

type Phase =
  | { kind: "pick" }
  | { kind: "held"; hold: HeldSlot; idempotencyKey: string; offsetMs: number; insideNotice: boolean }
  | { kind: "expired"; hold: HeldSlot }
  | { kind: "conflict"; start: string; title: string; message: string; alternatives: Slot[] };

type FocusTarget = "picker" | "details" | "conflict";

/** An idempotency key per hold. getRandomValues works on plain-http origins too, unlike randomUUID. */
function newIdempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const NETWORK_ERROR: ActionError = { code: "network", message: "We could not reach the studio. Check your connection and try again." };

async function call<T>(fn: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await fn();
  } catch {
    return { ok: false, error: NETWORK_ERROR };
  }
}

/**
 * The customer's path from "this service" to "request sent": a week of free times, a hold placed
 * the moment one is picked (with a countdown), the details form, and the submit. Every rule is
 * the server's: this component only shows what the server answered and offers the next step.
 */
export function BookingFlow(props: BookingFlowProps) {
  const { artist, service } = props;
  const router = useRouter();
  const hydrated = useHydrated();
  const browserZone = useBrowserTimeZone();
  const [zoneChoice, setZoneChoice] = useState<string | null>(null);
  const displayZone = zoneChoice ?? artist.timezone;
  const [view, setView] = useState<PickerView>(props.initialView);
  const months = useMonthSlots({ artist: artist.slug, service: service.slug, initialMonth: props.initialMonth, initialSlots: props.monthSlots });
  const [initialWeekSlots] = useState(() => slotsOfWeek(props.monthSlots, props.initialWeek, artist.timezone));
  const weeks = useWeekSlots({
    artist: artist.slug,
    service: service.slug,
    initialWeek: props.initialWeek,
    initialSlots: initialWeekSlots,
    maxWeek: props.maxWeek,
    // The month view needs no week: nothing is fetched before the customer asks for one.
    prefetchNext: props.initialView === "week",
  });
  const now = useMemo(() => new Date(props.now), [props.now]);
  const summary = useMemo(
    () =>
      summarizeMonth({
        month: months.state.month,
        displayZone,
        studioZone: artist.timezone,
        now,
        hours: props.hours,
        rules: props.rules,
        slots: months.state.slots,
        timeOff: props.timeOff,
      }),
    [months.state.month, months.state.slots, displayZone, artist.timezone, now, props.hours, props.rules, props.timeOff],
  );
  // The day whose times are listed: the one the customer picked in this month, else the first free day.
  const [pickedDate, setPickedDate] = useState<string | null>(null);
  const selectedDate = pickedDate && monthOf(pickedDate) === summary.month ? pickedDate : summary.firstFreeDate;

  const [phase, setPhase] = useState<Phase>({ kind: "pick" });
  const [holdingStart, setHoldingStart] = useState<string | null>(null);
  const [flowError, setFlowError] = useState<string | null>(null);
  const [details, setDetails] = useState<DetailsValues>(emptyDetails);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [serverErrorsSeq, setServerErrorsSeq] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [focusRequest, setFocusRequest] = useState<{ target: FocusTarget; seq: number } | null>(null);

  // Synchronous guards: a second click arrives before React re-renders the disabled state.
  const inFlight = useRef(false);
  const lastHold = useRef<HeldSlot | null>(null);
  const pickerTitle = useRef<HTMLHeadingElement>(null);
  const detailsTitle = useRef<HTMLHeadingElement>(null);
  const conflictTitle = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!focusRequest) return;
    const el = { picker: pickerTitle, details: detailsTitle, conflict: conflictTitle }[focusRequest.target].current;
    el?.focus();
    el?.scrollIntoView({ block: "start", behavior: "instant" as ScrollBehavior });
  }, [focusRequest]);

  const focus = (target: FocusTarget) => setFocusRequest((f) => ({ target, seq: (f?.seq ?? 0) + 1 }));
  const announce = (text: string) => setAnnouncement((prev) => (prev === text ? `${text}\u00a0` : text));
  const describe = (start: string, zone = displayZone) =>
    `${longDay(localDateInZone(new Date(start), zone))} at ${clockTime(start, zone)} ${zoneAbbreviation(new Date(start), zone)}`;
  const clockWithZone = (start: string, zone = displayZone) => `${clockTime(start, zone)} ${zoneAbbreviation(new Date(start), zone)}`;
  const noticeText = describeNoticeHours(props.cancellationNoticeHours);
  const displayZoneName = zoneLabel(displayZone);

  function showConflict(start: string, error: ActionError, origin: "hold" | "submit") {
    const when = describe(start);
    const alternatives = (error.alternatives ?? []).slice(0, 5);
    const title =
      error.code === "not_bookable"
        ? "That time can no longer be booked"
        : error.code === "no_room_free"
          ? "Sorry — no room is free then"
          : "Sorry — that time was just taken";
    const message =
      error.code === "not_bookable"
        ? `${when} is no longer offered.`
        : error.code === "no_room_free"
          ? `${artist.name} is free at ${when}, but every room for this service was just taken.`
          : origin === "submit"
            ? `Your hold ran out and someone else booked ${when} before your request was sent. Your details are kept: pick another time and send it again.`
            : `Someone else just took ${when}.`;
    setPhase({ kind: "conflict", start, title, message, alternatives });
    announce(`${title}. ${alternatives.length > 0 ? `${alternatives.length} nearby free times are listed.` : ""}`);
    focus("conflict");
    // The list on screen was stale; read it again so it no longer offers the taken time.
    void (view === "week" ? weeks.refresh() : months.refresh());
  }

  async function holdSlot(start: string) {
    if (inFlight.current) return;
    inFlight.current = true;
    setHoldingStart(start);
    setFlowError(null);
    announce(`Holding ${describe(start)} for you…`);
    const previous = lastHold.current;
    const res = await call(() =>
      holdSlotAction({
        artist: artist.slug,
        service: service.slug,
        start,
        customerTimezone: browserZone ?? undefined,
        release: previous ? { holdId: previous.id, holdToken: previous.token } : undefined,
      }),
    );
    inFlight.current = false;
    setHoldingStart(null);
    if (res.ok) {
      lastHold.current = res.data;
      const minutes = Math.round((Date.parse(res.data.expiresAt) - Date.parse(res.data.serverNow)) / 60_000);
      // The server's clock, as for the countdown: a wrong device clock must not hide the warning.
      const insideNotice = isInsideCancellationNotice({
        startsAt: new Date(res.data.start),
        noticeHours: props.cancellationNoticeHours,
        now: new Date(res.data.serverNow),
      });
      setPhase({ kind: "held", hold: res.data, idempotencyKey: newIdempotencyKey(), offsetMs: Date.parse(res.data.serverNow) - Date.now(), insideNotice });
      setFormError(null);
      announce(
        `${describe(start)} is held for you for ${minutes} minutes.${insideNotice ? ` It is less than ${noticeText} away, so it cannot be cancelled online once ${service.autoConfirm ? "booked" : "confirmed"}.` : ""} Enter your details to ${service.autoConfirm ? "book it" : "send your request"}.`,
      );
      focus("details");
      return;
    }
    if (res.error.code === "slot_taken" || res.error.code === "no_room_free" || res.error.code === "not_bookable") {
      showConflict(start, res.error, "hold");
      return;
    }
    setFlowError(res.error.message);
  }

  function chooseAnotherTime() {
    const previous = lastHold.current;
    lastHold.current = null;
    if (previous) void call(() => releaseHoldAction({ holdId: previous.id, holdToken: previous.token }));
    setPhase({ kind: "pick" });
    setFormError(null);
    setFlowError(null);
    announce("Your hold was released. Choose another time.");
    focus("picker");
  }

  async function submit() {
    if (phase.kind !== "held" || inFlight.current) return;
    inFlight.current = true;
    setSubmitting(true);
    setFormError(null);
    const { hold, idempotencyKey } = phase;
    announce(service.autoConfirm ? "Booking…" : "Sending your request…");
    const res = await call(() =>
      submitBookingAction({ holdId: hold.id, holdToken: hold.token, idempotencyKey, customerTimezone: browserZone ?? undefined, ...toFormInput(details) }),
    );
    if (res.ok) {
      // Stay disabled: the confirmation page replaces this one.
      announce(res.data.status === "confirmed" ? "Booked. Opening your confirmation…" : "Request sent. Opening your confirmation…");
      // A deposit service: off to the payment page; Stripe brings the customer back to the confirmation.
      // Inside the embed the studio's page itself goes there (Stripe Checkout refuses to be framed),
      // through Holdfast's own redirect: the studio's page follows nothing but Holdfast.
      if (res.data.checkoutUrl) navigateTopLevel(res.data.checkoutUrl, res.data.checkoutPath);
      else router.push(res.data.confirmationPath);
      return;
    }
    inFlight.current = false;
    setSubmitting(false);
    const error = res.error;
    if (error.code === "invalid_input" && error.fields) {
      const mapped: FieldErrors = {};
      for (const [key, messages] of Object.entries(error.fields)) {
        if (["customer.name", "customer.email", "customer.phone", "notes", "consent"].includes(key) || key.startsWith("intake.")) mapped[key] = messages;
      }
      if (Object.keys(mapped).length > 0) {
        setFieldErrors(mapped);
        setServerErrorsSeq((n) => n + 1);
        return;
      }
      setFormError(error.message);
    } else if (error.code === "slot_taken" || error.code === "no_room_free") {
      showConflict(hold.start, error, "submit");
    } else if (error.code === "not_found") {
      setPhase({ kind: "expired", hold });
    } else if (error.code === "network") {
      setFormError("We could not reach the studio. Check your connection and press the button again — you will not be booked twice.");
    } else {
      setFormError(error.message);
    }
  }

  async function goToMonth(month: string) {
    setPickedDate(null);
    const slots = await months.goToMonth(month);
    if (!slots) return;
    // Keep the month in the address, so a reload or a shared link opens the same month.
    window.history.replaceState(null, "", `?month=${month}`);
    const next = summarizeMonth({
      month,
      displayZone,
      studioZone: artist.timezone,
      now,
      hours: props.hours,
      rules: props.rules,
      slots,
      timeOff: props.timeOff,
    });
    announce(next.firstFreeDate ? `${monthLabel(month)}: first free day ${longDay(next.firstFreeDate)}.` : `${monthLabel(month)}: no free times.`);
  }

  /** Month <-> Week, keeping the customer's place: the week of the picked day, or the month of the week shown. */
  function showView(next: PickerView) {
    if (next === view) return;
    setView(next);
    if (next === "week") {
      const day = selectedDate ?? `${summary.month}-01`;
      const monday = clampWeek(mondayOf(day), props.minWeek, props.maxWeek);
      if (months.state.status === "ready" && monday >= mondayOf(summary.weeks[0]![0]!.date) && monday <= summary.weeks.at(-1)![0]!.date) {
        weeks.show(monday, slotsOfWeek(months.state.slots, monday, artist.timezone));
      } else {
        void weeks.goToWeek(monday);
      }
      window.history.replaceState(null, "", `?week=${monday}`);
    } else {
      // The month most of the week's days are in (its Thursday's).
      const month = monthOf(addDays(weeks.state.week, 3));
      const target = month < props.minMonth ? props.minMonth : month > props.maxMonth ? props.maxMonth : month;
      if (target !== months.state.month) void goToMonth(target);
      else window.history.replaceState(null, "", `?month=${target}`);
    }
  }

  const held = phase.kind === "held" || phase.kind === "expired" ? phase.hold : null;
  const ownZoneDiffers = (start: string) =>
    !!browserZone &&
    browserZone !== artist.timezone &&
    (clockTime(start, browserZone) !== clockTime(start, artist.timezone) ||
      localDateInZone(new Date(start), browserZone) !== localDateInZone(new Date(start), artist.timezone));

  return (
    <div className="flow" data-ready={hydrated ? "true" : "false"} data-phase={phase.kind}>
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </p>
      {flowError ? (
        <p className="notice danger" role="alert">
          {flowError}
        </p>
      ) : null}

      {phase.kind === "conflict" ? (
        <Alternatives
          title={phase.title}
          message={phase.message}
          titleRef={conflictTitle}
          alternatives={phase.alternatives}
          zone={displayZone}
          zoneName={displayZoneName}
          busyStart={holdingStart}
          onChoose={(slot) => void holdSlot(slot.start)}
        />
      ) : null}

      {held ? (
        <section className="details-step" aria-labelledby="details-title">
          {/* First in reading order; a sticky bar on phones and a side summary on desktop, so the held time and its countdown stay in view. */}
          <div className="held-aside">
            <div className="card held-card" data-testid="held-summary">
              <p className="eyebrow">{phase.kind === "held" ? "Your time is held" : "Your hold ran out"}</p>
              <p className="held-what">
                {service.name} with {artist.name}
              </p>
              <p className="held-when" data-testid="held-studio-time">
                {formatTimeRangeInZone(new Date(held.start), new Date(held.end), artist.timezone)}
              </p>
              {ownZoneDiffers(held.start) && browserZone ? (
                <p className="held-when-local" data-testid="held-local-time">
                  Your time: {formatTimeRangeInZone(new Date(held.start), new Date(held.end), browserZone)}
                </p>
              ) : null}
              {props.serviceFacts ? <div className="held-facts">{props.serviceFacts}</div> : null}
              <div id="hold-status">
                {phase.kind === "held" ? (
                  <HoldCountdown
                    key={phase.hold.id}
                    expiresAt={phase.hold.expiresAt}
                    offsetMs={phase.offsetMs}
                    onExpire={() =>
                      setPhase((p) => (p.kind === "held" && p.hold.id === phase.hold.id && !inFlight.current ? { kind: "expired", hold: p.hold } : p))
                    }
                    onReminder={(s) => announce(s >= 60 ? `${Math.round(s / 60)} minutes left on your hold.` : `${s} seconds left on your hold.`)}
                  />
                ) : (
                  <div className="notice warning" role="alert" data-testid="hold-expired">
                    <p>
                      <strong>Your hold on {describe(held.start)} ran out.</strong> Someone else may take the time now. Your details are kept.
                    </p>
                    <button type="button" className="button primary" onClick={() => void holdSlot(held.start)} disabled={holdingStart !== null}>
                      {holdingStart ? "Holding…" : `Hold ${clockWithZone(held.start)} again`}
                    </button>
                  </div>
                )}
              </div>
              <button type="button" className="link-button held-change" onClick={chooseAnotherTime} disabled={submitting}>
                Choose another time
              </button>
            </div>
          </div>

          <div className="details-main">
            <h2 id="details-title" ref={detailsTitle} tabIndex={-1}>
              Your details
            </h2>
            <DetailsForm
              values={details}
              onChange={setDetails}
              errors={fieldErrors}
              onErrors={setFieldErrors}
              onSubmit={() => void submit()}
              submitting={submitting}
              canSubmit={phase.kind === "held"}
              submitLabel={service.autoConfirm ? "Book now" : "Send request"}
              artistName={artist.name}
              studioName={props.studioName}
              policyText={props.policyText}
              formError={formError}
              serverErrorsSeq={serverErrorsSeq}
              intake={props.intake}
              hold={phase.kind === "held" ? { id: phase.hold.id, token: phase.hold.token } : null}
              warning={
                phase.kind === "held" && phase.insideNotice ? (
                  <>
                    {service.autoConfirm
                      ? `This time is less than ${noticeText} away, so it can no longer be cancelled online — `
                      : `This time is less than ${noticeText} away: once the studio confirms it, it can no longer be cancelled online — `}
                    <a href="#studio-contact">contact the studio</a> to change it.
                  </>
                ) : null
              }
            />
          </div>
        </section>
      ) : (
        <section className="picker" aria-labelledby="book-title" data-view={view}>
          <div className="picker-head">
            <h2 id="book-title" ref={pickerTitle} tabIndex={-1}>
              {phase.kind === "conflict" ? "Or choose another time" : "Choose a time"}
            </h2>
            <div className="view-toggle" role="group" aria-label="Show free times by">
              <button type="button" aria-pressed={view === "month"} onClick={() => showView("month")}>
                Month
              </button>
              <button type="button" aria-pressed={view === "week"} onClick={() => showView("week")}>
                Week
              </button>
            </div>
          </div>
          <ZoneSelect
            id="book-zone-select"
            studioZone={artist.timezone}
            studioZoneLabel={props.studioZoneLabel}
            browserZone={browserZone}
            displayZone={displayZone}
            onChange={(zone) => {
              setZoneChoice(zone);
              announce(`Times are now shown in ${zoneLabel(zone)}.`);
            }}
          />
          <ZoneNote id="book-zone" displayZone={displayZone} studioZone={artist.timezone} studioZoneLabel={props.studioZoneLabel} />
          {view === "month" ? (
            <MonthView
              idPrefix="book"
              month={months.state}
              summary={summary}
              minMonth={props.minMonth}
              maxMonth={props.maxMonth}
              onMonthChange={(month) => void goToMonth(month)}
              selectedDate={selectedDate}
              onSelectDate={(date) => {
                setPickedDate(date);
                const day = summary.weeks.flat().find((d) => d.date === date);
                const count = day?.freeCount ?? 0;
                announce(`${longDay(date)}: ${count === 0 ? "no free times" : count === 1 ? "1 free time" : `${count} free times`}.`);
              }}
              displayZone={displayZone}
              noticeText={formatDuration(props.rules.minNoticeMinutes)}
              windowDays={props.rules.bookingWindowDays}
              onChoose={(slot) => void holdSlot(slot.start)}
              busyStart={holdingStart}
              highlight={phase.kind === "conflict" ? phase.alternatives.map((a) => a.start) : undefined}
            />
          ) : (
            <SlotPicker
              bare
              idPrefix="book"
              title="Choose a time"
              week={weeks.state}
              minWeek={props.minWeek}
              maxWeek={props.maxWeek}
              onWeekChange={async (monday) => {
                const slots = await weeks.goToWeek(monday);
                if (!slots) return;
                // Keep the week in the address, so a reload or a shared link opens the same week.
                window.history.replaceState(null, "", `?week=${monday}`);
                announce(weekAnnouncement(monday, slots, displayZone));
              }}
              studioZone={artist.timezone}
              studioZoneLabel={props.studioZoneLabel}
              browserZone={browserZone}
              displayZone={displayZone}
              onDisplayZoneChange={setZoneChoice}
              onChoose={(slot) => void holdSlot(slot.start)}
              busyStart={holdingStart}
              highlight={phase.kind === "conflict" ? phase.alternatives.map((a) => a.start) : undefined}
            />
          )}
        </section>
      )}
    </div>
  );
}
