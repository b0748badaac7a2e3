import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { WeekCalendar } from "@/components/admin/week-calendar";
import { When } from "@/components/admin/when";
import { calendarWeekQuerySchema, getCalendarWeek, timeOffBlocksOfWeek } from "@/lib/admin/calendar-week";
import { requireAdminPage } from "@/lib/auth/admin-page";

export const metadata: Metadata = { title: "Calendar" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function CalendarPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  const parsed = calendarWeekQuerySchema.safeParse({ week: one(raw.week), artist: one(raw.artist) });
  const query = parsed.success ? parsed.data : {};
  await requireAdminPage(`/admin/calendar?${new URLSearchParams({ week: query.week ?? "", artist: query.artist ?? "" })}`);
  const week = await getCalendarWeek(getDb(), query);
  const timeOff = await timeOffBlocksOfWeek(getDb(), week);
  const link = (weekStart: string) => `/admin/calendar?${new URLSearchParams({ week: weekStart, ...(week.selected ? { artist: week.selected } : {}) })}`;

  return (
    <>
      <div className="page-head">
        <h1>
          Week of {week.days[0]} – {week.weekEnd}
        </h1>
        <p className="small muted">Each column is on its artist&apos;s own clock (zone in the header). White is working time.</p>
      </div>
      <div className="cal-toolbar">
        <Link className="btn" href={link(week.prevWeek)}>
          ← Previous week
        </Link>
        <Link className="btn" href={`/admin/calendar${week.selected ? `?artist=${week.selected}` : ""}`}>
          This week
        </Link>
        <Link className="btn" href={link(week.nextWeek)}>
          Next week →
        </Link>
        <form method="get" action="/admin/calendar" className="btn-row">
          <input type="hidden" name="week" value={week.weekStart} />
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
      {week.artists.length === 0 ? <p className="muted">No active artists.</p> : <WeekCalendar week={week} />}
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
      {week.artists.length > 0 && <p className="small muted">{week.artists.map((a) => `${a.name}: ${a.zoneLabel}`).join(" · ")}</p>}
    </>
  );
}
