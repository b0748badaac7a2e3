import Link from "next/link";
import type { CalendarArtist, CalendarDay, CalendarWeek } from "@/lib/admin/calendar-week";

const PX_PER_HOUR = 44;

/** "Treatment room 2" -> "TR2", "Station 3" -> "S3": seven days of lanes leave a few letters each (the full name is the title). */
function shortRoomName(name: string) {
  return name
    .split(/\s+/)
    .map((word) => (/^\d+$/.test(word) ? word : word[0]!.toUpperCase()))
    .join("");
}

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
 * The week (or one day of it) as a grid: one column per day, and inside each day one lane per
 * artist, so seven days of several artists fit a 1280 px screen without scrolling sideways. Every
 * lane is drawn on its artist's own clock (the zone is in its name and in the day view's header);
 * white is working time, hatched is closed. `dayHref` makes each day's heading a link to that
 * day on its own, where the lanes are wide enough to read every booking.
 */
export function WeekCalendar({ week, dates = week.days, dayHref }: { week: CalendarWeek; dates?: string[]; dayHref?: (date: string) => string }) {
  const single = week.artists.length === 1;
  const dayView = dates.length === 1;
  const height = (week.endHour - week.startHour) * PX_PER_HOUR;
  const shown = dates.map((date) => ({ date, index: week.days.indexOf(date) })).filter((d) => d.index >= 0);
  const template = `3.2rem repeat(${shown.length}, minmax(0, 1fr))`;
  return (
    <div className="cal-scroll">
      <div className={`cal-grid${dayView ? " cal-day-view" : ""}`} style={{ gridTemplateColumns: template }} data-testid="week-calendar">
        <div className="cal-head" aria-hidden="true" />
        {shown.map(({ date, index }) => {
          const label = week.artists[0]?.days[index]?.label ?? date;
          return (
            <div key={date} className="cal-head cal-day-head">
              {dayHref && !dayView ? <Link href={dayHref(date)}>{label}</Link> : label}
            </div>
          );
        })}
        {!single && (
          <>
            <div className="cal-head" aria-hidden="true" />
            {shown.map(({ date }) => (
              <div key={date} className="cal-head cal-lanes-head">
                {week.artists.map((a) => (
                  <span key={a.id} title={`${a.name} — ${a.zoneLabel}`}>
                    {dayView ? a.name : week.lanes === "rooms" ? shortRoomName(a.name) : a.name.split(" ")[0]}
                    {dayView && <span className="muted"> {a.zoneAbbr}</span>}
                  </span>
                ))}
              </div>
            ))}
          </>
        )}
        <div className="cal-axis" style={{ height }} aria-hidden="true">
          {Array.from({ length: week.endHour - week.startHour }, (_, i) => (
            <span key={i} style={{ top: i * PX_PER_HOUR + (i === 0 ? 8 : 0) }}>
              {String(week.startHour + i).padStart(2, "0")}:00
            </span>
          ))}
        </div>
        {shown.map(({ date, index }) => (
          <div key={date} className="cal-day" data-date={date}>
            {week.artists.map((a) => (
              <DayColumn key={a.id} day={a.days[index]!} startHour={week.startHour} endHour={week.endHour} artist={a} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
