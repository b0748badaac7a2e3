import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { WeekCalendar } from "@/components/admin/week-calendar";
import { When } from "@/components/admin/when";
import { calendarWeekQuerySchema, getCalendarWeek, timeOffBlocksOfWeek } from "@/lib/admin/calendar-week";
import { requireAdminPage } from "@/lib/auth/admin-page";
import { getStudioSettings } from "@/lib/studio/studio-settings";
import { addDays } from "@/lib/time/calendar-dates";
import { formatDateSpan, localDateInZone } from "@/lib/time/format-in-zone";

export const metadata: Metadata = { title: "Calendar" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The calendar's own query: the date shown, the artist, and whether one day or the week. Add a filter here (and to `filters`) and every link keeps it. */
type CalendarFilters = { week?: string; artist?: string; view: "week" | "day"; lanes: "artists" | "rooms" };

export default async function CalendarPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  const parsed = calendarWeekQuerySchema.safeParse({ week: one(raw.week), artist: one(raw.artist), lanes: one(raw.lanes) });
  const query = parsed.success ? parsed.data : {};
  const view = one(raw.view) === "day" ? "day" : "week";
  const lanes = query.lanes ?? "artists";
  await requireAdminPage(`/admin/calendar?${new URLSearchParams({ week: query.week ?? "", artist: query.artist ?? "", view, lanes })}`);
  const db = getDb();
  const [week, studio] = await Promise.all([getCalendarWeek(db, query), getStudioSettings(db)]);
  const timeOff = await timeOffBlocksOfWeek(db, week);
  const today = localDateInZone(new Date(), studio.timezone);
  // The day view shows the date asked for (or today, or the week's Monday); the week view its whole week.
  const day = query.week && week.days.includes(query.week) ? query.week : week.days.includes(today) ? today : week.weekStart;
  const filters: CalendarFilters = { week: view === "day" ? day : week.weekStart, artist: week.selected ?? undefined, view, lanes };
  const href = (change: Partial<CalendarFilters>) => {
    const next = { ...filters, ...change };
    const params = new URLSearchParams();
    if (next.week) params.set("week", next.week);
    if (next.artist) params.set("artist", next.artist);
    if (next.view === "day") params.set("view", "day");
    if (next.lanes === "rooms") params.set("lanes", "rooms");
    return `/admin/calendar${params.size ? `?${params}` : ""}`;
  };
  const step = view === "day" ? 1 : 7;
  const unit = view === "day" ? "day" : "week";

  return (
    <>
      <div className="page-head">
        <h1>{view === "day" ? formatDateSpan(day) : formatDateSpan(week.weekStart, week.weekEnd)}</h1>
        <p className="small muted">
          {lanes === "rooms"
            ? "One lane per room or station, on the studio's clock. White is when any artist works."
            : "Each artist's lane is on their own clock (zone below the calendar). White is working time."}
        </p>
      </div>
      <div className="cal-toolbar">
        <nav className="btn-row" aria-label="Calendar dates">
          <Link className="btn" href={href({ week: addDays(filters.week!, -step) })}>
            ← Previous {unit}
          </Link>
          <Link className="btn" href={href({ week: view === "day" ? today : undefined })}>
            {view === "day" ? "Today" : "This week"}
          </Link>
          <Link className="btn" href={href({ week: addDays(filters.week!, step) })}>
            Next {unit} →
          </Link>
        </nav>
        <nav className="btn-row cal-view-toggle" aria-label="Calendar view">
          <Link className="btn" href={href({ view: "week", week: week.weekStart })} aria-current={view === "week" ? "page" : undefined}>
            Week
          </Link>
          <Link className="btn" href={href({ view: "day", week: day })} aria-current={view === "day" ? "page" : undefined}>
            Day
          </Link>
        </nav>
        <nav className="btn-row cal-view-toggle" aria-label="Lanes">
          <Link className="btn" href={href({ lanes: "artists" })} aria-current={lanes === "artists" ? "page" : undefined}>
            By artist
          </Link>
          <Link className="btn" href={href({ lanes: "rooms", artist: undefined })} aria-current={lanes === "rooms" ? "page" : undefined}>
            By room
          </Link>
        </nav>
        {lanes === "artists" && (
          <form method="get" action="/admin/calendar" className="btn-row">
            <input type="hidden" name="week" value={filters.week} />
            {view === "day" && <input type="hidden" name="view" value="day" />}
            <div className="a-field">
              <label htmlFor="cal-artist">Artist</label>
              <select id="cal-artist" name="artist" defaultValue={week.selected ?? ""}>
                <option value="">All artists side by side</option>
                {week.allArtists.map((a) => (
                  <option key={a.slug} value={a.slug}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="btn primary">
              Show
            </button>
          </form>
        )}
      </div>
      <div className="cal-legend" aria-label="Legend">
        <span>
          <i className="cal-swatch" style={{ background: "#fff4d6", borderStyle: "dashed" }} /> Pending request
        </span>
        <span>
          <i className="cal-swatch" style={{ background: "#d7ecd9" }} /> Confirmed
        </span>
        <span>
          <i className="cal-swatch" style={{ background: "#dde7f3" }} /> Completed
        </span>
        <span>
          <i className="cal-swatch" style={{ background: "#c6ccd4" }} /> Busy (artist&apos;s own calendar, or time off)
        </span>
        <span>
          <i className="cal-swatch" style={{ background: "#eceef1" }} /> Outside working hours
        </span>
      </div>
      {week.artists.length === 0 ? (
        <p className="muted">{lanes === "rooms" ? "No active rooms or stations (add them under Rooms)." : "No active artists."}</p>
      ) : (
        <WeekCalendar week={week} dates={view === "day" ? [day] : week.days} dayHref={(date) => href({ view: "day", week: date })} />
      )}
      {timeOff.length > 0 && (
        <section className="panel" aria-label="Time off this week" data-testid="week-time-off">
          <h2>Time off this week</h2>
          <ul className="feed">
            {timeOff.map((t) => (
              <li key={t.blockId} data-time-off-id={t.timeOffId}>
                <strong>{t.artistName}</strong> <When start={t.start.toISOString()} end={t.end.toISOString()} timezone={t.timezone} />
                {t.reason ? ` — ${t.reason}` : ""} <Link href={`/admin/studio/artists/${t.artistId}`}>Edit</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {week.artists.length > 0 && lanes === "artists" && <p className="small muted">{week.artists.map((a) => `${a.name}: ${a.zoneLabel}`).join(" · ")}</p>}
    </>
  );
}
