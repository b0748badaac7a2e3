import Link from "next/link";
import type { CalendarArtist, CalendarDay, CalendarWeek } from "@/lib/admin/calendar-week";

const PX_PER_HOUR = 44;

function DayColumn({ day, startHour, endHour, artist }: { day: CalendarDay; startHour: number; endHour: number; artist: CalendarArtist }) {
  const top = (min: number) => ((min - startHour * 60) / 60) * PX_PER_HOUR;
  const height = (endHour - startHour) * PX_PER_HOUR;
  const clip = (min: number) => Math.min(Math.max(min, startHour * 60), endHour * 60);
  return (
    <div
      className="cal-col"
      style={{ height }}
      role="group"
      aria-label={`${artist.name}, ${day.label} (${artist.zoneAbbr})`}
      data-artist={artist.slug}
      data-date={day.date}
    >
      {day.hours.map((h, i) => (
        <div key={`h${i}`} className="open" style={{ top: top(clip(h.startMin)), height: top(clip(h.endMin)) - top(clip(h.startMin)) }} aria-hidden="true" />
      ))}
      {Array.from({ length: endHour - startHour }, (_, i) => (
        <div key={`l${i}`} className="hour-line" style={{ top: i * PX_PER_HOUR }} aria-hidden="true" />
      ))}
      {day.items.map((item) => {
        const y = top(clip(item.startMin));
        const h = Math.max(16, top(clip(item.endMin)) - y);
        if (item.kind === "busy") {
          return (
            <div
              key={`${item.id}-${day.date}`}
              className="cal-item busy"
              style={{ top: y, height: h }}
              title={`${item.source === "time_off" ? "Time off (entered in Holdfast)" : "Busy (from the artist's calendar)"} ${item.timeLabel}`}
            >
              <strong>{item.source === "time_off" ? "Time off" : "Busy"}</strong>
              {item.timeLabel}
            </div>
          );
        }
        return (
          <Link
            key={`${item.id}-${day.date}`}
            href={`/admin/bookings/${item.id}`}
            className={`cal-item ${item.status}`}
            style={{ top: y, height: h }}
            title={`${item.status}: ${item.title}, ${item.subtitle}, ${item.timeLabel} ${artist.zoneAbbr}`}
            data-status={item.status}
          >
            <strong>{item.title}</strong>
            {item.timeLabel} · {item.subtitle}
            <span className="sr-only"> ({item.status})</span>
          </Link>
        );
      })}
    </div>
  );
}

/**
 * The week as a grid: one column per day (one artist) or per day and artist (all side by side).
 * Every column is drawn on its artist's own clock, named in the header; white is working time,
 * hatched is closed.
 */
export function WeekCalendar({ week }: { week: CalendarWeek }) {
  const single = week.artists.length === 1;
  const perDay = week.artists.length;
  const columns = week.days.length * perDay;
  const height = (week.endHour - week.startHour) * PX_PER_HOUR;
  const template = `3.2rem repeat(${columns}, minmax(${single ? 110 : 88}px, 1fr))`;
  return (
    <div className="cal-scroll">
      <div className="cal-grid" style={{ gridTemplateColumns: template }} data-testid="week-calendar">
        <div className="cal-head" aria-hidden="true" />
        {week.days.map((date, i) => (
          <div key={date} className="cal-head cal-day-head" style={{ gridColumn: `span ${perDay}` }}>
            {week.artists[0]?.days[i]?.label ?? date}
          </div>
        ))}
        {!single && (
          <>
            <div className="cal-head" aria-hidden="true" />
            {week.days.map((date) =>
              week.artists.map((a) => (
                <div key={`${date}-${a.id}`} className="cal-head" title={`${a.name} — ${a.zoneLabel}`}>
                  {a.name.split(" ")[0]} <span className="muted">{a.zoneAbbr}</span>
                </div>
              )),
            )}
          </>
        )}
        <div className="cal-axis" style={{ height }} aria-hidden="true">
          {Array.from({ length: week.endHour - week.startHour }, (_, i) => (
            <span key={i} style={{ top: i * PX_PER_HOUR + (i === 0 ? 8 : 0) }}>
              {String(week.startHour + i).padStart(2, "0")}:00
            </span>
          ))}
        </div>
        {week.days.map((date, i) =>
          week.artists.map((a) => <DayColumn key={`${date}-${a.id}`} day={a.days[i]!} startHour={week.startHour} endHour={week.endHour} artist={a} />),
        )}
      </div>
    </div>
  );
}
