"use client";

import { useEffect, useState, useTransition } from "react";
import { formatShortDateTimeInZone } from "@/lib/time/format-in-zone";
import { SeriesOutcomeList } from "./series-outcome";
import { bookForCustomerAction, loadFreeTimesAction, searchCustomersAction } from "@/app/admin/bookings-actions";

type ArtistOption = { slug: string; name: string; timezone: string; services: { slug: string; name: string }[] };
type Slot = { start: string; end: string };
type Customer = { name: string; email: string | null; phone: string | null; lastBookedAt?: string };
type Booked = { id: string; start: string; end: string; timezone: string };
type Outcome = { bookings: Booked[]; conflicts: { start: string; message: string; alternatives: Slot[] }[] };

function when(iso: string, timeZone: string) {
  return formatShortDateTimeInZone(new Date(iso), timeZone);
}

/** Wall clock "YYYY-MM-DDTHH:mm" in the artist's zone -> an ISO instant, by reading the zone's offset at that time (twice, for the day of a change). */
function localToIso(local: string, timeZone: string): string | null {
  const guess = new Date(`${local}:00Z`);
  if (Number.isNaN(guess.getTime())) return null;
  const offsetAt = (d: Date) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!) - Math.floor(d.getTime() / 60000) * 60000;
  };
  const first = new Date(guess.getTime() - offsetAt(guess));
  return new Date(guess.getTime() - offsetAt(first)).toISOString();
}

export function NewBookingForm({ artists }: { artists: ArtistOption[] }) {
  const [artist, setArtist] = useState(artists[0]?.slug ?? "");
  const current = artists.find((a) => a.slug === artist);
  const [service, setService] = useState(current?.services[0]?.slug ?? "");
  const [week, setWeek] = useState<{ week: string; minWeek: string; slots: Slot[]; zoneLabel: string } | null>(null);
  const [start, setStart] = useState<string | null>(null);
  const [override, setOverride] = useState(false);
  const [freeTime, setFreeTime] = useState("");
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<Customer[]>([]);
  const [customer, setCustomer] = useState<Customer>({ name: "", email: "", phone: "" });
  const [notes, setNotes] = useState("");
  const [notify, setNotify] = useState(true);
  const [depositPaid, setDepositPaid] = useState(false);
  const [repeat, setRepeat] = useState(false);
  const [everyWeeks, setEveryWeeks] = useState(1);
  const [count, setCount] = useState(4);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string[]>; alternatives?: Slot[] } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  const tz = current?.timezone ?? "UTC";

  const loadWeek = (weekOf?: string) =>
    startTransition(async () => {
      if (!artist || !service) return;
      const result = await loadFreeTimesAction({ artist, service, week: weekOf ?? null });
      if (result.ok) setWeek(result.data);
      else setError(result.error);
    });
  useEffect(() => {
    loadWeek();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the artist or service changes
  }, [artist, service]);

  useEffect(() => {
    if (query.trim().length < 2) return;
    const timer = setTimeout(async () => {
      const result = await searchCustomersAction({ q: query });
      if (result.ok) setMatches(result.data.customers);
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  const submit = (at: string, opts: { single?: boolean } = {}) =>
    startTransition(async () => {
      setError(null);
      const result = await bookForCustomerAction({
        artist,
        service,
        start: at,
        customer: { name: customer.name, email: customer.email || null, phone: customer.phone || null },
        notes: notes || null,
        notify,
        override,
        depositPaid,
        repeat: repeat && !opts.single ? { everyWeeks, count } : null,
        // An alternative for a taken week joins the series the first step booked.
        afterBookingId: opts.single ? (outcome?.bookings[0]?.id ?? null) : null,
      });
      if (!result.ok) return setError(result.error);
      setOutcome((prev) =>
        opts.single && prev
          ? {
              bookings: [...prev.bookings, ...result.data.bookings],
              conflicts: prev.conflicts.filter((c) => !c.alternatives.some((a) => a.start === at)),
            }
          : result.data,
      );
      loadWeek(week?.week);
    });

  const chosen = override ? localToIso(freeTime, tz) : start;
  const days = new Map<string, Slot[]>();
  for (const slot of week?.slots ?? []) {
    const day = new Intl.DateTimeFormat("en-GB", { timeZone: tz, weekday: "short", day: "numeric", month: "short" }).format(new Date(slot.start));
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  const shiftWeek = (days: number) => {
    if (!week) return;
    const d = new Date(`${week.week}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    loadWeek(d.toISOString().slice(0, 10));
  };
  const fieldError = (name: string) => error?.fields?.[name]?.join(", ");

  return (
    <div className="panel" aria-busy={pending}>
      <div className="a-field">
        <label htmlFor="nb-artist">Artist</label>
        <select
          id="nb-artist"
          value={artist}
          onChange={(e) => {
            setArtist(e.target.value);
            setStart(null);
            setService(artists.find((a) => a.slug === e.target.value)?.services[0]?.slug ?? "");
          }}
        >
          {artists.map((a) => (
            <option key={a.slug} value={a.slug}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div className="a-field">
        <label htmlFor="nb-service">Service</label>
        <select
          id="nb-service"
          value={service}
          onChange={(e) => {
            setService(e.target.value);
            setStart(null);
          }}
        >
          {current?.services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </div>

      <fieldset>
        <legend>Time ({week?.zoneLabel ?? tz})</legend>
        <label>
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Override the public rules (short notice, outside hours or
          the booking window; never over another booking)
        </label>
        {override ? (
          <div className="a-field">
            <label htmlFor="nb-free">Start on the artist&apos;s clock</label>
            <input id="nb-free" type="datetime-local" value={freeTime} onChange={(e) => setFreeTime(e.target.value)} />
          </div>
        ) : (
          <div>
            <div className="btn-row">
              <button type="button" className="btn small" onClick={() => shiftWeek(-7)} disabled={!week || week.week <= week.minWeek}>
                Previous week
              </button>
              <span className="small">Week of {week?.week}</span>
              <button type="button" className="btn small" onClick={() => shiftWeek(7)}>
                Next week
              </button>
            </div>
            {days.size === 0 && <p className="muted small">No free times this week.</p>}
            {[...days].map(([day, slots]) => (
              <div key={day} className="btn-row" role="group" aria-label={day}>
                <strong className="small">{day}</strong>
                {slots.map((s) => (
                  <button
                    key={s.start}
                    type="button"
                    data-start={s.start}
                    className={`btn small${start === s.start ? " primary" : ""}`}
                    aria-pressed={start === s.start}
                    onClick={() => setStart(s.start)}
                  >
                    {new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit" }).format(new Date(s.start))}
                  </button>
                ))}
              </div>
            ))}
          </div>
        )}
        {fieldError("start") && <p className="error small">{fieldError("start")}</p>}
      </fieldset>

      <fieldset>
        <legend>Customer</legend>
        <div className="a-field">
          <label htmlFor="nb-search">Find an earlier customer (name, email or phone)</label>
          <input id="nb-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </div>
        {query.trim().length >= 2 && matches.length > 0 && (
          <ul aria-label="Earlier customers">
            {matches.map((m) => (
              <li key={`${m.email}-${m.phone}`}>
                <button
                  type="button"
                  className="btn small"
                  onClick={() => {
                    setCustomer({ name: m.name, email: m.email ?? "", phone: m.phone ?? "" });
                    setMatches([]);
                    setQuery("");
                  }}
                >
                  {m.name} · {m.email ?? "no email"} · {m.phone ?? "no phone"}
                </button>
              </li>
            ))}
          </ul>
        )}
        {(["name", "email", "phone"] as const).map((f) => (
          <div className="a-field" key={f}>
            <label htmlFor={`nb-${f}`}>{f === "name" ? "Name" : f === "email" ? "Email" : "Phone"}</label>
            <input
              id={`nb-${f}`}
              type={f === "email" ? "email" : "text"}
              value={customer[f] ?? ""}
              onChange={(e) => setCustomer({ ...customer, [f]: e.target.value })}
            />
            {fieldError(`customer.${f}`) && <p className="error small">{fieldError(`customer.${f}`)}</p>}
          </div>
        ))}
        <div className="a-field">
          <label htmlFor="nb-notes">Notes</label>
          <textarea id="nb-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <label>
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Notify the customer (confirmation with invitation and manage
          link, reminders)
        </label>
        <label>
          <input type="checkbox" checked={depositPaid} onChange={(e) => setDepositPaid(e.target.checked)} /> Deposit already paid (cash or card at the desk).
          For a service with a deposit; unticked, the deposit is recorded as due and you mark it paid in the booking&apos;s payment panel. In a series it counts
          for the first appointment; the later ones&apos; deposits stay due.
        </label>
      </fieldset>

      <fieldset>
        <legend>Repeat</legend>
        <label>
          <input type="checkbox" checked={repeat} onChange={(e) => setRepeat(e.target.checked)} /> Repeat every{" "}
          <input type="number" min={1} max={8} value={everyWeeks} onChange={(e) => setEveryWeeks(Number(e.target.value))} aria-label="Every N weeks" /> weeks,{" "}
          <input type="number" min={2} max={12} value={count} onChange={(e) => setCount(Number(e.target.value))} aria-label="Number of bookings" /> times
        </label>
      </fieldset>

      <button type="button" className="btn primary" disabled={pending || !chosen} onClick={() => chosen && submit(chosen)}>
        {pending ? "Booking…" : "Book"}
      </button>

      {error && (
        <div role="alert" className="error">
          <p>{error.message}</p>
          {error.alternatives?.length ? (
            <div className="btn-row">
              Free nearby:
              {error.alternatives.slice(0, 3).map((a) => (
                <button key={a.start} type="button" className="btn small" onClick={() => submit(a.start, { single: true })}>
                  {when(a.start, tz)}
                </button>
              ))}
            </div>
          ) : null}
        </div>
      )}

      {outcome && (
        <SeriesOutcomeList
          outcome={outcome}
          timezone={tz}
          label="Booked"
          headingLevel={2}
          pending={pending}
          onPick={(_conflict, at) => submit(at, { single: true })}
        />
      )}
    </div>
  );
}
